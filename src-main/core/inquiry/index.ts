// The balance inquiry workflow, one at a time: a state machine whose flows (card by swipe, chip
// or tap; payment account by SMS code or payment password) are the table in flows.ts. The log row
// is written before the host exchange and completed after it, so a crash in between leaves an
// 'outcome unknown' row rather than nothing.
import { ApiError, type InquiryProgress, type InquiryView } from '../../contract';
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

export class InquiryRunner {
  private nextId = 1;
  private running: { id: number; abort: AbortController; by: InquiryOperator } | null = null;
  private done: Promise<void> = Promise.resolve();
  private lingering = new Set<Promise<void>>();

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
    this.deps.padTrusted?.();
    return this.start('card', operator, {}, (inquiry: CardInquiry) =>
      walk(CARD_PATHS, 'card', inquiry),
    );
  }

  startWallet(operator: InquiryOperator, accountNo: string, proof: WalletProof): number {
    return this.start('wallet', operator, { accountNo, proof }, (inquiry: WalletInquiry) =>
      walk(WALLET_PATHS, proof.kind, inquiry),
    );
  }

  /** Stops the inquiry: the PIN pad is told to abort, the log row (if any) says cancelled. */
  async cancel(inquiryId: number): Promise<void> {
    if (this.running?.id !== inquiryId) return;
    this.running.abort.abort();
    await this.deps.terminal.pinpad.cancel().catch(() => undefined);
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
