// The engine under the flows table (flows.ts): walks a path step by step, follows forks, and
// turns the ending into the log row's last word and the screen's view.
import { messageOf } from '../../common';
import type { Bilingual, InquiryProgress, InquiryView } from '../../contract';
import type { InquiryResult } from '../../store';
import { failureOf, INQUIRY_ERRORS, type InquiryFailure } from './failures';
import type { Ending, InquiryContext, Step } from './types';
import { inquiryView, pinTriesUsedUp, viewOfRecord, type ViewSettings } from './view';

/** A flow: its paths by name, each the steps in order. */
export type Paths<C extends InquiryContext, P extends string> = Record<P, readonly Step<C, P>[]>;

/** Runs the steps of path `first`, and of the paths it forks to, until one ends the inquiry. */
export async function walk<C extends InquiryContext, P extends string>(
  paths: Paths<C, P>,
  first: P,
  inquiry: C,
): Promise<Ending> {
  let path = first;
  let at = 0;
  for (;;) {
    const step = paths[path][at];
    if (!step) throw new Error(`inquiry path ${path} ended without an ending`);
    const next = await step(inquiry);
    if (next === 'next') {
      at++;
    } else if ('fork' in next) {
      path = next.fork;
      at = 0;
    } else {
      return next.end;
    }
  }
}

function settingsOf(inquiry: InquiryContext): ViewSettings {
  const { servicePhone, training, phones } = inquiry.deps;
  return { servicePhone, training, ...(phones ? { phones } : {}) };
}

async function loggedView(inquiry: InquiryContext, txId: number): Promise<InquiryView> {
  const record = await inquiry.deps.store.transactions.get(txId);
  if (!record) throw new Error('inquiry row vanished');
  return viewOfRecord(record, settingsOf(inquiry));
}

/** The row of a failed inquiry completed with the failure, and the view of that row (with the
 *  tries left, which the row does not keep). */
async function logFailure(
  inquiry: InquiryContext,
  txId: number,
  failure: InquiryFailure,
): Promise<InquiryView> {
  await inquiry.deps.store.transactions.complete(txId, {
    outcome: failure.refused ? 'declined' : 'failed',
    errorCode: failure.code,
    // A third part, the diagnostic, is kept for support; the view reads only the first two.
    errorMessage: `${failure.message.zh} / ${failure.message.en}${failure.detail ? ` / ${failure.detail}` : ''}`,
    durationMs: Date.now() - inquiry.started,
  });
  const view = await loggedView(inquiry, txId);
  return failure.triesLeft === undefined ? view : { ...view, triesLeft: failure.triesLeft };
}

/**
 * The operator stopped waiting for the host. The row stays 'outcome unknown' (as after a crash)
 * until the host's late answer or failure completes it, marked ABANDONED with what happened in
 * its words; if the console stops first, it stays unknown. The screen says so at once.
 */
function abandon(
  inquiry: InquiryContext,
  kind: 'card' | 'wallet',
  txId: number,
  late: Extract<Ending, { kind: 'abandoned' }>['late'],
): InquiryView {
  const abandoned = messageOf(INQUIRY_ERRORS, 'ABANDONED', undefined).text;
  const complete = (result: Omit<InquiryResult, 'durationMs'>, then: Bilingual) =>
    inquiry.deps.store.transactions.complete(txId, {
      ...result,
      errorCode: 'ABANDONED',
      errorMessage: `${abandoned.zh}${then.zh} / ${abandoned.en} ${then.en}`,
      durationMs: Date.now() - inquiry.started,
    });
  inquiry.lingering.push(
    late
      .then(
        (result) => complete(result, LATE_ANSWER),
        (err: unknown) => {
          const failure = failureOf(err);
          return complete(
            { outcome: failure.refused ? 'declined' : 'failed' },
            { zh: `随后：${failure.message.zh}`, en: `Then: ${failure.message.en}` },
          );
        },
      )
      // The row could not be completed (the console is closing): it stays 'outcome unknown'.
      .catch(() => undefined),
  );
  return inquiryView(
    {
      transactionId: txId,
      accountKind: kind,
      operatorNo: inquiry.operator.operatorNo,
      maskedAccount: inquiry.account?.masked ?? '',
      entryMode: inquiry.account?.entry ?? '',
      outcome: 'unknown',
      errorCode: 'ABANDONED',
      message: abandoned,
    },
    settingsOf(inquiry),
  );
}

const LATE_ANSWER: Bilingual = { zh: '随后主机已应答。', en: 'The host answered later.' };

/** What an ending leaves: the row completed as it says (if there is a row), and the view. */
export async function conclude(
  inquiry: InquiryContext,
  kind: 'card' | 'wallet',
  ending: Ending,
): Promise<InquiryView> {
  if (ending.kind === 'no-card') {
    return inquiryView(
      {
        accountKind: kind,
        operatorNo: inquiry.operator.operatorNo,
        maskedAccount: '',
        entryMode: '',
        outcome: 'cancelled',
        message: ending.timedOut
          ? { en: 'No card was presented in time.', zh: '等待刷卡超时。' }
          : { en: 'Cancelled.', zh: '已取消。' },
      },
      settingsOf(inquiry),
    );
  }
  const txId = inquiry.txId;
  if (txId === null) throw new Error(`an inquiry ended ${ending.kind} before its log row`);
  if (ending.kind === 'failed') return logFailure(inquiry, txId, ending.failure);
  if (ending.kind === 'abandoned') return abandon(inquiry, kind, txId, ending.late);
  if (ending.kind === 'cancelled') {
    await inquiry.deps.store.transactions.complete(txId, {
      outcome: 'cancelled',
      ...(ending.errorCode ? { errorCode: ending.errorCode } : {}),
      durationMs: Date.now() - inquiry.started,
    });
  }
  const view = await loggedView(inquiry, txId);
  if (ending.kind !== 'logged' || !ending.pinTries) return view;
  // A wrong PIN: the tries this till still allows in this inquiry; none left, no retry.
  const { left, limit } = ending.pinTries;
  if (left > 0) return { ...view, triesLeft: left };
  return { ...view, triesLeft: 0, retry: null, advice: pinTriesUsedUp(limit) };
}

/** A step threw after the row was written: the row says failed, with the layer's own code and
 *  words, and the cashier sees exactly what the row says. */
export function concludeFailed(
  inquiry: InquiryContext,
  txId: number,
  err: unknown,
): Promise<InquiryView> {
  return logFailure(inquiry, txId, failureOf(err));
}

/** The view of an inquiry that failed before it had a row (or whose row could not be written). */
export function failureView(
  settings: ViewSettings,
  kind: 'card' | 'wallet',
  progress: InquiryProgress,
  err: unknown,
): InquiryView {
  const failure = failureOf(err);
  return inquiryView(
    {
      accountKind: kind,
      operatorNo: '',
      maskedAccount: progress.maskedAccount ?? '',
      entryMode: '',
      outcome: 'failed',
      errorCode: failure.code,
      message: failure.message,
    },
    settings,
  );
}
