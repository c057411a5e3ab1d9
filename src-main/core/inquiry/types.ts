// What the inquiry's steps share: who runs it, what it needs from outside, what one running
// inquiry carries from step to step, and what a step answers.
import type { InquiryProgress, Outcome } from '../../contract';
import type { BalanceInquiryResult } from '../../host';
import type { CardData } from '../../devices/pinpad';
import type { WalletBalance, WalletClient } from '../../host/wallet';
import type { AccountKind, EntryMode, InquiryResult, Store } from '../../store';
import type { AccountKeyer } from '../review/account-key';
import type { Terminal } from '../terminal/types';
import type { InquiryFailure } from './failures';

export interface InquiryDeps {
  terminal: Terminal;
  store: Store;
  training: boolean;
  servicePhone: string;
  /** Phones of the parties, for the advice line (view.ts); empty: the service phone. */
  phones?: { bank: string; wallet: string };
  /** Throws while the PIN pad is not the one a supervisor trusts (core/trusted-devices.ts). */
  padTrusted?: () => void;
  /** The bank host's response timeout: the longest "ask bank" waits, shown as a countdown. */
  hostWaitMs?: number;
  /** Keys the hash of the account the log row asks about (log review); none: no hash kept. */
  accountKeyer?: Pick<AccountKeyer, 'keyOf'>;
  /** This till's own limit of PIN tries per card inquiry (Settings; 3 when absent). The bank's
   *  55 never says how many the issuer allows, so this is the count the cashier is shown. */
  pinTriesPerInquiry?: () => number;
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

/** One running inquiry, as every step sees it. */
export interface InquiryContext {
  readonly deps: InquiryDeps;
  readonly operator: InquiryOperator;
  /** Fires when the operator cancels. */
  readonly signal: AbortSignal;
  /** Tells the operator's window (a progress event). */
  show(change: Partial<InquiryProgress>): void;
  /** When the inquiry began, for the log row's duration. */
  started: number;
  /** What the log row will say about the account, once it is known. */
  account?: { kind: AccountKind; masked: string; entry: EntryMode };
  /** The log row, once written: from then on every ending completes it. */
  txId: number | null;
  /** Run when the inquiry ends, however it ends (listeners off, card data wiped). */
  readonly cleanups: Array<() => void>;
  /** Work that outlives the inquiry (a late host answer completing an abandoned row). */
  readonly lingering: Array<Promise<void>>;
}

export interface CardInquiry extends InquiryContext {
  card?: CardData;
  /** PINs the bank refused as wrong (55) so far in this inquiry, retries included. */
  wrongPins: number;
  pinBlock?: Buffer;
  /** Field 55 from the chip (chip and tap). */
  iccData?: Buffer;
  answer?: BalanceInquiryResult;
}

export interface WalletInquiry extends InquiryContext {
  /** The phone number or wallet id the customer gave. */
  readonly accountNo: string;
  readonly proof: WalletProof;
  wallet?: WalletClient;
  pinBlock?: Buffer;
  balance?: WalletBalance;
}

/**
 * How an inquiry ends:
 * - `no-card`: no card came (timeout or cancel) before anything was logged;
 * - `cancelled`: the row says cancelled (the customer or the operator stopped at the PIN);
 * - `failed`: the inquiry's own refusal (e.g. the card declined offline), written to the row;
 * - `logged`: the row holds the host's answer; after a wrong PIN (55), with the tries this till
 *   still allows in this inquiry and its limit (`pinTries`);
 * - `abandoned`: the operator stopped waiting for the host (Esc). The row stays open, 'outcome
 *   unknown', until `late` settles: the host's answer or its failure completes it then, marked
 *   ABANDONED, so the log tells what the bank did even though the screen had moved on.
 * A step that throws ends the inquiry as failed too, with the layer's own code and words.
 */
export type Ending =
  | { kind: 'no-card'; timedOut: boolean }
  | { kind: 'cancelled'; errorCode?: 'CANCELLED' | 'PIN_TIMEOUT' }
  | { kind: 'failed'; failure: InquiryFailure }
  | { kind: 'logged'; pinTries?: { left: number; limit: number } }
  | { kind: 'abandoned'; late: Promise<Omit<InquiryResult, 'durationMs'>> };

/** What a step answers: go on with the path, switch to another path, or end the inquiry. */
export type Next<P extends string> = 'next' | { fork: P } | { end: Ending };

export type Step<C extends InquiryContext, P extends string> = (inquiry: C) => Promise<Next<P>>;

/** The outcome a failed row gets. */
export type FailedOutcome = Extract<Outcome, 'failed' | 'declined'>;
