// Log review: the flags the review rules raise (core/review), the days a supervisor marked
// reviewed, and the rules' thresholds. The rules themselves live in the core; this keeps what
// they found. A flag is raised once per key (rule + what it is about): evaluating a day again
// updates an open flag (a run of asks that grew) and leaves an acknowledged one as it was.
// Acknowledging a flag and marking a day reviewed are audited in the same transaction.
import type { Outcome } from '../common';
import { appendAudit } from './audit';
import { StoreError, badInput } from './errors';
import { scrubSensitive } from './sensitive';
import type { SqlConn, SqliteDb } from './sqlite';
import type { AccountKind } from './transactions';

/** What the rules read of one inquiry (never more than the log holds: a masked account). */
export interface ReviewRow {
  id: number;
  /** Epoch ms. */
  createdAt: number;
  completedAt: number | null;
  operatorNo: string;
  accountKind: AccountKind;
  maskedAccount: string;
  /** Keyed hash of the full account (core/review/account-key.ts); null on rows from before it
   *  was kept, or where the console had no hash key: those are compared by `maskedAccount`. */
  accountKey: string | null;
  entryMode: string;
  outcome: Outcome;
  responseCode: string | null;
  training: boolean;
  printedCount: number;
  /** When its slip was first printed (the oldest print entry of the chain); null if never. */
  firstPrintedAt: number | null;
}

/** A flag as a rule raises it. */
export interface FlagDraft {
  rule: string;
  /** The local day it belongs to, YYYY-MM-DD. */
  day: string;
  /** Rule + subject: the same finding raises one flag however often a day is evaluated. */
  key: string;
  /** Epoch ms of the first inquiry concerned. */
  at: number;
  operatorNo: string | null;
  /** What it is about: a masked account, an operator number, a transaction. */
  subject: string;
  txIds: number[];
  /** Figures for the words (counts, minutes, rates); never a full card number. */
  detail: Record<string, string | number | boolean | null>;
}

export interface ReviewFlag extends FlagDraft {
  id: number;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  note: string | null;
}

export interface ReviewDay {
  day: string;
  inquiries: number;
  flags: number;
  openFlags: number;
  reviewedAt: string | null;
  reviewedBy: string | null;
  note: string | null;
}

export interface ReviewActor {
  operatorId: number;
  operatorNo: string;
}

export interface ReviewStore {
  /** The inquiries started in [from, to) (epoch ms), oldest first. */
  rowsBetween(from: number, to: number): Promise<ReviewRow[]>;
  /** Start time (epoch ms) of the oldest inquiry at or after `from`, if any. */
  firstInquiryAt(from: number): Promise<number | undefined>;
  /** The newest day whose evaluation is final (evaluated after it ended). */
  lastFinalDay(): Promise<string | undefined>;
  /** Grows with every begin, completion and print the log records (its chain position). */
  logVersion(): Promise<number>;
  /** Stores a day's findings; `final` once the day is over (it is not evaluated again). */
  saveDay(
    day: string,
    inquiries: number,
    flags: FlagDraft[],
    opts: { nowMs: number; final: boolean },
  ): Promise<void>;
  listFlags(query: { day?: string; open?: boolean; limit?: number }): Promise<ReviewFlag[]>;
  openCount(): Promise<number>;
  /** Acknowledges an open flag with a note (audited 'review-ack'). */
  acknowledge(id: number, note: string, by: ReviewActor): Promise<ReviewFlag>;
  /** Marks a day reviewed (audited 'review-day'); a day with open flags is refused. */
  markDayReviewed(day: string, note: string, by: ReviewActor): Promise<ReviewDay>;
  /** Days with inquiries, newest first; `unreviewed` only those not yet reviewed. */
  days(query: { unreviewed?: boolean; limit?: number }): Promise<ReviewDay[]>;
  /** The thresholds as saved (JSON), or undefined before the first save. */
  readSettings(): Promise<unknown>;
  saveSettings(settings: unknown): Promise<void>;
}

interface FlagRow {
  id: number;
  rule: string;
  day: string;
  flag_key: string;
  at: number;
  operator_no: string | null;
  subject: string;
  tx_ids: string;
  detail: string | null;
  raised_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  note: string | null;
}

interface DayRow {
  day: string;
  inquiries: number;
  reviewed_at: number | null;
  reviewed_by: string | null;
  note: string | null;
  flags: number;
  open_flags: number;
}

const FLAG_COLUMNS =
  'id, rule, day, flag_key, at, operator_no, subject, tx_ids, detail, raised_at, acknowledged_at, acknowledged_by, note';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toFlag(r: FlagRow): ReviewFlag {
  return {
    id: r.id,
    rule: r.rule,
    day: r.day,
    key: r.flag_key,
    at: r.at,
    operatorNo: r.operator_no,
    subject: r.subject,
    txIds: JSON.parse(r.tx_ids) as number[],
    detail: r.detail === null ? {} : (JSON.parse(r.detail) as FlagDraft['detail']),
    raisedAt: new Date(r.raised_at).toISOString(),
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    note: r.note,
  };
}

function toDay(r: DayRow): ReviewDay {
  return {
    day: r.day,
    inquiries: r.inquiries,
    flags: r.flags,
    openFlags: r.open_flags,
    reviewedAt: iso(r.reviewed_at),
    reviewedBy: r.reviewed_by,
    note: r.note,
  };
}

const DAY_SELECT = `SELECT d.day, d.inquiries, d.reviewed_at, d.reviewed_by, d.note,
  (SELECT COUNT(*) FROM review_flags f WHERE f.day = d.day) AS flags,
  (SELECT COUNT(*) FROM review_flags f WHERE f.day = d.day AND f.acknowledged_at IS NULL) AS open_flags
  FROM review_days d`;

/** A supervisor's note: trimmed, 1 to 500 characters, card numbers masked. */
function checkNote(note: string, required: boolean): string {
  const trimmed = note.trim();
  if ((required && trimmed.length === 0) || [...trimmed].length > 500) {
    throw new StoreError('REVIEW_NOTE_REQUIRED');
  }
  return scrubSensitive(trimmed);
}

/**
 * The flag to keep for a finding, given what was acknowledged before under its key: the
 * finding itself when nothing was; undefined when every inquiry in it was already acknowledged;
 * else a continuation (`key@first new inquiry`), so a run that grew after a supervisor looked
 * at it is raised again instead of hiding behind the acknowledgement.
 */
async function unacknowledgedPart(conn: SqlConn, f: FlagDraft): Promise<FlagDraft | undefined> {
  const acked = await conn.all<{ tx_ids: string }>(
    `SELECT tx_ids FROM review_flags WHERE (flag_key = ? OR flag_key LIKE ? ESCAPE '\\')
       AND acknowledged_at IS NOT NULL`,
    [f.key, `${f.key.replace(/[\\%_]/g, (c) => `\\${c}`)}@%`],
  );
  if (acked.length === 0) return f;
  const seen = new Set(acked.flatMap((r) => JSON.parse(r.tx_ids) as number[]));
  const firstNew = f.txIds.find((id) => !seen.has(id));
  return firstNew === undefined ? undefined : { ...f, key: `${f.key}@${firstNew}` };
}

export function createReviewStore(db: SqliteDb, now: () => Date): ReviewStore {
  return {
    async rowsBetween(from, to) {
      const rows = await db.all<{
        id: number;
        created_at: number;
        completed_at: number | null;
        operator_no: string;
        account_kind: AccountKind;
        masked_account: string;
        account_key: string | null;
        entry_mode: string;
        outcome: Outcome;
        response_code: string | null;
        training: number;
        printed_count: number;
        first_printed_at: number | null;
      }>(
        `SELECT t.id, t.created_at, t.completed_at, t.operator_no, t.account_kind, t.masked_account,
           t.account_key, t.entry_mode, t.outcome, t.response_code, t.training, t.printed_count,
           CASE WHEN t.printed_count > 0 THEN
             (SELECT MIN(c.at) FROM tx_chain c WHERE c.tx_id = t.id AND c.kind = 3) END AS first_printed_at
         FROM transactions t WHERE t.created_at >= ? AND t.created_at < ?
         ORDER BY t.created_at, t.id`,
        [from, to],
      );
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        completedAt: r.completed_at,
        operatorNo: r.operator_no,
        accountKind: r.account_kind,
        maskedAccount: r.masked_account,
        accountKey: r.account_key,
        entryMode: r.entry_mode,
        outcome: r.outcome,
        responseCode: r.response_code,
        training: r.training !== 0,
        printedCount: r.printed_count,
        firstPrintedAt: r.first_printed_at,
      }));
    },

    async firstInquiryAt(from) {
      const row = await db.get<{ at: number | null }>(
        'SELECT MIN(created_at) AS at FROM transactions WHERE created_at >= ?',
        [from],
      );
      return row?.at ?? undefined;
    },

    async logVersion() {
      const row = await db.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM tx_chain');
      return row?.seq ?? 0;
    },

    async lastFinalDay() {
      const row = await db.get<{ day: string | null }>(
        'SELECT MAX(day) AS day FROM review_days WHERE final = 1',
      );
      return row?.day ?? undefined;
    },

    async saveDay(day, inquiries, flags, opts) {
      await db.transaction(async (conn) => {
        for (const found of flags) {
          const f = await unacknowledgedPart(conn, found);
          if (!f) continue;
          await conn.run(
            `INSERT INTO review_flags (rule, day, flag_key, at, operator_no, subject, tx_ids, detail, raised_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(flag_key) DO UPDATE SET tx_ids = excluded.tx_ids, detail = excluded.detail
               WHERE review_flags.acknowledged_at IS NULL`,
            [
              f.rule,
              f.day,
              f.key,
              f.at,
              f.operatorNo,
              f.subject,
              JSON.stringify(f.txIds),
              scrubSensitive(JSON.stringify(f.detail)),
              opts.nowMs,
            ],
          );
        }
        await conn.run(
          `INSERT INTO review_days (day, inquiries, evaluated_at, final) VALUES (?, ?, ?, ?)
           ON CONFLICT(day) DO UPDATE SET inquiries = excluded.inquiries,
             evaluated_at = excluded.evaluated_at, final = excluded.final`,
          [day, inquiries, opts.nowMs, opts.final ? 1 : 0],
        );
        // A day marked reviewed had no open flag then: one now is new, so it needs review again.
        await conn.run(
          `UPDATE review_days SET reviewed_at = NULL, reviewed_by = NULL
           WHERE day = ? AND reviewed_at IS NOT NULL
             AND EXISTS (SELECT 1 FROM review_flags WHERE day = ? AND acknowledged_at IS NULL)`,
          [day, day],
        );
      });
    },

    async listFlags(query) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.day !== undefined) {
        where.push('day = ?');
        params.push(query.day);
      }
      if (query.open !== undefined) {
        where.push(query.open ? 'acknowledged_at IS NULL' : 'acknowledged_at IS NOT NULL');
      }
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 200), 1), 1000);
      const rows = await db.all<FlagRow>(
        `SELECT ${FLAG_COLUMNS} FROM review_flags ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY day DESC, at DESC, id DESC LIMIT ?`,
        [...params, limit],
      );
      return rows.map(toFlag);
    },

    async openCount() {
      const row = await db.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM review_flags WHERE acknowledged_at IS NULL',
      );
      return row?.n ?? 0;
    },

    async acknowledge(id, note, by) {
      const text = checkNote(note, true);
      return db.transaction(async (conn) => {
        const row = await conn.get<FlagRow>(
          `SELECT ${FLAG_COLUMNS} FROM review_flags WHERE id = ?`,
          [id],
        );
        if (!row) throw new StoreError('REVIEW_FLAG_NOT_FOUND', { id });
        if (row.acknowledged_at !== null) {
          throw new StoreError('REVIEW_FLAG_ACKNOWLEDGED', { id, by: row.acknowledged_by ?? '' });
        }
        const at = now().getTime();
        await conn.run(
          'UPDATE review_flags SET acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE id = ?',
          [at, by.operatorNo, text, id],
        );
        await appendAudit(
          conn,
          {
            kind: 'review-ack',
            operatorId: by.operatorId,
            operatorNo: by.operatorNo,
            detail: {
              flagId: id,
              rule: row.rule,
              day: row.day,
              subject: row.subject,
              target: row.operator_no,
              transactions: JSON.parse(row.tx_ids) as number[],
              note: text,
            },
          },
          at,
        );
        return toFlag({ ...row, acknowledged_at: at, acknowledged_by: by.operatorNo, note: text });
      });
    },

    async markDayReviewed(day, note, by) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw badInput('day', '日期');
      const text = checkNote(note, false);
      return db.transaction(async (conn) => {
        const row = await conn.get<DayRow>(`${DAY_SELECT} WHERE d.day = ?`, [day]);
        if (!row) throw new StoreError('REVIEW_DAY_NOT_FOUND', { day });
        if (row.open_flags > 0) {
          throw new StoreError('REVIEW_DAY_OPEN_FLAGS', { day, open: row.open_flags });
        }
        const at = now().getTime();
        await conn.run(
          'UPDATE review_days SET reviewed_at = ?, reviewed_by = ?, note = ? WHERE day = ?',
          [at, by.operatorNo, text || null, day],
        );
        await appendAudit(
          conn,
          {
            kind: 'review-day',
            operatorId: by.operatorId,
            operatorNo: by.operatorNo,
            detail: { day, inquiries: row.inquiries, flags: row.flags, note: text || null },
          },
          at,
        );
        return toDay({ ...row, reviewed_at: at, reviewed_by: by.operatorNo, note: text || null });
      });
    },

    async days(query) {
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 60), 1), 400);
      const rows = await db.all<DayRow>(
        `${DAY_SELECT} WHERE d.inquiries > 0 ${query.unreviewed ? 'AND d.reviewed_at IS NULL' : ''}
         ORDER BY d.day DESC LIMIT ?`,
        [limit],
      );
      return rows.map(toDay);
    },

    async readSettings() {
      const row = await db.get<{ json: string }>('SELECT json FROM review_settings WHERE id = 1');
      return row ? (JSON.parse(row.json) as unknown) : undefined;
    },

    async saveSettings(settings) {
      await db.run(
        `INSERT INTO review_settings (id, json) VALUES (1, ?)
         ON CONFLICT(id) DO UPDATE SET json = excluded.json`,
        [JSON.stringify(settings)],
      );
    },
  };
}
