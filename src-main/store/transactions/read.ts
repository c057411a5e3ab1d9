// Reads: one row, keyset-paged search (newest first), the daily summary, and the oldest-first
// scan behind the CSV export. Nothing here writes.
import { OUTCOMES, type Outcome } from '../../common';
import { badInput } from '../errors';
import type { SqliteDb, SqlValue } from '../sqlite';
import { localDayRange, toMillis } from '../time-range';
import { TX_COLUMNS, toRecord, type TxRow } from './rows';
import type { DailySummary, InquiryPage, InquiryQuery, TransactionsApi } from './types';

function cursorOf(r: TxRow): string {
  return `${r.created_at}.${r.id}`;
}

function parseCursor(cursor: string): [number, number] {
  const m = /^(\d+)\.(\d+)$/.exec(cursor);
  if (!m) throw badInput('cursor', '翻页位置');
  return [Number(m[1]), Number(m[2])];
}

function emptyCounts(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

const GET_BY_ID_SQL = `SELECT ${TX_COLUMNS} FROM transactions WHERE id = ?`;

export function transactionReader(
  db: SqliteDb,
): Pick<TransactionsApi, 'get' | 'search' | 'dailySummary' | 'scan'> {
  return {
    async get(id) {
      // A kept statement: every inquiry reads its row back for the view.
      const row = await db.exclusive(async (conn) =>
        (await conn.statement(GET_BY_ID_SQL)).get<TxRow>([id]),
      );
      return row ? toRecord(row) : undefined;
    },

    async search(query: InquiryQuery = {}): Promise<InquiryPage> {
      const where: string[] = [];
      const params: SqlValue[] = [];
      if (query.from !== undefined) {
        where.push('created_at >= ?');
        params.push(toMillis(query.from, 'from'));
      }
      if (query.to !== undefined) {
        where.push('created_at < ?');
        params.push(toMillis(query.to, 'to'));
      }
      const exact: [keyof InquiryQuery, string][] = [
        ['operatorNo', 'operator_no'],
        ['outcome', 'outcome'],
        ['responseClass', 'response_class'],
        ['last4', 'last4'],
        ['rrn', 'rrn'],
      ];
      for (const [key, column] of exact) {
        const value = query[key];
        if (value === undefined) continue;
        if (typeof value !== 'string') throw badInput(key, key);
        where.push(`${column} = ?`);
        params.push(value);
      }
      if (query.training !== undefined) {
        where.push('training = ?');
        params.push(query.training ? 1 : 0);
      }
      if (query.cursor !== undefined) {
        const [at, id] = parseCursor(query.cursor);
        where.push('(created_at < ? OR (created_at = ? AND id < ?))');
        params.push(at, at, id);
      }
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50), 1), 500);
      const rows = await db.all<TxRow>(
        `SELECT ${TX_COLUMNS} FROM transactions
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        [...params, limit + 1],
      );
      const more = rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      return {
        rows: page.map(toRecord),
        nextCursor: more ? cursorOf(page[page.length - 1]!) : null,
      };
    },

    async dailySummary(day, opts = {}) {
      const offset = opts.utcOffsetMinutes ?? -new Date(`${day}T12:00:00`).getTimezoneOffset();
      const { from, to } = localDayRange(day, offset);
      const rows = await db.all<{
        operator_no: string;
        outcome: Outcome;
        training: number;
        n: number;
      }>(
        `SELECT operator_no, outcome, training, COUNT(*) AS n FROM transactions
         WHERE created_at >= ? AND created_at < ? GROUP BY operator_no, outcome, training`,
        [from, to],
      );
      const summary: DailySummary = {
        day,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        total: 0,
        byOutcome: emptyCounts(),
        byOperator: [],
        training: 0,
      };
      const perOperator = new Map<string, DailySummary['byOperator'][number]>();
      for (const r of rows) {
        summary.total += r.n;
        summary.byOutcome[r.outcome] += r.n;
        if (r.training) summary.training += r.n;
        let op = perOperator.get(r.operator_no);
        if (!op) {
          op = { operatorNo: r.operator_no, total: 0, byOutcome: emptyCounts() };
          perOperator.set(r.operator_no, op);
        }
        op.total += r.n;
        op.byOutcome[r.outcome] += r.n;
      }
      summary.byOperator = [...perOperator.values()].sort((a, b) =>
        a.operatorNo.localeCompare(b.operatorNo),
      );
      return summary;
    },

    async scan(range, onRows) {
      const from = range.from === undefined ? 0 : toMillis(range.from, 'from');
      const to = range.to === undefined ? Number.MAX_SAFE_INTEGER : toMillis(range.to, 'to');
      let after: [number, number] = [from, 0];
      let total = 0;
      // Keyset pages: other writers (a live inquiry) get the connection between pages.
      for (;;) {
        const rows = await db.all<TxRow>(
          `SELECT ${TX_COLUMNS} FROM transactions
           WHERE created_at < ? AND (created_at > ? OR (created_at = ? AND id > ?))
           ORDER BY created_at, id LIMIT 1000`,
          [to, after[0], after[0], after[1]],
        );
        if (rows.length === 0) break;
        total += rows.length;
        await onRows(rows.map(toRecord));
        const last = rows[rows.length - 1]!;
        after = [last.created_at, last.id];
      }
      return total;
    },
  };
}
