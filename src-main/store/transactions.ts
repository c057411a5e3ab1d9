// The transaction log: one row per inquiry attempt, written BEFORE the host exchange
// (outcome 'unknown') and completed after it, so a crash mid-inquiry leaves a row saying
// "outcome unknown", never nothing. Every write appends an entry to a hash chain (tx_chain);
// see README.md for how begin, completion and reprints fit into it.
import { createHash } from 'node:crypto';
import { StoreError, badInput, notFound } from './errors';
import { assertMaskedAccount, lastFourOf, scrubSensitive } from './sensitive';
import { SqliteDb, type SqlConn, type SqlValue } from './sqlite';
import { toMillis, GENESIS_HASH } from './audit';

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
/** 'unknown' = begun but never completed (crash, power cut, or still running). */
export const OUTCOMES = ['unknown', 'approved', 'declined', 'failed', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type FinalOutcome = Exclude<Outcome, 'unknown'>;

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
  'edited' | 'deleted' | 'entries-missing' | 'unchained' | 'print-count' | 'head-mismatch';

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

export interface ChainReport {
  ok: boolean;
  rows: number;
  entries: number;
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
  /** Walks the whole hash chain and compares it with the rows. */
  verify(): Promise<ChainReport>;
  /**
   * Streams rows in [from, to) oldest first, in pages, to `onRows`; returns the count.
   * Used by the CSV export.
   */
  scan(
    range: { from?: string | Date; to?: string | Date },
    onRows: (rows: InquiryRecord[]) => Promise<void> | void,
  ): Promise<number>;
}

const KIND_BEGIN = 1 as const;
const KIND_COMPLETE = 2 as const;
const KIND_PRINT = 3 as const;
/** Chain entry kinds as stored in tx_chain.kind. */
export const CHAIN_KINDS = {
  begin: KIND_BEGIN,
  complete: KIND_COMPLETE,
  print: KIND_PRINT,
} as const;
const PART_NAMES = { 1: 'begin', 2: 'complete', 3: 'print' } as const;

/** A transactions row as SQLite returns it. */
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

function toRecord(r: TxRow): InquiryRecord {
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

/**
 * What each chain entry covers, as SQLite's json_array() of the row's columns. The same SQL
 * expression produces the content when the entry is written and when it is verified, so the
 * canonical form cannot drift between JS and SQLite; and verify() fetches one text column per
 * entry instead of two dozen, which makes it several times faster.
 */
export const CONTENT_SQL = {
  // The STAN is chained with the completion: the host client allocates it during the exchange,
  // after the begin entry was written.
  begin: `json_array(t.id, t.created_at, t.operator_id, t.operator_no, t.account_kind, t.masked_account,
    t.last4, t.entry_mode, t.training)`,
  complete: `json_array(t.id, t.outcome, t.response_code, t.response_class, t.rrn, t.ledger_fen,
    t.available_fen, t.currency, t.duration_ms, t.error_code, t.error_message, t.completed_at, t.stan)`,
  print: 'json_array(t.id)',
} as const;

const CONTENT_BY_KIND_SQL = `CASE c.kind WHEN ${KIND_BEGIN} THEN ${CONTENT_SQL.begin}
  WHEN ${KIND_COMPLETE} THEN ${CONTENT_SQL.complete} ELSE ${CONTENT_SQL.print} END`;

export function chainHash(
  prev: Buffer,
  entry: { seq: number; txId: number; kind: number; at: number },
  contentJson: string,
): Buffer {
  return createHash('sha256')
    .update(prev)
    .update(`[${entry.seq},${entry.txId},${entry.kind},${entry.at},${contentJson}]`, 'utf8')
    .digest();
}

async function appendChain(
  conn: SqlConn,
  txId: number,
  kind: 1 | 2 | 3,
  at: number,
): Promise<void> {
  const part = PART_NAMES[kind];
  const content = (await conn.get<{ content: string }>(
    `SELECT ${CONTENT_SQL[part]} AS content FROM transactions t WHERE t.id = ?`,
    [txId],
  ))!.content;
  const head = await conn.get<{ seq: number; hash: Buffer }>(
    "SELECT seq, hash FROM chain_head WHERE name = 'tx'",
  );
  const seq = (head?.seq ?? 0) + 1;
  const hash = chainHash(head?.hash ?? GENESIS_HASH, { seq, txId, kind, at }, content);
  await conn.run('INSERT INTO tx_chain (seq, tx_id, kind, at, hash) VALUES (?, ?, ?, ?, ?)', [
    seq,
    txId,
    kind,
    at,
    hash,
  ]);
  await conn.run(
    "INSERT INTO chain_head (name, seq, hash) VALUES ('tx', ?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    [seq, hash],
  );
}

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
}

function cursorOf(r: TxRow): string {
  return `${r.created_at}.${r.id}`;
}

function parseCursor(cursor: string): [number, number] {
  const m = /^(\d+)\.(\d+)$/.exec(cursor);
  if (!m) throw badInput('cursor', '翻页位置');
  return [Number(m[1]), Number(m[2])];
}

function emptyCounts(): Record<Outcome, number> {
  return { unknown: 0, approved: 0, declined: 0, failed: 0, cancelled: 0 };
}

function localDayRange(day: string, offsetMinutes: number): { from: number; to: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw badInput('day', '日期');
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(utcMidnight)) throw badInput('day', '日期');
  const from = utcMidnight - offsetMinutes * 60_000;
  return { from, to: from + 24 * 60 * 60 * 1000 };
}

export function createTransactionsApi(db: SqliteDb, now: () => Date): TransactionsApi {
  async function search(query: InquiryQuery = {}): Promise<InquiryPage> {
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
  }

  return {
    async begin(input) {
      validateBegin(input);
      const at = now().getTime();
      return db.transaction(async (conn) => {
        if (input.operatorId !== null) {
          const known = await conn.get('SELECT 1 FROM operators WHERE id = ?', [input.operatorId]);
          if (!known) throw badInput('operatorId', '操作员');
        }
        const { lastID } = await conn.run(
          `INSERT INTO transactions (created_at, operator_id, operator_no, account_kind, masked_account, last4, entry_mode, stan, training)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            at,
            input.operatorId,
            input.operatorNo,
            input.accountKind,
            input.maskedAccount,
            lastFourOf(input.maskedAccount),
            input.entryMode,
            input.stan ?? null,
            input.training ? 1 : 0,
          ],
        );
        await appendChain(conn, lastID, KIND_BEGIN, at);
        return lastID;
      });
    },

    async complete(id, result) {
      if (
        !(OUTCOMES as readonly string[]).includes(result.outcome) ||
        (result.outcome as string) === 'unknown'
      ) {
        throw badInput('outcome', '结果');
      }
      if (!Number.isSafeInteger(result.durationMs) || result.durationMs < 0) {
        throw badInput('durationMs', '耗时');
      }
      const values = {
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
      const at = now().getTime();
      await db.transaction(async (conn) => {
        const current = await conn.get<{ completed_at: number | null }>(
          'SELECT completed_at FROM transactions WHERE id = ?',
          [id],
        );
        if (!current) throw notFound('Transaction', '交易记录');
        if (current.completed_at !== null) {
          throw new StoreError(
            'ALREADY_COMPLETED',
            `Transaction ${id} is already complete`,
            `交易记录 ${id} 已完成，不能再次修改`,
          );
        }
        await conn.run(
          `UPDATE transactions SET outcome = ?, response_code = ?, response_class = ?, rrn = ?, ledger_fen = ?,
             available_fen = ?, currency = ?, duration_ms = ?, error_code = ?, error_message = ?, completed_at = ?,
             stan = COALESCE(?, stan)
           WHERE id = ?`,
          [
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
          ],
        );
        await appendChain(conn, id, KIND_COMPLETE, at);
      });
    },

    async markPrinted(id) {
      const at = now().getTime();
      await db.transaction(async (conn) => {
        const { changes } = await conn.run(
          'UPDATE transactions SET printed_count = printed_count + 1, last_printed_at = ? WHERE id = ?',
          [at, id],
        );
        if (changes === 0) throw notFound('Transaction', '交易记录');
        await appendChain(conn, id, KIND_PRINT, at);
      });
    },

    async get(id) {
      const row = await db.get<TxRow>(`SELECT ${TX_COLUMNS} FROM transactions WHERE id = ?`, [id]);
      return row ? toRecord(row) : undefined;
    },

    search,

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

    verify: () => verifyChain(db),

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

interface ChainWalkRow {
  seq: number;
  tx_id: number;
  kind: number;
  at: number;
  hash: Buffer;
  row_id: number | null;
  content: string | null;
}

function problem(
  kind: ChainProblemKind,
  fields: Omit<ChainProblem, 'kind' | 'message' | 'messageZh'>,
  message: string,
  messageZh: string,
): ChainProblem {
  return { kind, ...fields, message, messageZh };
}

/**
 * Recomputes every chain entry from the rows as they are now. Reports: rows whose begin or
 * completion fields were edited, rows deleted (chain entries with no row, or a gap in the
 * row ids), chain entries deleted (gap in seq), rows that were never chained (inserted
 * behind the app's back), reprint counts that do not match, and a chain head that does not
 * match the last entry (entries cut off at the end).
 */
export async function verifyChain(db: SqliteDb): Promise<ChainReport> {
  // Its own read-only connection inside one read transaction: a consistent snapshot (WAL),
  // and the app keeps logging inquiries while a long verification runs.
  const reader = await SqliteDb.open(db.fileName, { readOnly: true });
  reader.configureBusyTimeout(5000);
  try {
    return await reader.exclusive(async (conn) => {
      await conn.exec('BEGIN');
      try {
        return await walkChain(conn);
      } finally {
        await conn.exec('COMMIT').catch(() => undefined);
      }
    });
  } finally {
    await reader.close();
  }
}

/** Keeps the first problems in full and counts the rest, so a wrecked file gives a usable report. */
const MAX_PROBLEMS = 1000;

async function walkChain(conn: SqlConn): Promise<ChainReport> {
  {
    const problems: ChainProblem[] = [];
    const reportedDeleted = new Set<number>();
    const prints = new Map<number, { count: number; last: number }>();
    let prev: Buffer = GENESIS_HASH;
    let expectedSeq = 1;
    let lastBeginTx = 0;
    let lastSeq = 0;
    const onEntry = (e: ChainWalkRow): void => {
      const afterGap = e.seq !== expectedSeq;
      if (afterGap) {
        problems.push(
          problem(
            'entries-missing',
            { seqFrom: expectedSeq, seqTo: e.seq - 1 },
            `Chain entries ${expectedSeq}..${e.seq - 1} were deleted`,
            `哈希链条目 ${expectedSeq}..${e.seq - 1} 已被删除`,
          ),
        );
      }
      if (e.kind === KIND_BEGIN) {
        for (let missing = lastBeginTx + 1; missing < e.tx_id; missing++) {
          if (reportedDeleted.has(missing)) continue;
          reportedDeleted.add(missing);
          problems.push(
            problem(
              'deleted',
              { txId: missing },
              `Transaction ${missing} was deleted (row and chain entries)`,
              `交易记录 ${missing} 已被删除（记录及其哈希链条目）`,
            ),
          );
        }
        lastBeginTx = Math.max(lastBeginTx, e.tx_id);
      }
      if (e.row_id === null) {
        if (!reportedDeleted.has(e.tx_id)) {
          reportedDeleted.add(e.tx_id);
          problems.push(
            problem(
              'deleted',
              { txId: e.tx_id },
              `Transaction ${e.tx_id} was deleted`,
              `交易记录 ${e.tx_id} 已被删除`,
            ),
          );
        }
      } else {
        const computed = chainHash(
          prev,
          { seq: e.seq, txId: e.tx_id, kind: e.kind, at: e.at },
          e.content ?? '',
        );
        // After a gap the previous hash is gone, so a mismatch says nothing about this row.
        if (!afterGap && !computed.equals(e.hash)) {
          const part = PART_NAMES[e.kind as 1 | 2 | 3] ?? 'begin';
          problems.push(
            problem(
              'edited',
              { txId: e.tx_id, part },
              `Transaction ${e.tx_id} was edited (${part} fields no longer match the chain)`,
              `交易记录 ${e.tx_id} 已被篡改（${part === 'begin' ? '开始' : part === 'complete' ? '结果' : '打印'}字段与哈希链不符）`,
            ),
          );
        }
        if (e.kind === KIND_PRINT) {
          const p = prints.get(e.tx_id) ?? { count: 0, last: 0 };
          p.count++;
          p.last = e.at;
          prints.set(e.tx_id, p);
        }
      }
      prev = e.hash;
      expectedSeq = e.seq + 1;
      lastSeq = e.seq;
    };
    // Pages of entries (one native call each) rather than a callback per row: several times faster.
    const walkSql = `SELECT c.seq, c.tx_id, c.kind, c.at, c.hash, t.id AS row_id, ${CONTENT_BY_KIND_SQL} AS content
       FROM tx_chain c LEFT JOIN transactions t ON t.id = c.tx_id WHERE c.seq > ? ORDER BY c.seq LIMIT 5000`;
    let entries = 0;
    for (;;) {
      const page = await conn.all<ChainWalkRow>(walkSql, [lastSeq]);
      if (page.length === 0) break;
      for (const e of page) onEntry(e);
      entries += page.length;
    }

    // AUTOINCREMENT remembers the highest id ever issued, so newest rows deleted together
    // with their chain entries still show up.
    const issued = await conn.get<{ seq: number }>(
      "SELECT seq FROM sqlite_sequence WHERE name = 'transactions'",
    );
    for (let missing = lastBeginTx + 1; missing <= (issued?.seq ?? 0); missing++) {
      if (reportedDeleted.has(missing)) continue;
      reportedDeleted.add(missing);
      problems.push(
        problem(
          'deleted',
          { txId: missing },
          `Transaction ${missing} was deleted (row and chain entries)`,
          `交易记录 ${missing} 已被删除（记录及其哈希链条目）`,
        ),
      );
    }
    const head = await conn.get<{ seq: number; hash: Buffer }>(
      "SELECT seq, hash FROM chain_head WHERE name = 'tx'",
    );
    if ((head?.seq ?? 0) !== lastSeq || (head && !head.hash.equals(prev))) {
      problems.push(
        problem(
          'head-mismatch',
          { seqFrom: lastSeq + 1, seqTo: head?.seq ?? 0 },
          `The chain ends at entry ${lastSeq} but its head says ${head?.seq ?? 0}: the newest entries were deleted`,
          `哈希链止于第 ${lastSeq} 条，但链头记录为第 ${head?.seq ?? 0} 条：最新的记录已被删除`,
        ),
      );
    }
    // Rows whose begin or completion never made it into the chain.
    const unchained = await conn.all<{ id: number; part: 'begin' | 'complete' }>(
      `SELECT t.id, 'begin' AS part FROM transactions t
         WHERE NOT EXISTS (SELECT 1 FROM tx_chain c WHERE c.tx_id = t.id AND c.kind = ${KIND_BEGIN})
       UNION ALL
       SELECT t.id, 'complete' AS part FROM transactions t
         WHERE t.completed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM tx_chain c WHERE c.tx_id = t.id AND c.kind = ${KIND_COMPLETE})
       ORDER BY 1`,
    );
    for (const u of unchained) {
      problems.push(
        problem(
          'unchained',
          { txId: u.id, part: u.part },
          `Transaction ${u.id} has ${u.part} fields that are not in the chain (added or edited outside the app)`,
          `交易记录 ${u.id} 的${u.part === 'begin' ? '开始' : '结果'}字段不在哈希链中（在程序之外被添加或修改）`,
        ),
      );
    }
    const printedRows = await conn.all<{
      id: number;
      printed_count: number;
      last_printed_at: number | null;
    }>(
      'SELECT id, printed_count, last_printed_at FROM transactions WHERE printed_count > 0 OR last_printed_at IS NOT NULL',
    );
    const printedById = new Map(printedRows.map((r) => [r.id, r]));
    for (const r of printedRows) prints.set(r.id, prints.get(r.id) ?? { count: 0, last: 0 });
    for (const [id, p] of prints) {
      const row = printedById.get(id);
      if (!row) {
        if (reportedDeleted.has(id)) continue;
        problems.push(
          problem(
            'print-count',
            { txId: id, part: 'print' },
            `Transaction ${id} lost its print count`,
            `交易记录 ${id} 的打印次数被改动`,
          ),
        );
        continue;
      }
      if (row.printed_count !== p.count || (row.last_printed_at ?? 0) !== p.last) {
        problems.push(
          problem(
            'print-count',
            { txId: id, part: 'print' },
            `Transaction ${id} says printed ${row.printed_count} times, the chain says ${p.count}`,
            `交易记录 ${id} 显示打印 ${row.printed_count} 次，哈希链记录为 ${p.count} 次`,
          ),
        );
      }
    }
    const count = await conn.get<{ n: number }>('SELECT COUNT(*) AS n FROM transactions');
    return {
      ok: problems.length === 0,
      rows: count?.n ?? 0,
      entries,
      problemCount: problems.length,
      problems: problems.slice(0, MAX_PROBLEMS),
    };
  }
}
