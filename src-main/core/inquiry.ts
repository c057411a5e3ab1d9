// The balance inquiry workflow, one at a time: sign on if needed, read the card and PIN on the
// PIN pad (or take the payment account and its proof), ask the host, log every attempt.
// The log row is written before the host exchange and completed after it, so a crash in
// between leaves an 'outcome unknown' row rather than nothing.
import type { Bilingual, InquiryProgress, InquiryView, Outcome } from '../contract';
import type { CardData, ChipOnlineOutcome, PinOutcome } from '../devices/pinpad';
import { lookupResponseCode, type BalanceInquiryResult } from '../host';
import { maskWalletAccount, walletPinBlockPan, type WalletBalance } from '../host/wallet';
import type { EntryMode, InquiryRecord, Store } from '../store';
import { CardData as PinpadCard } from '../devices/pinpad';
import { TerminalError, type Terminal } from './terminal';

export interface InquiryDeps {
  terminal: Terminal;
  store: Store;
  training: boolean;
  servicePhone: string;
  /** Every step, with who started the inquiry (its progress is theirs alone to see). */
  emit(progress: InquiryProgress, by: InquiryOperator): void;
}

/** Who runs the inquiry: a logged-in operator, or an installer's check from the CLI. */
export interface InquiryOperator {
  id: number | null;
  operatorNo: string;
  /** The shell session (window or tab) that started it; absent from the CLI. */
  sessionId?: number;
}

export type WalletProof = { kind: 'sms'; code: string } | { kind: 'password' };

const CARD_TIMEOUT_MS = 60_000;
const PIN_TIMEOUT_MS = 60_000;

/** An error from any layer below, as the cashier reads it. */
interface CodedError {
  code: string;
  message: string;
  messageZh: string;
}

function asCoded(err: unknown): CodedError {
  if (err instanceof Error && typeof (err as Partial<CodedError>).messageZh === 'string') {
    const coded = err as Error & CodedError;
    return {
      code: String(coded.code ?? 'ERROR'),
      message: coded.message,
      messageZh: coded.messageZh,
    };
  }
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside the console.',
    messageZh: '收银台内部出错。',
  };
}

export class BusyError extends Error {
  readonly code = 'BUSY';
  readonly messageZh = '上一笔查询尚未结束，请稍候或先取消。';
  constructor() {
    super('Another inquiry is still running. Wait, or cancel it first.');
  }
}

const ENTRY_FOR_HOST: Record<CardData['entry'], string> = { swipe: '02', chip: '05', tap: '07' };
const ENTRY_FOR_LOG: Record<CardData['entry'], EntryMode> = {
  swipe: 'swipe',
  chip: 'chip',
  tap: 'contactless',
};

export class InquiryRunner {
  private nextId = 1;
  private running: { id: number; abort: AbortController; by: InquiryOperator } | null = null;

  constructor(private readonly deps: InquiryDeps) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Who started the running inquiry with this id, if it is still running. */
  ownerOf(inquiryId: number): InquiryOperator | undefined {
    return this.running?.id === inquiryId ? this.running.by : undefined;
  }

  /** Starts a card inquiry; returns its id at once. Progress goes out through `emit`. */
  startCard(operator: InquiryOperator): number {
    // Refused before anything starts (and before the busy check) when no card can be read here.
    this.deps.terminal.assertCanReadCards();
    return this.start('card', operator, (progress, signal) =>
      this.card(operator, progress, signal),
    );
  }

  startWallet(operator: InquiryOperator, account: string, proof: WalletProof): number {
    return this.start('wallet', operator, (progress, signal) =>
      this.wallet(operator, account, proof, progress, signal),
    );
  }

  /** Stops the inquiry: the PIN pad is told to abort, the log row (if any) says cancelled. */
  async cancel(inquiryId: number): Promise<void> {
    if (this.running?.id !== inquiryId) return;
    this.running.abort.abort();
    await this.deps.terminal.pinpad.cancel().catch(() => undefined);
  }

  /** Resolves when the running inquiry (if any) has finished; for shutdown and tests. */
  private done: Promise<void> = Promise.resolve();
  idle(): Promise<void> {
    return this.done;
  }

  private start(
    kind: 'card' | 'wallet',
    by: InquiryOperator,
    run: (progress: InquiryProgress, signal: AbortSignal) => Promise<InquiryView>,
  ): number {
    if (this.running) throw new BusyError();
    const id = this.nextId++;
    const abort = new AbortController();
    this.running = { id, abort, by };
    const progress: InquiryProgress = {
      inquiryId: id,
      kind,
      step: 'signing-on',
      maskedAccount: null,
      pinDigits: 0,
      padText: null,
      result: null,
    };
    this.done = run(progress, abort.signal).then(
      (result) => this.finish(progress, by, result),
      (err: unknown) => this.finish(progress, by, this.failureView(kind, progress, err)),
    );
    return id;
  }

  private finish(progress: InquiryProgress, by: InquiryOperator, result: InquiryView): void {
    this.running = null;
    this.step(progress, { step: 'done', result }, by);
  }

  private step(
    progress: InquiryProgress,
    change: Partial<InquiryProgress>,
    by: InquiryOperator | undefined = this.running?.by,
  ): void {
    Object.assign(progress, change);
    this.deps.emit({ ...progress }, by ?? { id: null, operatorNo: '' });
  }

  private async ensureSignedOn(
    operator: InquiryOperator,
    progress: InquiryProgress,
  ): Promise<void> {
    if (this.deps.terminal.host.signedOn) return;
    this.step(progress, { step: 'signing-on' });
    await this.deps.terminal.host.signOn(operator.operatorNo);
  }

  private async card(
    operator: InquiryOperator,
    progress: InquiryProgress,
    signal: AbortSignal,
  ): Promise<InquiryView> {
    const { terminal, store } = this.deps;
    const pinpad = terminal.pinpad;
    await this.ensureSignedOn(operator, progress);

    this.step(progress, { step: 'waiting-card' });
    if (pinpad.health !== 'connected') await pinpad.open({ signal });
    const onKey = ({ digits }: { digits: number }) => this.step(progress, { pinDigits: digits });
    const onText = ({ text }: { text: string }) => this.step(progress, { padText: text });
    pinpad.on('keypress', onKey);
    pinpad.on('notification', onText);
    const started = Date.now();
    let card: CardData | undefined;
    let txId: number | null = null;
    try {
      const read = await pinpad.waitForCard({ signal, timeoutMs: CARD_TIMEOUT_MS });
      if (read.outcome !== 'card') {
        return this.view({
          kind: 'card',
          operator,
          maskedAccount: '',
          entryMode: '',
          outcome: 'cancelled',
          message:
            read.outcome === 'timeout'
              ? { en: 'No card was presented in time.', zh: '等待刷卡超时。' }
              : { en: 'Cancelled.', zh: '已取消。' },
        });
      }
      card = read.card;
      this.step(progress, { step: 'waiting-pin', maskedAccount: card.maskedPan, padText: null });
      txId = await store.transactions.begin({
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
        accountKind: 'card',
        maskedAccount: card.maskedPan,
        entryMode: ENTRY_FOR_LOG[card.entry],
        training: this.deps.training,
      });

      const key = terminal.cardPinKey();
      let pinBlock: Buffer;
      let iccData: Buffer | undefined;
      if (card.entry === 'swipe') {
        const pin: PinOutcome = await pinpad.getPin({
          card,
          key,
          signal,
          timeoutMs: PIN_TIMEOUT_MS,
        });
        if (pin.outcome !== 'pin') return this.cancelled(txId, started, pin.outcome);
        pinBlock = pin.pinBlock;
      } else {
        const chip: ChipOnlineOutcome = await pinpad.chipGoOnline({
          card,
          key,
          signal,
          timeoutMs: PIN_TIMEOUT_MS,
        });
        if (chip.outcome === 'declined-offline') {
          throw Object.assign(new Error('The card declined offline.'), {
            code: 'CARD_DECLINED_OFFLINE',
            messageZh: '卡片脱机拒绝，请联系发卡行。',
          });
        }
        if (chip.outcome !== 'online') {
          return this.cancelled(txId, started, chip.outcome);
        }
        if (!chip.pinBlock) {
          throw Object.assign(new Error('The PIN pad returned no PIN block.'), {
            code: 'NO_PIN_BLOCK',
            messageZh: '密码键盘未返回密码，请重试。',
          });
        }
        pinBlock = chip.pinBlock;
        iccData = chip.emvData;
      }

      this.step(progress, { step: 'processing' });
      const readCard = card;
      const answer = await terminal.host.balanceInquiry({
        pan: card.pan,
        ...(card.track2 ? { track2: card.track2 } : {}),
        ...(card.expiry ? { expiry: card.expiry } : {}),
        entryMode: ENTRY_FOR_HOST[card.entry],
        ...(card.panSequence ? { cardSequence: card.panSequence } : {}),
        ...(iccData ? { iccData } : {}),
        pinBlock,
        operatorNo: operator.operatorNo,
        // After an automatic re-sign-on the PIN block must be made again under the new key.
        requestPinBlock: async () => {
          this.step(progress, { step: 'waiting-pin', pinDigits: 0 });
          const again = await pinpad.getPin({
            card: readCard,
            key: terminal.cardPinKey(),
            signal,
            timeoutMs: PIN_TIMEOUT_MS,
          });
          if (again.outcome !== 'pin') throw new TerminalError('PIN_REENTRY_CANCELLED');
          this.step(progress, { step: 'processing' });
          return again.pinBlock;
        },
      });
      if (card.entry !== 'swipe') {
        await pinpad
          .chipFinish({
            hostResult: answer.approved ? 'approved' : 'declined',
            responseCode: answer.responseCode,
            ...(answer.issuerData ? { issuerData: answer.issuerData } : {}),
          })
          .catch(() => undefined);
      }
      return this.completeCard(txId, started, answer);
    } catch (err) {
      if (txId === null) throw err;
      // The cashier sees exactly what the log row says.
      return this.completeFailed(txId, started, err);
    } finally {
      pinpad.off('keypress', onKey);
      pinpad.off('notification', onText);
      card?.wipe();
    }
  }

  private async wallet(
    operator: InquiryOperator,
    account: string,
    proof: WalletProof,
    progress: InquiryProgress,
    signal: AbortSignal,
  ): Promise<InquiryView> {
    const { terminal, store } = this.deps;
    const wallet = terminal.requireWallet();
    const maskedAccount = maskWalletAccount(account);
    const started = Date.now();
    this.step(progress, {
      step: proof.kind === 'password' ? 'waiting-pin' : 'processing',
      maskedAccount,
    });
    const txId = await store.transactions.begin({
      operatorId: operator.id,
      operatorNo: operator.operatorNo,
      accountKind: 'wallet',
      maskedAccount,
      entryMode: proof.kind === 'sms' ? 'sms-code' : 'pay-password',
      training: this.deps.training,
    });
    try {
      let balance: WalletBalance;
      if (proof.kind === 'sms') {
        balance = await wallet.balanceWithSmsCode(account, proof.code);
      } else {
        const pinpad = terminal.pinpad;
        if (pinpad.health !== 'connected') await pinpad.open({ signal });
        const onKey = ({ digits }: { digits: number }) =>
          this.step(progress, { pinDigits: digits });
        pinpad.on('keypress', onKey);
        try {
          const pin = await pinpad.getPin({
            card: new PinpadCard('swipe', { pan: walletPinBlockPan(account) }),
            key: await terminal.walletPinKey(),
            signal,
            timeoutMs: PIN_TIMEOUT_MS,
          });
          if (pin.outcome !== 'pin') {
            await store.transactions.complete(txId, {
              outcome: 'cancelled',
              durationMs: Date.now() - started,
            });
            return this.fromRecord(await store.transactions.get(txId));
          }
          this.step(progress, { step: 'processing' });
          balance = await wallet.balanceWithPasswordBlock(account, pin.pinBlock, 0);
        } finally {
          pinpad.off('keypress', onKey);
        }
      }
      await store.transactions.complete(txId, {
        outcome: 'approved',
        responseCode: '00',
        responseClass: 'success',
        rrn: balance.reference,
        ledgerFen: balance.ledgerFen,
        availableFen: balance.availableFen,
        currency: balance.currency,
        durationMs: Date.now() - started,
      });
      return this.fromRecord(await store.transactions.get(txId));
    } catch (err) {
      // The host could not read the block: its PIN key may have changed; fetch it again next time.
      if ((err as { code?: string }).code === 'PIN_BLOCK_INVALID') terminal.forgetWalletPinKey();
      return this.completeFailed(txId, started, err, 'declined');
    }
  }

  private async cancelled(
    txId: number,
    started: number,
    outcome: 'cancelled' | 'timeout',
  ): Promise<InquiryView> {
    await this.deps.store.transactions.complete(txId, {
      outcome: 'cancelled',
      errorCode: outcome === 'timeout' ? 'PIN_TIMEOUT' : 'CANCELLED',
      durationMs: Date.now() - started,
    });
    return this.fromRecord(await this.deps.store.transactions.get(txId));
  }

  private async completeCard(
    txId: number,
    started: number,
    answer: BalanceInquiryResult,
  ): Promise<InquiryView> {
    await this.deps.store.transactions.complete(txId, {
      outcome: answer.approved ? 'approved' : 'declined',
      responseCode: answer.responseCode,
      responseClass: answer.responseClass,
      rrn: answer.rrn ?? null,
      stan: answer.stan,
      ledgerFen: answer.ledger?.signedFen ?? null,
      availableFen: answer.available?.signedFen ?? null,
      currency: answer.available?.currency ?? answer.ledger?.currency ?? null,
      durationMs: Date.now() - started,
    });
    return this.fromRecord(await this.deps.store.transactions.get(txId));
  }

  /** Completes the row of a failed inquiry and gives the view of that row. */
  private async completeFailed(
    txId: number,
    started: number,
    err: unknown,
    refusedOutcome: Outcome = 'failed',
  ): Promise<InquiryView> {
    const coded = asCoded(err);
    const refused = (err as { kind?: string }).kind === 'refused';
    await this.deps.store.transactions.complete(txId, {
      outcome: refused ? (refusedOutcome as 'declined') : 'failed',
      errorCode: coded.code,
      errorMessage: `${coded.messageZh} / ${coded.message}`,
      durationMs: Date.now() - started,
    });
    return this.fromRecord(await this.deps.store.transactions.get(txId));
  }

  /** The advice line for an outcome: what the cashier does next. */
  advice(code: string | null, outcome: Outcome, errorCode: string | null): Bilingual | null {
    const phone = this.deps.servicePhone;
    if (outcome === 'approved') return null;
    if (outcome === 'cancelled')
      return { en: 'Start again when the customer is ready.', zh: '顾客准备好后可重新查询。' };
    if (code === '55')
      return { en: 'Ask the customer to enter the PIN again.', zh: '请顾客重新输入密码。' };
    if (code && lookupResponseCode(code).class === 'decline') {
      return { en: 'Ask the customer to contact the card issuer.', zh: '请顾客联系发卡银行。' };
    }
    if (errorCode?.startsWith('PRINTER')) return null;
    if (errorCode && /^(NOT_CONNECTED|PORT|OPEN|DEVICE|NO_RESPONSE|LINK)/.test(errorCode)) {
      return {
        en: 'Check the PIN pad cable, then try again.',
        zh: '请检查密码键盘连接线后重试。',
      };
    }
    if (errorCode?.startsWith('SMS_CODE') || errorCode?.startsWith('PASSWORD')) {
      return { en: 'Ask the customer to check and try again.', zh: '请顾客核对后重试。' };
    }
    return {
      en: `Try again. If it keeps failing, call the bank or POS service provider (${phone}).`,
      zh: `请重试；如仍失败，请联系银行或POS服务商（电话 ${phone}）。`,
    };
  }

  fromRecord(record: InquiryRecord | undefined): InquiryView {
    if (!record) throw new Error('inquiry row vanished');
    return this.view({
      kind: record.accountKind,
      operatorNo: record.operatorNo,
      transactionId: record.id,
      maskedAccount: record.maskedAccount,
      entryMode: record.entryMode,
      outcome: record.outcome,
      responseCode: record.responseCode,
      errorCode: record.errorCode,
      message: messageFor(record),
      ledgerFen: record.ledgerFen,
      availableFen: record.availableFen,
      currency: record.currency,
      rrn: record.rrn,
      stan: record.stan,
      at: record.createdAt,
      training: record.training,
      printedCount: record.printedCount,
    });
  }

  private failureView(
    kind: 'card' | 'wallet',
    progress: InquiryProgress,
    err: unknown,
  ): InquiryView {
    const coded = asCoded(err);
    const extra = err as { transactionId?: number | null };
    return this.view({
      kind,
      operatorNo: '',
      transactionId: extra.transactionId ?? null,
      maskedAccount: progress.maskedAccount ?? '',
      entryMode: '',
      outcome: 'failed',
      errorCode: coded.code,
      message: { en: coded.message, zh: coded.messageZh },
    });
  }

  private view(v: {
    kind: 'card' | 'wallet';
    operator?: InquiryOperator;
    operatorNo?: string;
    transactionId?: number | null;
    maskedAccount: string;
    entryMode: string;
    outcome: Outcome;
    responseCode?: string | null;
    errorCode?: string | null;
    message: Bilingual;
    ledgerFen?: number | null;
    availableFen?: number | null;
    currency?: string | null;
    rrn?: string | null;
    stan?: string | null;
    at?: string;
    training?: boolean;
    printedCount?: number;
  }): InquiryView {
    return {
      transactionId: v.transactionId ?? null,
      accountKind: v.kind,
      maskedAccount: v.maskedAccount,
      entryMode: v.entryMode,
      outcome: v.outcome,
      responseCode: v.responseCode ?? null,
      message: v.message,
      errorCode: v.errorCode ?? null,
      advice: this.advice(v.responseCode ?? null, v.outcome, v.errorCode ?? null),
      ledgerFen: v.ledgerFen ?? null,
      availableFen: v.availableFen ?? null,
      currency: v.currency ?? null,
      rrn: v.rrn ?? null,
      stan: v.stan ?? null,
      operatorNo: v.operatorNo ?? v.operator?.operatorNo ?? '',
      at: v.at ?? new Date().toISOString(),
      training: v.training ?? this.deps.training,
      printedCount: v.printedCount ?? 0,
    };
  }
}

function messageFor(record: InquiryRecord): Bilingual {
  if (record.responseCode) {
    const info = lookupResponseCode(record.responseCode);
    return { en: info.en, zh: info.zh };
  }
  if (record.outcome === 'cancelled') {
    return record.errorCode === 'PIN_TIMEOUT'
      ? { en: 'The customer did not enter a PIN in time.', zh: '顾客输入密码超时。' }
      : { en: 'Cancelled.', zh: '已取消。' };
  }
  if (record.outcome === 'unknown') {
    return {
      en: 'Outcome unknown: the console stopped during this inquiry.',
      zh: '结果未知：查询过程中收银台中断。',
    };
  }
  const [zh, en] = (record.errorMessage ?? '').split(' / ');
  return { zh: zh || '查询失败。', en: en || zh || 'The inquiry failed.' };
}
