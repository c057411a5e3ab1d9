// What the transaction log takes and gives: the API and its values. The inquiry outcomes are
// shared vocabulary (common/inquiry.ts).
import type { FinalOutcome, Outcome } from '../../common';

export type AccountKind = 'card' | 'wallet';
export const ENTRY_MODES = [
  'swipe',
  'chip',
  'contactless',
  'fallback',
  'manual',
  'sms-code',
  'pay-password',
] as const;
export type EntryMode = (typeof ENTRY_MODES)[number];

export interface BeginInquiry {
  operatorId: number | null;
  operatorNo: string;
  accountKind: AccountKind;
  /** Masked only (`622202******1234`, `138****5678`); a full PAN is refused. */
  maskedAccount: string;
  entryMode: EntryMode;
  /** System trace audit number (6 digits), when the host exchange has one. */
  stan?: string | null;
  training: boolean;
  /** The keyed hash of the full account for the log review (core/review/account-key.ts):
   *  HMAC-SHA256 in base64url, never the number itself. */
  accountKey?: string | null;
}

export interface InquiryResult {
  outcome: FinalOutcome;
  /** System trace audit number of the host exchange (6 digits), once known. */
  stan?: string | null;
  /** ISO 8583 field 39, e.g. '00', '55'. */
  responseCode?: string | null;
  /** Class of the response as the host client names it, e.g. 'approved', 'pin-error'. */
  responseClass?: string | null;
  /** Retrieval reference number (12 characters). */
  rrn?: string | null;
  /** Balances in fen (1/100 yuan); null when the host did not send one. */
  ledgerFen?: number | null;
  availableFen?: number | null;
  /** ISO 4217 code, e.g. 'CNY' or '156'. */
  currency?: string | null;
  durationMs: number;
  errorCode?: string | null;
  /** Card numbers and hex blobs in it are masked before storing. */
  errorMessage?: string | null;
}

export interface InquiryRecord {
  id: number;
  /** ISO 8601, UTC. */
  createdAt: string;
  completedAt: string | null;
  operatorId: number | null;
  operatorNo: string;
  accountKind: AccountKind;
  maskedAccount: string;
  last4: string;
  entryMode: EntryMode;
  stan: string | null;
  training: boolean;
  outcome: Outcome;
  responseCode: string | null;
  responseClass: string | null;
  rrn: string | null;
  ledgerFen: number | null;
  availableFen: number | null;
  currency: string | null;
  durationMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  printedCount: number;
  lastPrintedAt: string | null;
}

export interface InquiryQuery {
  /** Inclusive lower bound on the start time (ISO string or Date). */
  from?: string | Date;
  /** Exclusive upper bound. */
  to?: string | Date;
  operatorNo?: string;
  outcome?: Outcome;
  responseClass?: string;
  /** Last 4 characters of the masked account. */
  last4?: string;
  rrn?: string;
  training?: boolean;
  /** Rows per page: default 50, at most 500. Newest first. */
  limit?: number;
  /** From the previous page's `nextCursor` (fast at any depth). */
  cursor?: string;
}

export interface InquiryPage {
  rows: InquiryRecord[];
  /** Pass as `cursor` for the next (older) page; null when this is the last page. */
  nextCursor: string | null;
}

export interface DailySummary {
  /** The local day, YYYY-MM-DD. */
  day: string;
  from: string;
  to: string;
  total: number;
  byOutcome: Record<Outcome, number>;
  byOperator: { operatorNo: string; total: number; byOutcome: Record<Outcome, number> }[];
  training: number;
}

export type ChainProblemKind =
  | 'edited'
  | 'deleted'
  | 'entries-missing'
  | 'unchained'
  | 'print-count'
  | 'head-mismatch'
  /** The signed checkpoint (checkpoints.ts) was edited, or its key removed. */
  | 'checkpoint-invalid'
  /** The checkpoint was removed while its key is still there. */
  | 'checkpoint-missing'
  /** The chain at the checkpoint's position is no longer the one signed. */
  | 'checkpoint-mismatch';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The transaction row concerned (when known). */
  txId?: number;
  /** Which part of the row: begin fields, completion fields or reprints. */
  part?: 'begin' | 'complete' | 'print';
  /** First and last missing chain sequence numbers for 'entries-missing'. */
  seqFrom?: number;
  seqTo?: number;
  message: string;
  messageZh: string;
}

export interface VerifyOptions {
  /** Walk the whole chain, not only what is new since the last checkpoint. */
  full?: boolean;
  /** Called after every page of entries: entries done of those to walk. */
  onProgress?: (progress: { done: number; total: number }) => void;
  /** false: leave the checkpoint where it is (default: move it after a clean run). */
  checkpoint?: boolean;
}

export interface ChainReport {
  ok: boolean;
  rows: number;
  /** Chain entries walked in this run (after `fromSeq`). */
  entries: number;
  /** 'incremental': from the last signed checkpoint on; 'full': the whole chain. */
  mode: 'incremental' | 'full';
  /** The entry the walk started after (0 for a full walk). */
  fromSeq: number;
  /** All problems found; `problems` lists at most the first 1000. */
  problemCount: number;
  problems: ChainProblem[];
}

export interface TransactionsApi {
  /** Writes the 'outcome unknown' row before the host exchange; returns its id. */
  begin(input: BeginInquiry): Promise<number>;
  /** Fills in the result; refused ('ALREADY_COMPLETED') for a row that is already complete. */
  complete(id: number, result: InquiryResult): Promise<void>;
  /** Counts a (re)print of the slip. */
  markPrinted(id: number): Promise<void>;
  /** One row, e.g. to reprint its slip; undefined when there is no such row. */
  get(id: number): Promise<InquiryRecord | undefined>;
  search(query?: InquiryQuery): Promise<InquiryPage>;
  /** Counts per outcome and per operator for one local day (utcOffsetMinutes default: this PC's). */
  dailySummary(day: string, opts?: { utcOffsetMinutes?: number }): Promise<DailySummary>;
  /**
   * Walks the hash chain from the last signed checkpoint (or, `full`, from the start) and
   * compares it with the rows; a clean run moves the checkpoint.
   */
  verify(opts?: VerifyOptions): Promise<ChainReport>;
  /**
   * Streams rows in [from, to) oldest first, in pages, to `onRows`; returns the count.
   * Used by the CSV export.
   */
  scan(
    range: { from?: string | Date; to?: string | Date },
    onRows: (rows: InquiryRecord[]) => Promise<void> | void,
  ): Promise<number>;
}
