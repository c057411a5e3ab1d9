// The balance inquiry workflow, one at a time: a state machine whose flows (card by swipe, chip
// or tap; payment account by SMS code or payment password) are the table in flows.ts. The log row
// is written before the host exchange and completed after it, so a crash in between leaves an
// 'outcome unknown' row rather than nothing.
import { ApiError, type InquiryProgress, type InquiryView } from '../../contract';
import { CardData } from '../../devices/pinpad';
import { InquiryError } from './failures';
import { CARD_PATHS, WALLET_PATHS } from './flows';
import { conclude, concludeFailed, failureView, walk } from './machine';
import type {
  CardInquiry,
  Ending,
  InquiryContext,
  InquiryDeps,
  InquiryOperator,
  WalletInquiry,
  WalletProof,
} from './types';

export { InquiryError, type InquiryErrorCode } from './failures';
export { advice, viewOfRecord, type ViewSettings } from './view';
export type { InquiryDeps, InquiryOperator, WalletProof } from './types';

/** How long a card inquiry waits for the retry key after a wrong PIN before it is over. */
export const PIN_RETRY_HOLD_MS = 120_000;

/**
 * A card inquiry between a wrong PIN and the retry key: its count of wrong PINs and, for a
 * swiped card, a copy of the card data, so the retry asks for the PIN alone. It lives in memory
 * only, for this inquiry: Esc (cancel), another inquiry, or PIN_RETRY_HOLD_MS wipes it.
 */
interface HeldForRetry {
  id: number;
  by: InquiryOperator;
  wrongPins: number;
  card: CardData | null;
  timer: NodeJS.Timeout;
}

export class InquiryRunner {
  private nextId = 1;
  private running: { id: number; abort: AbortController; by: InquiryOperator } | null = null;
  private held: HeldForRetry | null = null;
  private done: Promise<void> = Promise.resolve();
  private lingering = new Set<Promise<void>>();

  constructor(private readonly deps: InquiryDeps) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Who started the running inquiry with this id (or the one waiting for its retry key). */
  ownerOf(inquiryId: number): InquiryOperator | undefined {
    if (this.running?.id === inquiryId) return this.running.by;
    return this.held?.id === inquiryId ? this.held.by : undefined;
  }

  /** Starts a card inquiry; returns its id at once. Progress goes out through `emit`. */
  startCard(operator: InquiryOperator): number {
    // Refused before anything starts (and before the busy check) when no card can be read here.
    this.deps.terminal.assertCanReadCards();
    this.deps.padTrusted?.();
    if (this.running) throw new ApiError('INQUIRY_RUNNING');
    this.dropHeld();
    return this.startCardWalk(operator, 'card', { wrongPins: 0 });
  }

  /**
   * The retry key after a wrong PIN: the same card inquiry goes on under a new id (a new log
   * row, a new request with a new trace number and a new PIN block). A swiped card is not asked
   * for again; a chip or tapped card is (see flows.ts). Refused once that inquiry is over.
   */
  retryPin(inquiryId: number, operator: InquiryOperator): number {
    const held = this.held;
    if (!held || held.id !== inquiryId || held.by.id !== operator.id) {
      throw new InquiryError('PIN_RETRY_GONE');
    }
    if (this.running) throw new ApiError('INQUIRY_RUNNING');
    clearTimeout(held.timer);
    this.held = null;
    const card = held.card;
    if (!card) return this.startCardWalk(operator, 'card', { wrongPins: held.wrongPins });
    return this.startCardWalk(operator, 'pin-again', { wrongPins: held.wrongPins, card }, card);
  }

  startWallet(operator: InquiryOperator, accountNo: string, proof: WalletProof): number {
    if (this.running) throw new ApiError('INQUIRY_RUNNING');
    this.dropHeld();
    return this.start('wallet', operator, { accountNo, proof }, (inquiry: WalletInquiry) =>
      walk(WALLET_PATHS, proof.kind, inquiry),
    );
  }

  /** Stops the inquiry: the PIN pad is told to abort, the log row (if any) says cancelled. An
   *  inquiry waiting for its retry key is over: its card data is wiped. */
  async cancel(inquiryId: number): Promise<void> {
    if (this.held?.id === inquiryId) this.dropHeld();
    if (this.running?.id !== inquiryId) return;
    this.running.abort.abort();
    await this.deps.terminal.pinpad.cancel().catch(() => undefined);
  }

  /** Ends the inquiry waiting for its retry key, if any (the console closes, the terminal is
   *  reopened): nothing of the card stays in memory. */
  close(): void {
    this.dropHeld();
  }

  private startCardWalk(
    operator: InquiryOperator,
    from: 'card' | 'pin-again',
    own: Pick<CardInquiry, 'wrongPins' | 'card'>,
    heldCard?: CardData,
  ): number {
    return this.start('card', operator, own, async (inquiry: CardInquiry) => {
      if (heldCard) inquiry.cleanups.push(() => heldCard.wipe());
      const ending = await walk(CARD_PATHS, from, inquiry);
      if (ending.kind === 'logged' && ending.pinTries && ending.pinTries.left > 0) {
        this.hold(inquiry);
      }
      return ending;
    });
  }

  /** Keeps what the retry key needs, past this run's cleanups (which wipe the card it read). */
  private hold(inquiry: CardInquiry): void {
    const card = inquiry.card;
    const copy =
      card?.entry === 'swipe'
        ? new CardData(
            card.entry,
            {
              pan: card.pan,
              ...(card.track2 ? { track2: card.track2 } : {}),
              ...(card.panSequence ? { panSequence: card.panSequence } : {}),
            },
            card.expiry,
          )
        : null;
    const id = this.running!.id;
    const timer = setTimeout(() => this.dropHeld(), PIN_RETRY_HOLD_MS);
    timer.unref();
    this.held = { id, by: inquiry.operator, wrongPins: inquiry.wrongPins, card: copy, timer };
  }

  private dropHeld(): void {
    if (!this.held) return;
    clearTimeout(this.held.timer);
    this.held.card?.wipe();
    this.held = null;
  }

  /** Resolves when the running inquiry (if any) has finished; for shutdown and tests. */
  idle(): Promise<void> {
    return this.done;
  }

  /** Resolves when abandoned inquiries' late host answers have completed their rows too. */
  async settled(): Promise<void> {
    await this.done;
    await Promise.all(this.lingering);
  }

  private start<C extends InquiryContext>(
    kind: 'card' | 'wallet',
    by: InquiryOperator,
    own: Omit<C, keyof InquiryContext>,
    flow: (inquiry: C) => Promise<Ending>,
  ): number {
    if (this.running) throw new ApiError('INQUIRY_RUNNING');
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
      waitMs: null,
      result: null,
    };
    const inquiry = {
      ...own,
      deps: this.deps,
      operator: by,
      signal: abort.signal,
      show: (change: Partial<InquiryProgress>) => this.show(progress, change, by),
      started: Date.now(),
      txId: null,
      cleanups: [],
      lingering: [],
    } as unknown as C;
    this.done = this.run(kind, inquiry, flow).then(
      (result) => this.finish(progress, by, result),
      (err: unknown) => this.finish(progress, by, failureView(this.deps, kind, progress, err)),
    );
    return id;
  }

  private async run<C extends InquiryContext>(
    kind: 'card' | 'wallet',
    inquiry: C,
    flow: (inquiry: C) => Promise<Ending>,
  ): Promise<InquiryView> {
    try {
      try {
        return await conclude(inquiry, kind, await flow(inquiry));
      } catch (err) {
        if (inquiry.txId === null) throw err;
        return await concludeFailed(inquiry, inquiry.txId, err);
      }
    } finally {
      for (const cleanup of inquiry.cleanups.reverse()) cleanup();
      for (const work of inquiry.lingering) {
        this.lingering.add(work);
        void work.finally(() => this.lingering.delete(work));
      }
    }
  }

  private finish(progress: InquiryProgress, by: InquiryOperator, result: InquiryView): void {
    this.running = null;
    this.show(progress, { step: 'done', result }, by);
  }

  private show(
    progress: InquiryProgress,
    change: Partial<InquiryProgress>,
    by: InquiryOperator,
  ): void {
    Object.assign(progress, change);
    // The countdown belongs to the host step alone.
    if (change.step !== undefined && change.waitMs === undefined) progress.waitMs = null;
    this.deps.emit({ ...progress }, by);
  }
}
