// Writes: begin() before the host exchange, complete() after it, markPrinted() per (re)print.
// Each one changes its row and appends its chain entry in one SQLite transaction.
import { OUTCOMES } from '../../common';
import { StoreError, badInput } from '../errors';
import { assertMaskedAccount, lastFourOf, scrubSensitive } from '../sensitive';
import type { SqliteDb } from '../sqlite';
import { CHAIN_KINDS, appendChainEntry, chainReturning, type ChainRead } from './chain';
import { ENTRY_MODES, type BeginInquiry, type InquiryResult, type TransactionsApi } from './types';

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > max) throw badInput(field, field);
  return value;
}

function optionalFen(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badInput(field, '金额');
  return value;
}

/** An HMAC-SHA256 in base64url: 43 characters, never digits alone (so never a card number). */
const ACCOUNT_KEY = /^[A-Za-z0-9_-]{43}$/;

function validateBegin(input: BeginInquiry): void {
  if (input.accountKind !== 'card' && input.accountKind !== 'wallet') {
    throw badInput('accountKind', '账户类型');
  }
  if (typeof input.maskedAccount !== 'string') throw badInput('maskedAccount', '账号');
  assertMaskedAccount(input.maskedAccount);
  if (!(ENTRY_MODES as readonly string[]).includes(input.entryMode)) {
    throw badInput('entryMode', '读卡方式');
  }
  if (typeof input.operatorNo !== 'string' || !/^\d{2,8}$/.test(input.operatorNo)) {
    throw badInput('operatorNo', '操作员号');
  }
  if (input.stan !== undefined && input.stan !== null && !/^\d{6}$/.test(input.stan)) {
    throw badInput('stan', '流水号');
  }
  const key = input.accountKey;
  if (key !== undefined && key !== null && (!ACCOUNT_KEY.test(key) || /^\d+$/.test(key))) {
    throw badInput('accountKey', '账户摘要');
  }
}

/** The completion's columns, checked and with the error message scrubbed. */
function completionValues(result: InquiryResult) {
  if (
    !(OUTCOMES as readonly string[]).includes(result.outcome) ||
    (result.outcome as string) === 'unknown'
  ) {
    throw badInput('outcome', '结果');
  }
  if (!Number.isSafeInteger(result.durationMs) || result.durationMs < 0) {
    throw badInput('durationMs', '耗时');
  }
  return {
    responseCode: optionalText(result.responseCode, 'responseCode', 4),
    responseClass: optionalText(result.responseClass, 'responseClass', 32),
    rrn: optionalText(result.rrn, 'rrn', 12),
    stan: optionalText(result.stan, 'stan', 6),
    ledgerFen: optionalFen(result.ledgerFen, 'ledgerFen'),
    availableFen: optionalFen(result.availableFen, 'availableFen'),
    currency: optionalText(result.currency, 'currency', 3),
    errorCode: optionalText(result.errorCode, 'errorCode', 64),
    errorMessage:
      result.errorMessage === undefined || result.errorMessage === null
        ? null
        : scrubSensitive(String(result.errorMessage)).slice(0, 500),
  };
}

export function transactionWriter(
  db: SqliteDb,
  now: () => Date,
): Pick<TransactionsApi, 'begin' | 'complete' | 'markPrinted'> {
  return {
    async begin(input) {
      validateBegin(input);
      const at = now().getTime();
      return db.transaction(async (conn) => {
        // The row, and what its chain entry needs, in one statement.
        const insert = await conn.statement(
          `INSERT INTO transactions (created_at, operator_id, operator_no, account_kind, masked_account, last4, entry_mode, stan, training, account_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING id, ${chainReturning('begin')}`,
        );
        const inserted = await insert
          .get<ChainRead & { id: number }>([
            at,
            input.operatorId,
            input.operatorNo,
            input.accountKind,
            input.maskedAccount,
            lastFourOf(input.maskedAccount),
            input.entryMode,
            input.stan ?? null,
            input.training ? 1 : 0,
            input.accountKey ?? null,
          ])
          .catch(async (err: unknown) => {
            // The foreign key refuses an operator that is not in the table; asked only then,
            // so an inquiry's begin is one statement fewer.
            if (input.operatorId !== null) {
              const operator = await conn.statement('SELECT 1 FROM operators WHERE id = ?');
              if (!(await operator.get([input.operatorId]))) {
                throw badInput('operatorId', '操作员');
              }
            }
            throw err;
          });
        // An INSERT's RETURNING always gives its one row.
        const row = inserted!;
        await appendChainEntry(conn, row.id, CHAIN_KINDS.begin, at, row);
        return row.id;
      });
    },

    async complete(id, result) {
      const values = completionValues(result);
      const at = now().getTime();
      await db.transaction(async (conn) => {
        // Only a row not yet completed is updated (which refusal it is, is asked only then),
        // and gives back what its chain entry needs, in the same statement.
        const update = await conn.statement(
          `UPDATE transactions SET outcome = ?, response_code = ?, response_class = ?, rrn = ?, ledger_fen = ?,
             available_fen = ?, currency = ?, duration_ms = ?, error_code = ?, error_message = ?, completed_at = ?,
             stan = COALESCE(?, stan)
           WHERE id = ? AND completed_at IS NULL
           RETURNING ${chainReturning('complete')}`,
        );
        const updated = await update.get<ChainRead>([
          result.outcome,
          values.responseCode,
          values.responseClass,
          values.rrn,
          values.ledgerFen,
          values.availableFen,
          values.currency,
          result.durationMs,
          values.errorCode,
          values.errorMessage,
          at,
          values.stan,
          id,
        ]);
        if (!updated) {
          const read = await conn.statement('SELECT 1 FROM transactions WHERE id = ?');
          if (!(await read.get([id]))) throw new StoreError('TRANSACTION_NOT_FOUND');
          throw new StoreError('ALREADY_COMPLETED', { id });
        }
        await appendChainEntry(conn, id, CHAIN_KINDS.complete, at, updated);
      });
    },

    async markPrinted(id) {
      const at = now().getTime();
      await db.transaction(async (conn) => {
        const update = await conn.statement(
          `UPDATE transactions SET printed_count = printed_count + 1, last_printed_at = ? WHERE id = ?
           RETURNING ${chainReturning('print')}`,
        );
        const updated = await update.get<ChainRead>([at, id]);
        if (!updated) throw new StoreError('TRANSACTION_NOT_FOUND');
        await appendChainEntry(conn, id, CHAIN_KINDS.print, at, updated);
      });
    },
  };
}
