// The audit trail: append-only rows, each an entry of a hash chain (hash-chain.ts; the row id is
// its sequence number), so an edited or deleted entry is detected. chain_head ('audit') keeps the
// newest (seq, hash) like the transaction chain's head, so cutting off the newest rows is too.
import { badInput } from './errors';
import { ChainWalker, nextLink, type ChainLink, type ChainValue } from './hash-chain';
import type { OperatorRowRef } from './operator-digests';
import { scrubSensitive } from './sensitive';
import type { SqlConn, SqliteDb } from './sqlite';
import { toMillis } from './time-range';

export const AUDIT_KINDS = [
  'login',
  'login-failed',
  'logout',
  'lockout',
  'unlock',
  'idle-lock',
  'password-change',
  'password-reset',
  'operator-created',
  'config-change',
  'key-load',
  'device-change',
  'export',
  'backup',
  'restore',
  // Log review (supervisors): a flag acknowledged with a note, a day marked reviewed.
  'review-ack',
  'review-day',
  // Trusted devices: an identity trusted (assignment, approval, first use) or refused.
  'device-approved',
  'device-refused',
  // Digests of every operator row, written once when an older database is upgraded (the
  // starting point of the operators check in `log verify`).
  'operator-baseline',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEvent {
  kind: AuditKind;
  operatorId?: number | null;
  operatorNo?: string;
  detail?: Record<string, unknown>;
  /**
   * The operator row this entry changed, with its digest after the change (written by the
   * store's operator functions; `log verify` compares the table with it). Kept as `detail.row`.
   */
  row?: OperatorRowRef;
}

export interface AuditEntry {
  id: number;
  /** ISO 8601, UTC. */
  at: string;
  kind: AuditKind;
  operatorId: number | null;
  operatorNo: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditQuery {
  /** Inclusive lower bound (ISO string or Date). */
  from?: string | Date;
  /** Exclusive upper bound. */
  to?: string | Date;
  kind?: AuditKind;
  operatorId?: number;
  /** Entries by this operator number, or about it (`detail.target`, e.g. a reset or unlock). */
  operatorNo?: string;
  /** Default 100, at most 1000. Newest first. */
  limit?: number;
  offset?: number;
}

export interface AuditApi {
  record(event: AuditEvent): Promise<void>;
  list(query?: AuditQuery): Promise<AuditEntry[]>;
  /** Every entry in [from, to) matching the query, oldest first, in pages (for a CSV export). */
  scan(
    query: Omit<AuditQuery, 'limit' | 'offset'>,
    onRows: (rows: AuditEntry[]) => Promise<void> | void,
  ): Promise<number>;
  /** Walks the audit hash chain: edited entries and gaps (deleted entries). */
  verify(): Promise<{ checked: number; problems: AuditProblem[] }>;
}

interface AuditRow {
  id: number;
  at: number;
  kind: string;
  operator_id: number | null;
  operator_no: string | null;
  detail: string | null;
  hash: Buffer;
}

/** What a row's chain entry covers after its id (the entry's sequence number). */
function chainValues(row: Omit<AuditRow, 'id' | 'hash'>): ChainValue[] {
  return [row.at, row.kind, row.operator_id, row.operator_no, row.detail];
}

/** Appends one entry inside the caller's transaction (so it commits with what it describes). */
export async function appendAudit(conn: SqlConn, event: AuditEvent, at: number): Promise<void> {
  if (!(AUDIT_KINDS as readonly string[]).includes(event.kind)) {
    throw badInput('audit kind', '审计类型');
  }
  // From the head, not the newest row: after rows were cut off, the next entry leaves a gap
  // that verify reports, instead of quietly chaining on from what is left.
  const last = (await readAuditHead(conn)) ?? (await newestAuditRow(conn));
  let detail = event.detail === undefined ? null : scrubSensitive(JSON.stringify(event.detail));
  if (event.row) {
    // Added after scrubbing: the digest is hex and would be masked, and it is not sensitive.
    const ref = JSON.stringify({
      row: { id: event.row.id, no: event.row.no, digest: event.row.digest },
    });
    detail = detail === null || detail === '{}' ? ref : `${ref.slice(0, -1)},${detail.slice(1)}`;
  }
  const row = {
    at,
    kind: event.kind,
    operator_id: event.operatorId ?? null,
    operator_no: event.operatorNo ?? null,
    detail,
  };
  const link = nextLink(last, chainValues(row));
  await conn.run(
    'INSERT INTO audit (id, at, kind, operator_id, operator_no, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [link.seq, row.at, row.kind, row.operator_id, row.operator_no, row.detail, link.hash],
  );
  await conn.run(
    "INSERT INTO chain_head (name, seq, hash) VALUES ('audit', ?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    [link.seq, link.hash],
  );
}

/** The newest audit entry as chain_head records it; undefined before the first. */
export function readAuditHead(conn: SqlConn): Promise<ChainLink | undefined> {
  return conn.get<ChainLink>("SELECT seq, hash FROM chain_head WHERE name = 'audit'");
}

function newestAuditRow(conn: SqlConn): Promise<ChainLink | undefined> {
  return conn.get<ChainLink>('SELECT id AS seq, hash FROM audit ORDER BY id DESC LIMIT 1');
}

export interface AuditProblem {
  auditId: number;
  /**
   * edited: the entry no longer follows from its values; missing-before: entries before it
   * were deleted; newest-missing: the trail ends at `auditId` but its head names `headSeq`
   * (the newest entries were deleted).
   */
  problem: 'edited' | 'missing-before' | 'newest-missing';
  headSeq?: number;
}

/**
 * Walks the audit chain (in a read snapshot of its own, like the other verifications): reports
 * edited entries and gaps (deleted entries). An entry right after a gap is not reported as
 * edited: the gap report already says what happened.
 */
export function verifyAudit(db: SqliteDb): Promise<{ checked: number; problems: AuditProblem[] }> {
  return db.readSnapshot(async (conn) => {
    const problems: AuditProblem[] = [];
    const walker = new ChainWalker();
    const checked = await conn.each<AuditRow>(
      'SELECT id, at, kind, operator_id, operator_no, detail, hash FROM audit ORDER BY id',
      [],
      (row) => {
        const { missing, edited } = walker.check(row.id, row.hash, chainValues(row));
        if (missing) problems.push({ auditId: row.id, problem: 'missing-before' });
        if (edited) problems.push({ auditId: row.id, problem: 'edited' });
      },
    );
    const head = await readAuditHead(conn);
    if (!walker.endsAt(head)) {
      problems.push({
        auditId: walker.last.seq,
        problem: 'newest-missing',
        headSeq: head?.seq ?? 0,
      });
    }
    return { checked, problems };
  });
}

export function createAuditApi(db: SqliteDb, now: () => Date): AuditApi {
  return {
    // Row digests are the store's own to write (operators.ts), never a caller's.
    record: ({ row: _row, ...event }) =>
      db.transaction((conn) => appendAudit(conn, event, now().getTime())),
    verify: () => verifyAudit(db),
    async list(query = {}) {
      const { where, params } = auditWhere(query);
      const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
      const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
      const rows = await db.all<AuditRow>(
        `SELECT id, at, kind, operator_id, operator_no, detail FROM audit
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
        [...params, limit, offset],
      );
      return rows.map(toEntry);
    },
    async scan(query, onRows) {
      const { where, params } = auditWhere(query);
      let afterId = 0;
      let total = 0;
      // Pages by id, so a live console's writes get the connection between pages.
      for (;;) {
        const rows = await db.all<AuditRow>(
          `SELECT id, at, kind, operator_id, operator_no, detail FROM audit
           WHERE ${[...where, 'id > ?'].join(' AND ')} ORDER BY id LIMIT 1000`,
          [...params, afterId],
        );
        if (rows.length === 0) break;
        total += rows.length;
        await onRows(rows.map(toEntry));
        afterId = rows[rows.length - 1]!.id;
      }
      return total;
    },
  };
}

function auditWhere(query: AuditQuery): { where: string[]; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.from !== undefined) {
    where.push('at >= ?');
    params.push(toMillis(query.from, 'from'));
  }
  if (query.to !== undefined) {
    where.push('at < ?');
    params.push(toMillis(query.to, 'to'));
  }
  if (query.kind !== undefined) {
    where.push('kind = ?');
    params.push(query.kind);
  }
  if (query.operatorId !== undefined) {
    where.push('operator_id = ?');
    params.push(query.operatorId);
  }
  if (query.operatorNo !== undefined) {
    // By the operator, or about them (a reset or an unlock names its target, a new operator
    // its number). json_valid: a hand-edited detail must not break the search.
    where.push(
      `(operator_no = ? OR (json_valid(detail) AND ? IN (json_extract(detail, '$.target'), json_extract(detail, '$.operatorNo'))))`,
    );
    params.push(query.operatorNo, query.operatorNo);
  }
  return { where, params };
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    kind: r.kind as AuditKind,
    operatorId: r.operator_id,
    operatorNo: r.operator_no,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
  };
}
