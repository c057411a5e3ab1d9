// Operators: supervisors and cashiers, scrypt password hashes, lockout after repeated
// failures (ending by itself, see lockout.ts), password expiry. Every change writes its audit
// entry in the same transaction, with a digest of the row after the change
// (operator-digests.ts), so `log verify` can tell a hand edit of the table.
import { PASSWORD_HISTORY, passwordExpiry } from '../common';
import type { Role } from '../contract/api';
import { appendAudit } from './audit';
import { StoreError, badInput } from './errors';
import { MAX_FAILED_LOGINS, lockedNotice, lockoutMs, type LockedNotice } from './lockout';
import { operatorRowRef, verifyOperators, type OperatorsReport } from './operator-digests';
import {
  DEFAULT_SCRYPT,
  checkPasswordRules,
  dummyPasswordHash,
  hashPassword,
  verifyPassword,
  type ScryptParams,
} from './passwords';
import type { SqlConn, SqliteDb } from './sqlite';

export type { Role } from '../contract/api';

export { MAX_FAILED_LOGINS } from './lockout';

export interface Operator {
  id: number;
  operatorNo: string;
  name: string;
  role: Role;
  /** Locked now (a lock whose time limit has passed counts as unlocked). */
  locked: boolean;
  /** ISO 8601, UTC: when the current lock ends by itself; null when not locked. */
  lockedUntil: string | null;
  /** ISO 8601, UTC. */
  passwordChangedAt: string;
  createdAt: string;
}

export type AuthResult =
  | {
      ok: true;
      operator: Operator;
      mustChangePassword: boolean;
      /** Why: a password someone else set (new operator, reset), or an expired one. */
      mustChangeReason: 'temporary' | 'expired' | null;
      /** Whole days until the password expires; null when it never does. */
      passwordExpiresInDays: number | null;
    }
  | { ok: false; reason: 'unknown' | 'wrong-password'; remainingTries?: number }
  /** Locked: when it may try again, and the words to say so (zh + en) for the login screen. */
  | ({ ok: false; reason: 'locked'; remainingTries: 0 } & LockedNotice);

/** Who acted without a supervisor: whoever can write the data folder (`cashier operators`). */
export interface LocalActor {
  /** Where the request came from, e.g. 'cli' (kept in the audit entry). */
  source: string;
  /** The operating-system account that ran the command, for the audit entry. */
  osUser?: string;
}

export interface OperatorsApi {
  count(): Promise<number>;
  /** Refused (StoreError 'ALREADY_SET_UP') once any operator exists. */
  createFirstSupervisor(input: {
    operatorNo: string;
    name: string;
    password: string;
  }): Promise<Operator>;
  /**
   * Only an unlocked supervisor may create operators (else 'FORBIDDEN'). The password is the
   * supervisor's choice, so the new operator must change it at the first login.
   */
  create(
    input: { operatorNo: string; name: string; role: Role; password: string },
    byOperatorId: number,
  ): Promise<Operator>;
  /**
   * Never throws for a wrong password: returns a reason. Counts failures; the 5th in a row
   * locks the operator (answer: reason 'locked', remainingTries 0, with lockedUntil and the
   * bilingual message) for 5, 15, 60, then 240 minutes for each further lockout in a row
   * (LOCKOUT_MINUTES). The lock ends by itself, or earlier when a supervisor unlocks.
   * Records login / login-failed / lockout / unlock (automatic) in the audit trail itself.
   */
  authenticate(
    operatorNo: string,
    password: string,
    opts: { passwordMaxAgeDays: number },
  ): Promise<AuthResult>;
  /**
   * 'WRONG_PASSWORD' when oldPassword does not match; 'WEAK_PASSWORD' per the rules, and
   * PASSWORD_REUSED for any of the operator's last PASSWORD_HISTORY passwords.
   */
  changePassword(operatorId: number, oldPassword: string, newPassword: string): Promise<void>;
  /** Supervisor sets a temporary password: unlocks, and the operator must change it at next login. */
  resetPassword(operatorId: number, bySupervisorId: number, newPassword: string): Promise<void>;
  /** Supervisor clears the lock and the failure count. */
  unlock(operatorId: number, bySupervisorId: number): Promise<void>;
  /**
   * Clears the lock without a supervisor, for whoever can write the data folder (the
   * installing engineer, `cashier operators unlock NO`). Audited as 'unlock' with the source.
   */
  unlockWithoutSupervisor(operatorNo: string, by: LocalActor): Promise<Operator>;
  /**
   * Sets a temporary password without a supervisor (`cashier operators reset-password NO`):
   * unlocks, and the operator must change it at the next login. Audited as 'password-reset'.
   */
  resetPasswordWithoutSupervisor(
    operatorNo: string,
    newPassword: string,
    by: LocalActor,
  ): Promise<Operator>;
  /**
   * Compares every operator row with the digest the audit trail last recorded for it: names
   * rows edited (which part), deleted or inserted outside the console.
   */
  verify(): Promise<OperatorsReport>;
  get(operatorId: number): Promise<Operator | undefined>;
  findByNo(operatorNo: string): Promise<Operator | undefined>;
  /**
   * Operators in operator-number order. With `limit`, one page: those after `after` (keyset
   * paging on the unique operator number, so a page costs the same however long the list is).
   */
  list(page?: { after?: string; limit?: number }): Promise<Operator[]>;
}

interface OperatorRow {
  id: number;
  operator_no: string;
  name: string;
  role: Role;
  password_hash: string;
  password_changed_at: string;
  must_change_password: number;
  failed_attempts: number;
  locked: number;
  /** Milliseconds since 1970 (UTC): when the lock ends; null = no time limit set. */
  locked_until: number | null;
  /** Lockouts in a row since the last successful login or unlock (sets the next limit). */
  lockout_count: number;
  created_at: string;
}

const COLUMNS =
  'id, operator_no, name, role, password_hash, password_changed_at, must_change_password, failed_attempts, locked, locked_until, lockout_count, created_at';

/** Locked at `nowMs`: the flag is set and its time limit (if any) has not passed. */
function isLocked(row: OperatorRow, nowMs: number): boolean {
  return row.locked !== 0 && (row.locked_until === null || row.locked_until > nowMs);
}

function toOperator(row: OperatorRow, nowMs: number): Operator {
  const locked = isLocked(row, nowMs);
  return {
    id: row.id,
    operatorNo: row.operator_no,
    name: row.name,
    role: row.role,
    locked,
    lockedUntil:
      locked && row.locked_until !== null ? new Date(row.locked_until).toISOString() : null,
    passwordChangedAt: row.password_changed_at,
    createdAt: row.created_at,
  };
}

function checkOperatorNo(operatorNo: string): void {
  if (!/^\d{2,8}$/.test(operatorNo)) {
    throw new StoreError('OPERATOR_NO_FORMAT', { details: { field: 'operatorNo' } });
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || [...trimmed].length > 32) {
    throw new StoreError('NAME_FORMAT', { details: { field: 'name' } });
  }
  return trimmed;
}

function checkRole(role: string): asserts role is Role {
  if (role !== 'supervisor' && role !== 'cashier') throw badInput('role', '角色');
}

export function createOperatorsApi(
  db: SqliteDb,
  now: () => Date,
  scryptParams: ScryptParams = DEFAULT_SCRYPT,
): OperatorsApi {
  const byId = (conn: SqlConn, id: number) =>
    conn.get<OperatorRow>(`SELECT ${COLUMNS} FROM operators WHERE id = ?`, [id]);

  const nowMs = (): number => now().getTime();
  const view = (row: OperatorRow): Operator => toOperator(row, nowMs());
  const rowRef = (conn: SqlConn, id: number) => operatorRowRef(conn, id);

  async function requireSupervisor(conn: SqlConn, id: number): Promise<OperatorRow> {
    const row = await byId(conn, id);
    if (!row || row.role !== 'supervisor' || isLocked(row, nowMs())) {
      throw new StoreError('FORBIDDEN');
    }
    return row;
  }

  async function insert(
    conn: SqlConn,
    input: { operatorNo: string; name: string; role: Role },
    hash: string,
    createdBy: number | null,
  ): Promise<Operator> {
    // A password someone else chose is temporary: only the first supervisor set their own.
    const mustChange = createdBy === null ? 0 : 1;
    const exists = await conn.get('SELECT 1 FROM operators WHERE operator_no = ?', [
      input.operatorNo,
    ]);
    if (exists) {
      throw new StoreError('DUPLICATE', { operatorNo: input.operatorNo });
    }
    const at = now().toISOString();
    const { lastID } = await conn.run(
      `INSERT INTO operators (operator_no, name, role, password_hash, password_changed_at, must_change_password, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [input.operatorNo, input.name, input.role, hash, at, mustChange, at, createdBy],
    );
    await appendAudit(
      conn,
      {
        kind: 'operator-created',
        operatorId: createdBy ?? lastID,
        detail: { operatorNo: input.operatorNo, role: input.role, firstRun: createdBy === null },
        row: await rowRef(conn, lastID),
      },
      now().getTime(),
    );
    return view((await byId(conn, lastID))!);
  }

  /** Unlocks (and with a hash, sets a temporary password) for a supervisor or a local actor. */
  async function clearLock(
    conn: SqlConn,
    target: OperatorRow,
    hash: string | undefined,
    at: Date,
  ): Promise<void> {
    if (hash === undefined) {
      await conn.run(
        `UPDATE operators SET failed_attempts = 0, locked = 0, locked_until = NULL, lockout_count = 0
          WHERE id = ?`,
        [target.id],
      );
    } else {
      await keepInHistory(conn, target.id, target.password_hash, at.getTime());
      await conn.run(
        `UPDATE operators SET password_hash = ?, password_changed_at = ?, must_change_password = 1,
           failed_attempts = 0, locked = 0, locked_until = NULL, lockout_count = 0 WHERE id = ?`,
        [hash, at.toISOString(), target.id],
      );
    }
  }

  /** Keeps a replaced password's hash (never the password), the newest few per operator. */
  async function keepInHistory(
    conn: SqlConn,
    operatorId: number,
    hash: string,
    atMs: number,
  ): Promise<void> {
    await conn.run(
      'INSERT INTO password_history (operator_id, password_hash, replaced_at) VALUES (?, ?, ?)',
      [operatorId, hash, atMs],
    );
    // The current password is the newest of the last PASSWORD_HISTORY: keep one fewer here.
    await conn.run(
      `DELETE FROM password_history WHERE operator_id = ? AND id NOT IN (
         SELECT id FROM password_history WHERE operator_id = ? ORDER BY id DESC LIMIT ?)`,
      [operatorId, operatorId, PASSWORD_HISTORY - 1],
    );
  }

  /** Whether `password` is one the operator had recently (scrypt against each kept hash). */
  async function usedRecently(operatorId: number, password: string): Promise<boolean> {
    const rows = await db.all<{ password_hash: string }>(
      'SELECT password_hash FROM password_history WHERE operator_id = ? ORDER BY id DESC LIMIT ?',
      [operatorId, PASSWORD_HISTORY - 1],
    );
    for (const row of rows) {
      if (await verifyPassword(password, row.password_hash)) return true;
    }
    return false;
  }

  /**
   * Unlocks an operator (and sets a new password when `hash` is given) for someone at this PC
   * without a supervisor (the command line); audited with who and from where.
   */
  function recoverWithoutSupervisor(
    kind: 'unlock' | 'password-reset',
    operatorNo: string,
    hash: string | undefined,
    by: LocalActor,
  ): Promise<Operator> {
    return db.transaction(async (conn) => {
      const row = await byNoOrNotFound(conn, operatorNo);
      const at = now();
      await clearLock(conn, row, hash, at);
      await appendAudit(
        conn,
        {
          kind,
          operatorId: null,
          detail: {
            target: row.operator_no,
            wasLocked: isLocked(row, at.getTime()),
            source: by.source,
            osUser: by.osUser ?? null,
          },
          row: await rowRef(conn, row.id),
        },
        at.getTime(),
      );
      return view((await byId(conn, row.id))!);
    });
  }

  async function byNoOrNotFound(conn: SqlConn, operatorNo: string): Promise<OperatorRow> {
    const row = await conn.get<OperatorRow>(
      `SELECT ${COLUMNS} FROM operators WHERE operator_no = ?`,
      [operatorNo],
    );
    if (!row) {
      throw new StoreError('NO_SUCH_OPERATOR', { operatorNo }, { details: { operatorNo } });
    }
    return row;
  }

  function validateNew(input: { operatorNo: string; name: string; password: string }): string {
    checkOperatorNo(input.operatorNo);
    const name = checkName(input.name);
    checkPasswordRules(input.password, input.operatorNo);
    return name;
  }

  return {
    async count() {
      const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM operators');
      return row?.n ?? 0;
    },

    async createFirstSupervisor(input) {
      const name = validateNew(input);
      const hash = await hashPassword(input.password, scryptParams);
      return db.transaction(async (conn) => {
        const any = await conn.get('SELECT 1 FROM operators LIMIT 1');
        if (any) {
          throw new StoreError('ALREADY_SET_UP');
        }
        return insert(conn, { operatorNo: input.operatorNo, name, role: 'supervisor' }, hash, null);
      });
    },

    async create(input, byOperatorId) {
      checkRole(input.role);
      const name = validateNew(input);
      const hash = await hashPassword(input.password, scryptParams);
      return db.transaction(async (conn) => {
        await requireSupervisor(conn, byOperatorId);
        return insert(
          conn,
          { operatorNo: input.operatorNo, name, role: input.role },
          hash,
          byOperatorId,
        );
      });
    },

    async authenticate(operatorNo, password, opts) {
      const row = await db.get<OperatorRow>(
        `SELECT ${COLUMNS} FROM operators WHERE operator_no = ?`,
        [operatorNo],
      );
      // Hash even when there is nothing to compare, so timing does not reveal who exists.
      const matches = await verifyPassword(
        password,
        row?.password_hash ?? (await dummyPasswordHash()),
      );
      const at = now();
      return db.transaction(async (conn): Promise<AuthResult> => {
        if (!row) {
          await appendAudit(
            conn,
            {
              kind: 'login-failed',
              // Only a well-formed operator number is kept: people do type card numbers here.
              ...(/^\d{2,8}$/.test(String(operatorNo)) ? { operatorNo: String(operatorNo) } : {}),
              detail: { reason: 'unknown' },
            },
            at.getTime(),
          );
          return { ok: false, reason: 'unknown' };
        }
        // Re-read inside the transaction: another login may have changed the count meanwhile.
        let current = (await byId(conn, row.id))!;
        const who = { operatorId: current.id, operatorNo: current.operator_no };
        if (current.locked !== 0) {
          if (isLocked(current, at.getTime())) {
            // A lock set before locks had a time limit gets one now (it then ends by itself).
            let until = current.locked_until;
            if (until === null) {
              until = at.getTime() + lockoutMs(Math.max(current.lockout_count, 1));
              await conn.run('UPDATE operators SET locked_until = ? WHERE id = ?', [
                until,
                current.id,
              ]);
            }
            const notice = lockedNotice(new Date(until), at);
            await appendAudit(
              conn,
              {
                kind: 'login-failed',
                ...who,
                detail: { reason: 'locked', lockedUntil: notice.lockedUntil },
                ...(current.locked_until === null ? { row: await rowRef(conn, current.id) } : {}),
              },
              at.getTime(),
            );
            return { ok: false, reason: 'locked', remainingTries: 0, ...notice };
          }
          // The time limit has passed: the lock ends. The lockout count stays, so the next
          // lockout in a row lasts longer; a successful login resets it.
          await conn.run(
            'UPDATE operators SET locked = 0, locked_until = NULL, failed_attempts = 0 WHERE id = ?',
            [current.id],
          );
          await appendAudit(
            conn,
            {
              kind: 'unlock',
              ...who,
              detail: {
                target: current.operator_no,
                automatic: true,
                lockedUntil: new Date(current.locked_until!).toISOString(),
              },
              row: await rowRef(conn, current.id),
            },
            at.getTime(),
          );
          current = (await byId(conn, current.id))!;
        }
        if (!matches || current.password_hash !== row.password_hash) {
          const failures = current.failed_attempts + 1;
          const lock = failures >= MAX_FAILED_LOGINS;
          const lockouts = lock ? current.lockout_count + 1 : current.lockout_count;
          const until = lock ? at.getTime() + lockoutMs(lockouts) : null;
          await conn.run(
            `UPDATE operators SET failed_attempts = ?, locked = ?, locked_until = ?, lockout_count = ?
              WHERE id = ?`,
            [failures, lock ? 1 : 0, until, lockouts, current.id],
          );
          await appendAudit(
            conn,
            {
              kind: 'login-failed',
              ...who,
              detail: { reason: 'wrong-password', failures },
              ...(lock ? {} : { row: await rowRef(conn, current.id) }),
            },
            at.getTime(),
          );
          if (until !== null) {
            const notice = lockedNotice(new Date(until), at);
            await appendAudit(
              conn,
              {
                kind: 'lockout',
                ...who,
                detail: {
                  failures,
                  lockoutsInARow: lockouts,
                  minutes: Math.round((until - at.getTime()) / 60_000),
                  lockedUntil: notice.lockedUntil,
                },
                row: await rowRef(conn, current.id),
              },
              at.getTime(),
            );
            return { ok: false, reason: 'locked', remainingTries: 0, ...notice };
          }
          return {
            ok: false,
            reason: 'wrong-password',
            remainingTries: MAX_FAILED_LOGINS - failures,
          };
        }
        await conn.run('UPDATE operators SET failed_attempts = 0, lockout_count = 0 WHERE id = ?', [
          current.id,
        ]);
        const expiry = passwordExpiry(current.password_changed_at, opts.passwordMaxAgeDays, at);
        const temporary = current.must_change_password !== 0;
        const mustChangePassword = temporary || expiry.expired;
        await appendAudit(
          conn,
          {
            kind: 'login',
            ...who,
            detail: { mustChangePassword },
            row: await rowRef(conn, current.id),
          },
          at.getTime(),
        );
        return {
          ok: true,
          operator: toOperator({ ...current, failed_attempts: 0, lockout_count: 0 }, at.getTime()),
          mustChangePassword,
          mustChangeReason: temporary ? 'temporary' : expiry.expired ? 'expired' : null,
          passwordExpiresInDays: expiry.daysLeft,
        };
      });
    },

    async changePassword(operatorId, oldPassword, newPassword) {
      const row = await db.get<OperatorRow>(`SELECT ${COLUMNS} FROM operators WHERE id = ?`, [
        operatorId,
      ]);
      if (!row) throw new StoreError('OPERATOR_NOT_FOUND');
      if (!(await verifyPassword(oldPassword, row.password_hash))) {
        throw new StoreError('WRONG_PASSWORD');
      }
      checkPasswordRules(newPassword, row.operator_no);
      if (newPassword === oldPassword) {
        throw new StoreError('PASSWORD_UNCHANGED');
      }
      if (await usedRecently(operatorId, newPassword)) {
        throw new StoreError('PASSWORD_REUSED', { count: PASSWORD_HISTORY });
      }
      const hash = await hashPassword(newPassword, scryptParams);
      await db.transaction(async (conn) => {
        const at = now();
        await keepInHistory(conn, operatorId, row.password_hash, at.getTime());
        await conn.run(
          'UPDATE operators SET password_hash = ?, password_changed_at = ?, must_change_password = 0 WHERE id = ?',
          [hash, at.toISOString(), operatorId],
        );
        await appendAudit(
          conn,
          {
            kind: 'password-change',
            operatorId,
            operatorNo: row.operator_no,
            row: await rowRef(conn, operatorId),
          },
          at.getTime(),
        );
      });
    },

    async resetPassword(operatorId, bySupervisorId, newPassword) {
      const row = await db.get<OperatorRow>(`SELECT ${COLUMNS} FROM operators WHERE id = ?`, [
        operatorId,
      ]);
      if (!row) throw new StoreError('OPERATOR_NOT_FOUND');
      checkPasswordRules(newPassword, row.operator_no);
      const hash = await hashPassword(newPassword, scryptParams);
      await db.transaction(async (conn) => {
        const supervisor = await requireSupervisor(conn, bySupervisorId);
        const at = now();
        const target = await byId(conn, operatorId);
        if (!target) throw new StoreError('OPERATOR_NOT_FOUND');
        await clearLock(conn, target, hash, at);
        await appendAudit(
          conn,
          {
            kind: 'password-reset',
            operatorId: supervisor.id,
            operatorNo: supervisor.operator_no,
            detail: { target: row.operator_no, wasLocked: isLocked(target, at.getTime()) },
            row: await rowRef(conn, operatorId),
          },
          at.getTime(),
        );
      });
    },

    async unlock(operatorId, bySupervisorId) {
      await db.transaction(async (conn) => {
        const supervisor = await requireSupervisor(conn, bySupervisorId);
        const row = await byId(conn, operatorId);
        if (!row) throw new StoreError('OPERATOR_NOT_FOUND');
        const at = now();
        await clearLock(conn, row, undefined, at);
        await appendAudit(
          conn,
          {
            kind: 'unlock',
            operatorId: supervisor.id,
            operatorNo: supervisor.operator_no,
            detail: { target: row.operator_no },
            row: await rowRef(conn, operatorId),
          },
          at.getTime(),
        );
      });
    },

    unlockWithoutSupervisor(operatorNo, by) {
      return recoverWithoutSupervisor('unlock', operatorNo, undefined, by);
    },

    async resetPasswordWithoutSupervisor(operatorNo, newPassword, by) {
      const existing = await db.get<OperatorRow>(
        `SELECT ${COLUMNS} FROM operators WHERE operator_no = ?`,
        [operatorNo],
      );
      if (existing) checkPasswordRules(newPassword, existing.operator_no);
      const hash = await hashPassword(newPassword, scryptParams);
      return recoverWithoutSupervisor('password-reset', operatorNo, hash, by);
    },

    verify: () => verifyOperators(db),

    async get(operatorId) {
      const row = await db.get<OperatorRow>(`SELECT ${COLUMNS} FROM operators WHERE id = ?`, [
        operatorId,
      ]);
      return row ? view(row) : undefined;
    },

    async findByNo(operatorNo) {
      const row = await db.get<OperatorRow>(
        `SELECT ${COLUMNS} FROM operators WHERE operator_no = ?`,
        [operatorNo],
      );
      return row ? view(row) : undefined;
    },

    async list(page = {}) {
      const rows = await db.all<OperatorRow>(
        `SELECT ${COLUMNS} FROM operators WHERE operator_no > ? ORDER BY operator_no` +
          (page.limit === undefined ? '' : ' LIMIT ?'),
        page.limit === undefined ? [page.after ?? ''] : [page.after ?? '', page.limit],
      );
      return rows.map(view);
    },
  };
}
