// The steps of a bank card inquiry, each one small: sign on if needed, wait for the card, take
// the PIN (a swiped card on the pad's keys; a chip or tapped card with the chip's own online
// request), ask the bank, let the chip finish. The order is the table in flows.ts. After a wrong
// PIN a swiped card's retry asks for the PIN alone (padForPinAgain), with the card data the
// runner held for this inquiry.
import type { CardData } from '../../devices/pinpad';
import type { BalanceInquiryResult } from '../../host';
import type { EntryMode, InquiryResult } from '../../store';
import { ABANDONED, untilAbandoned } from './abandon';
import { InquiryError, inquiryFailure } from './failures';
import type { CardInquiry, Next, Step } from './types';

/** The card paths a read card forks to, by how it was presented; 'pin-again' is a swiped card's
 *  retry after a wrong PIN. */
export type CardPath = 'card' | 'pin-again' | CardData['entry'];

type CardStep = Step<CardInquiry, CardPath>;

const CARD_TIMEOUT_MS = 60_000;
export const PIN_TIMEOUT_MS = 60_000;
/** This till's PIN tries per inquiry when Settings say nothing. */
export const DEFAULT_PIN_TRIES = 3;

const ENTRY_FOR_HOST: Record<CardData['entry'], string> = { swipe: '02', chip: '05', tap: '07' };
const ENTRY_FOR_LOG: Record<CardData['entry'], EntryMode> = {
  swipe: 'swipe',
  chip: 'chip',
  tap: 'contactless',
};

/** The terminal signs on first when it has no working keys yet (a new batch, a restart). */
export const signOnIfNeeded: CardStep = async ({ deps, operator, show }) => {
  const { host } = deps.terminal;
  if (host.signedOn) return 'next';
  show({ step: 'signing-on' });
  await host.signOn(operator.operatorNo);
  return 'next';
};

/** The PIN pad opens (if it is not already) and its key presses and texts reach the screen. */
export const openPadForCard: CardStep = async (inquiry) => {
  const { pinpad } = inquiry.deps.terminal;
  inquiry.show({ step: 'waiting-card' });
  if (pinpad.health !== 'connected') await pinpad.open({ signal: inquiry.signal });
  // Opening read who the pad is: a replaced one takes no card until a supervisor approves it.
  inquiry.deps.padTrusted?.();
  listenToPad(inquiry);
  return 'next';
};

/** A swiped card's retry after a wrong PIN: the same card (held by the runner for this inquiry
 *  alone), so no card prompt; the customer types the PIN again and a new request goes out. */
export const padForPinAgain: CardStep = async (inquiry) => {
  const { pinpad } = inquiry.deps.terminal;
  const card = inquiry.card!;
  inquiry.started = Date.now();
  inquiry.account = { kind: 'card', masked: card.maskedPan, entry: ENTRY_FOR_LOG[card.entry] };
  inquiry.show({ step: 'waiting-pin', maskedAccount: card.maskedPan, pinDigits: 0, padText: null });
  if (pinpad.health !== 'connected') await pinpad.open({ signal: inquiry.signal });
  inquiry.deps.padTrusted?.();
  listenToPad(inquiry);
  return { fork: card.entry };
};

/** The pad's key presses (a count, never digits) and texts reach the screen until the end. */
function listenToPad(inquiry: CardInquiry): void {
  const { pinpad } = inquiry.deps.terminal;
  const onKey = ({ digits }: { digits: number }) => inquiry.show({ pinDigits: digits });
  const onText = ({ text }: { text: string }) => inquiry.show({ padText: text });
  pinpad.on('keypress', onKey);
  pinpad.on('notification', onText);
  inquiry.cleanups.push(() => {
    pinpad.off('keypress', onKey);
    pinpad.off('notification', onText);
  });
}

/** The customer swipes, inserts or taps; the path goes on by how. */
export const readCard: CardStep = async (inquiry) => {
  inquiry.started = Date.now();
  const read = await inquiry.deps.terminal.pinpad.waitForCard({
    signal: inquiry.signal,
    timeoutMs: CARD_TIMEOUT_MS,
  });
  if (read.outcome !== 'card') {
    return { end: { kind: 'no-card', timedOut: read.outcome === 'timeout' } };
  }
  const card = read.card;
  inquiry.card = card;
  inquiry.cleanups.push(() => card.wipe());
  inquiry.account = { kind: 'card', masked: card.maskedPan, entry: ENTRY_FOR_LOG[card.entry] };
  inquiry.show({ step: 'waiting-pin', maskedAccount: card.maskedPan, padText: null });
  return { fork: card.entry };
};

/** A swiped card: the customer types the PIN on the pad. */
export const swipePin: CardStep = async (inquiry) => {
  const pin = await inquiry.deps.terminal.pinpad.getPin({
    card: inquiry.card!,
    key: inquiry.deps.terminal.cardPinKey(),
    signal: inquiry.signal,
    timeoutMs: PIN_TIMEOUT_MS,
  });
  if (pin.outcome !== 'pin') return cancelledAtPin(pin.outcome);
  inquiry.pinBlock = pin.pinBlock;
  return 'next';
};

/** A chip or tapped card: the pad takes the PIN and the chip makes its online request. */
export const chipPin: CardStep = async (inquiry) => {
  const chip = await inquiry.deps.terminal.pinpad.chipGoOnline({
    card: inquiry.card!,
    key: inquiry.deps.terminal.cardPinKey(),
    signal: inquiry.signal,
    timeoutMs: PIN_TIMEOUT_MS,
  });
  if (chip.outcome === 'declined-offline') {
    return { end: { kind: 'failed', failure: inquiryFailure('CARD_DECLINED_OFFLINE') } };
  }
  if (chip.outcome !== 'online') return cancelledAtPin(chip.outcome);
  if (!chip.pinBlock) return { end: { kind: 'failed', failure: inquiryFailure('NO_PIN_BLOCK') } };
  inquiry.pinBlock = chip.pinBlock;
  inquiry.iccData = chip.emvData;
  return 'next';
};

function cancelledAtPin(outcome: 'cancelled' | 'timeout'): Next<CardPath> {
  return {
    end: { kind: 'cancelled', errorCode: outcome === 'timeout' ? 'PIN_TIMEOUT' : 'CANCELLED' },
  };
}

/** The bank answers. If it renewed the keys on the way (a re-sign-on), the customer enters the
 *  PIN again under the new key; not entering it ends the inquiry (PIN_REENTRY_CANCELLED).
 *  Esc while waiting abandons the wait: the answer, when it comes, completes the row. */
export const askBank: CardStep = async (inquiry) => {
  const { terminal } = inquiry.deps;
  const card = inquiry.card!;
  // Esc came just before the host step: nothing was sent, so this is a plain cancel.
  if (inquiry.signal.aborted) return { end: { kind: 'cancelled', errorCode: 'CANCELLED' } };
  inquiry.show({ step: 'processing', waitMs: inquiry.deps.hostWaitMs ?? null });
  const asked = terminal.host.balanceInquiry({
    pan: card.pan,
    ...(card.track2 ? { track2: card.track2 } : {}),
    ...(card.expiry ? { expiry: card.expiry } : {}),
    entryMode: ENTRY_FOR_HOST[card.entry],
    ...(card.panSequence ? { cardSequence: card.panSequence } : {}),
    ...(inquiry.iccData ? { iccData: inquiry.iccData } : {}),
    pinBlock: inquiry.pinBlock!,
    operatorNo: inquiry.operator.operatorNo,
    requestPinBlock: () => pinAgain(inquiry),
  });
  const answer = await untilAbandoned(inquiry.signal, asked);
  if (answer === ABANDONED) {
    return { end: { kind: 'abandoned', late: asked.then(bankAnswerResult) } };
  }
  inquiry.answer = answer;
  return 'next';
};

async function pinAgain(inquiry: CardInquiry): Promise<Buffer> {
  const { terminal } = inquiry.deps;
  inquiry.show({ step: 'waiting-pin', pinDigits: 0 });
  const again = await terminal.pinpad.getPin({
    card: inquiry.card!,
    key: terminal.cardPinKey(),
    signal: inquiry.signal,
    timeoutMs: PIN_TIMEOUT_MS,
  });
  if (again.outcome !== 'pin') throw new InquiryError('PIN_REENTRY_CANCELLED');
  inquiry.show({ step: 'processing' });
  return again.pinBlock;
}

/** The chip hears the bank's answer (its own failure does not change the outcome). */
export const chipFinish: CardStep = async ({ deps, answer }) => {
  await deps.terminal.pinpad
    .chipFinish({
      hostResult: answer!.approved ? 'approved' : 'declined',
      responseCode: answer!.responseCode,
      ...(answer!.issuerData ? { issuerData: answer!.issuerData } : {}),
    })
    .catch(() => undefined);
  return 'next';
};

/** The row gets the bank's answer. A wrong PIN (55) counts against this till's limit per
 *  inquiry: what is left is what the cashier is shown (the bank's 55 never says). */
export const logBankAnswer: CardStep = async (inquiry) => {
  const answer = inquiry.answer!;
  await inquiry.deps.store.transactions.complete(inquiry.txId!, {
    ...bankAnswerResult(answer),
    durationMs: Date.now() - inquiry.started,
  });
  if (answer.responseCode !== '55') return { end: { kind: 'logged' } };
  inquiry.wrongPins++;
  const limit = pinTriesLimit(inquiry.deps);
  const left = Math.max(0, limit - inquiry.wrongPins);
  return { end: { kind: 'logged', pinTries: { left, limit } } };
};

export function pinTriesLimit(deps: CardInquiry['deps']): number {
  return deps.pinTriesPerInquiry?.() ?? DEFAULT_PIN_TRIES;
}

/** What the row keeps of the bank's answer (also of a late one, after Esc). */
function bankAnswerResult(answer: BalanceInquiryResult): Omit<InquiryResult, 'durationMs'> {
  return {
    outcome: answer.approved ? 'approved' : 'declined',
    responseCode: answer.responseCode,
    responseClass: answer.responseClass,
    rrn: answer.rrn ?? null,
    stan: answer.stan,
    ledgerFen: answer.ledger?.signedFen ?? null,
    availableFen: answer.available?.signedFen ?? null,
    currency: answer.available?.currency ?? answer.ledger?.currency ?? null,
  };
}
