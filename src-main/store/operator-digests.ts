// The operators table is protected through the audit chain: every write to an operator row
// records, in the audit entry written in the same transaction, a digest of the row as it is
// after the write (`detail.row`). `verifyOperators` compares every row with the last digest
// recorded for it, so a hand edit of a password hash, a role or a lock, and a row deleted or
// inserted behind the console's back, show up in `cashier log verify` (see README.md).
import { createHash } from 'node:crypto';
import type { SqlConn, SqliteDb } from './sqlite';

/** The three parts of a row a digest covers, each hashed on its own so verify can name them. */
export const OPERATOR_PARTS = ['identity', 'password', 'lock'] as const;
export type OperatorPart = (typeof OPERATOR_PARTS)[number];

/** The columns of each part, as SQLite's json_array(): one canonical text for write and verify. */
const PART_SQL: Record<OperatorPart, string> = {
  identity: 'json_array(id, operator_no, name, role, created_at, created_by)',
  password: 'json_array(password_hash, password_changed_at, must_change_password)',
  lock: 'json_array(failed_attempts, locked, locked_until, lockout_count)',
};

const SELECT_PARTS = `SELECT id, operator_no, ${PART_SQL.identity} AS identity, ${PART_SQL.password} AS password, ${PART_SQL.lock} AS lock FROM operators`;

interface PartsRow {
  id: number;
  operator_no: string;
  identity: string;
  password: string;
  lock: string;
}

/** What an audit entry records about the operator row it changed. */
export interface OperatorRowRef {
  id: number;
  no: string;
  /** `identity.password.lock`: the first 16 hex digits of each part's SHA-256. */
  digest: string;
}

function part(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

function digestOf(row: PartsRow): string {
  return OPERATOR_PARTS.map((p) => part(row[p])).join('.');
}

/** The digest of one operator row as it is now (inside the caller's transaction). */
export async function operatorRowRef(conn: SqlConn, id: number): Promise<OperatorRowRef> {
  const row = await conn.get<PartsRow>(`${SELECT_PARTS} WHERE id = ?`, [id]);
  if (!row) throw new Error(`operator ${id} vanished inside its own transaction`);
  return { id: row.id, no: row.operator_no, digest: digestOf(row) };
}

/** Every operator's row reference, for the baseline written when the schema is upgraded. */
export async function allOperatorRowRefs(conn: SqlConn): Promise<OperatorRowRef[]> {
  const rows = await conn.all<PartsRow>(`${SELECT_PARTS} ORDER BY id`);
  return rows.map((row) => ({ id: row.id, no: row.operator_no, digest: digestOf(row) }));
}

export type OperatorProblemKind = 'edited' | 'deleted' | 'unrecorded';

export interface OperatorProblem {
  kind: OperatorProblemKind;
  operatorId: number;
  operatorNo: string | null;
  /** For 'edited': which parts no longer match their last recorded digest. */
  parts?: OperatorPart[];
  /** The audit entry holding the last recorded digest. */
  auditId?: number;
  message: string;
  messageZh: string;
}

export interface OperatorsReport {
  ok: boolean;
  /** Operator rows checked. */
  checked: number;
  problems: OperatorProblem[];
}

const PART_WORDS: Record<OperatorPart, [en: string, zh: string]> = {
  identity: ['number, name or role', '工号、姓名或角色'],
  password: ['password', '密码'],
  lock: ['lock state or failed-login count', '锁定状态或登录失败次数'],
};

interface Recorded {
  op: number;
  no: string | null;
  digest: string | null;
  audit_id: number;
}

/**
 * Compares each operator row with the last digest the audit trail recorded for it, in one
 * read transaction on its own read-only connection (a consistent snapshot while the app runs).
 */
export function verifyOperators(db: SqliteDb): Promise<OperatorsReport> {
  return db.readSnapshot(compare);
}

async function compare(conn: SqlConn): Promise<OperatorsReport> {
  // The last recorded digest per operator id (SQLite takes the bare columns from the row with
  // the highest audit id). Details that are not valid JSON are the audit chain's to report.
  const recorded = await conn.all<Recorded>(
    `SELECT json_extract(detail, '$.row.id') AS op, json_extract(detail, '$.row.no') AS no,
            json_extract(detail, '$.row.digest') AS digest, MAX(id) AS audit_id
       FROM audit
      WHERE json_valid(detail) AND json_extract(detail, '$.row.id') IS NOT NULL
      GROUP BY op`,
  );
  const last = new Map(recorded.map((r) => [r.op, r]));
  const rows = await conn.all<PartsRow>(`${SELECT_PARTS} ORDER BY id`);
  const problems: OperatorProblem[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    seen.add(row.id);
    const rec = last.get(row.id);
    if (!rec) {
      problems.push({
        kind: 'unrecorded',
        operatorId: row.id,
        operatorNo: row.operator_no,
        message: `Operator ${row.operator_no} (id ${row.id}) was added outside the console: no audit entry records it`,
        messageZh: `操作员 ${row.operator_no}（编号 ${row.id}）不是由收银台添加的：审计记录中没有它`,
      });
      continue;
    }
    const now = digestOf(row).split('.');
    const then = String(rec.digest ?? '').split('.');
    const parts = OPERATOR_PARTS.filter((_, i) => now[i] !== then[i]);
    if (parts.length > 0) {
      const en = parts.map((p) => PART_WORDS[p][0]).join(', ');
      const zh = parts.map((p) => PART_WORDS[p][1]).join('、');
      problems.push({
        kind: 'edited',
        operatorId: row.id,
        operatorNo: row.operator_no,
        parts,
        auditId: rec.audit_id,
        message: `Operator ${row.operator_no} (id ${row.id}) was changed outside the console: ${en}`,
        messageZh: `操作员 ${row.operator_no}（编号 ${row.id}）在收银台之外被修改：${zh}`,
      });
    }
  }
  for (const rec of recorded) {
    if (seen.has(rec.op)) continue;
    const no = rec.no ?? '?';
    problems.push({
      kind: 'deleted',
      operatorId: rec.op,
      operatorNo: rec.no,
      auditId: rec.audit_id,
      message: `Operator ${no} (id ${rec.op}) was deleted outside the console`,
      messageZh: `操作员 ${no}（编号 ${rec.op}）在收银台之外被删除`,
    });
  }
  problems.sort((a, b) => a.operatorId - b.operatorId);
  return { ok: problems.length === 0, checked: rows.length, problems };
}
