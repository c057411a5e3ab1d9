// A transactions row as SQLite returns it, and as the API hands it out.
import type { Outcome } from '../../common';
import type { AccountKind, EntryMode, InquiryRecord } from './types';

export interface TxRow {
  id: number;
  created_at: number;
  operator_id: number | null;
  operator_no: string;
  account_kind: AccountKind;
  masked_account: string;
  last4: string;
  entry_mode: EntryMode;
  stan: string | null;
  training: number;
  outcome: Outcome;
  response_code: string | null;
  response_class: string | null;
  rrn: string | null;
  ledger_fen: number | null;
  available_fen: number | null;
  currency: string | null;
  duration_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  completed_at: number | null;
  printed_count: number;
  last_printed_at: number | null;
}

export const TX_COLUMNS =
  'id, created_at, operator_id, operator_no, account_kind, masked_account, last4, entry_mode, stan, training, outcome, response_code, response_class, rrn, ledger_fen, available_fen, currency, duration_ms, error_code, error_message, completed_at, printed_count, last_printed_at';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function toRecord(r: TxRow): InquiryRecord {
  return {
    id: r.id,
    createdAt: new Date(r.created_at).toISOString(),
    completedAt: iso(r.completed_at),
    operatorId: r.operator_id,
    operatorNo: r.operator_no,
    accountKind: r.account_kind,
    maskedAccount: r.masked_account,
    last4: r.last4,
    entryMode: r.entry_mode,
    stan: r.stan,
    training: r.training !== 0,
    outcome: r.outcome,
    responseCode: r.response_code,
    responseClass: r.response_class,
    rrn: r.rrn,
    ledgerFen: r.ledger_fen,
    availableFen: r.available_fen,
    currency: r.currency,
    durationMs: r.duration_ms,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    printedCount: r.printed_count,
    lastPrintedAt: iso(r.last_printed_at),
  };
}
