// Versioned schema. `PRAGMA user_version` holds the version; each migration runs in its own
// transaction together with the version bump, so a crash leaves the old or the new schema,
// never half of one. Migrations are append-only: never edit one that has shipped.
import { appendAudit } from './audit';
import { StoreError } from './errors';
import { allOperatorRowRefs } from './operator-digests';
import { LOCKOUT_MINUTES } from './lockout';
import type { SqlConn, SqliteDb } from './sqlite';

/** SQL, and optionally a step in code run in the same transaction after it. */
export interface Migration {
  sql: string;
  after?: (conn: SqlConn, nowMs: number) => Promise<void>;
}

export const MIGRATIONS: readonly (string | Migration)[] = [
  // 1: operators and the audit trail.
  `
  CREATE TABLE operators (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    operator_no          TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    role                 TEXT    NOT NULL CHECK (role IN ('supervisor', 'cashier')),
    password_hash        TEXT    NOT NULL,
    password_changed_at  TEXT    NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked               INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT    NOT NULL,
    created_by           INTEGER REFERENCES operators(id)
  );
  CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    operator_id INTEGER REFERENCES operators(id),
    operator_no TEXT,
    detail      TEXT,
    hash        BLOB    NOT NULL
  );
  CREATE INDEX audit_at ON audit(at);
  CREATE INDEX audit_kind_at ON audit(kind, at);
  CREATE INDEX audit_operator_at ON audit(operator_id, at);
  `,
  // 2: the transaction log and its hash chain (see README.md).
  `
  CREATE TABLE transactions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at       INTEGER NOT NULL,
    operator_id      INTEGER REFERENCES operators(id),
    operator_no      TEXT    NOT NULL,
    account_kind     TEXT    NOT NULL CHECK (account_kind IN ('card', 'wallet')),
    masked_account   TEXT    NOT NULL,
    last4            TEXT    NOT NULL,
    entry_mode       TEXT    NOT NULL,
    stan             TEXT,
    training         INTEGER NOT NULL DEFAULT 0,
    outcome          TEXT    NOT NULL DEFAULT 'unknown',
    response_code    TEXT,
    response_class   TEXT,
    rrn              TEXT,
    ledger_fen       INTEGER,
    available_fen    INTEGER,
    currency         TEXT,
    duration_ms      INTEGER,
    error_code       TEXT,
    error_message    TEXT,
    completed_at     INTEGER,
    printed_count    INTEGER NOT NULL DEFAULT 0,
    last_printed_at  INTEGER
  );
  CREATE INDEX tx_created ON transactions(created_at);
  CREATE INDEX tx_operator_created ON transactions(operator_no, created_at);
  CREATE INDEX tx_outcome_created ON transactions(outcome, created_at);
  CREATE INDEX tx_class_created ON transactions(response_class, created_at);
  CREATE INDEX tx_last4_created ON transactions(last4, created_at);
  CREATE INDEX tx_rrn ON transactions(rrn) WHERE rrn IS NOT NULL;
  CREATE TABLE tx_chain (
    seq    INTEGER PRIMARY KEY,
    tx_id  INTEGER NOT NULL,
    kind   INTEGER NOT NULL CHECK (kind IN (1, 2, 3)), -- 1 begin, 2 complete, 3 print
    at     INTEGER NOT NULL,
    hash   BLOB    NOT NULL
  );
  CREATE INDEX tx_chain_tx ON tx_chain(tx_id);
  CREATE TABLE chain_head (
    name TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL,
    hash BLOB    NOT NULL
  ) WITHOUT ROWID;
  `,
  // 3: locks that end by themselves (locked_until, growing with lockout_count), and the
  // starting digests of the operator rows for `log verify` (see README.md).
  {
    sql: `
    ALTER TABLE operators ADD COLUMN locked_until INTEGER;
    ALTER TABLE operators ADD COLUMN lockout_count INTEGER NOT NULL DEFAULT 0;
    `,
    async after(conn, nowMs) {
      // Operators locked under the old rule (until a supervisor unlocks) get the first limit.
      await conn.run(
        'UPDATE operators SET locked_until = ?, lockout_count = 1 WHERE locked <> 0 AND locked_until IS NULL',
        [nowMs + LOCKOUT_MINUTES[0]! * 60_000],
      );
      for (const row of await allOperatorRowRefs(conn)) {
        await appendAudit(
          conn,
          {
            kind: 'operator-baseline',
            operatorId: row.id,
            operatorNo: row.no,
            row,
            detail: { reason: 'schema-upgrade' },
          },
          nowMs,
        );
      }
    },
  },
  // 4: password history (hashes only), log review (flags, reviewed days, thresholds), and a
  // head record for the audit chain, so cutting off its newest rows is detected.
  {
    sql: `
    CREATE TABLE password_history (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      operator_id   INTEGER NOT NULL REFERENCES operators(id),
      password_hash TEXT    NOT NULL,
      replaced_at   INTEGER NOT NULL
    );
    CREATE INDEX password_history_operator ON password_history(operator_id, id);
    CREATE TABLE review_flags (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      rule            TEXT    NOT NULL,
      day             TEXT    NOT NULL,
      flag_key        TEXT    NOT NULL UNIQUE,
      at              INTEGER NOT NULL,
      operator_no     TEXT,
      subject         TEXT    NOT NULL,
      tx_ids          TEXT    NOT NULL,
      detail          TEXT,
      raised_at       INTEGER NOT NULL,
      acknowledged_at INTEGER,
      acknowledged_by TEXT,
      note            TEXT
    );
    CREATE INDEX review_flags_day ON review_flags(day, id);
    CREATE INDEX review_flags_open ON review_flags(acknowledged_at, day);
    CREATE TABLE review_days (
      day          TEXT PRIMARY KEY,
      inquiries    INTEGER NOT NULL DEFAULT 0,
      evaluated_at INTEGER,
      final        INTEGER NOT NULL DEFAULT 0,
      reviewed_at  INTEGER,
      reviewed_by  TEXT,
      note         TEXT
    ) WITHOUT ROWID;
    CREATE TABLE review_settings (
      id   INTEGER PRIMARY KEY CHECK (id = 1),
      json TEXT NOT NULL
    );
    `,
    async after(conn) {
      await conn.run(
        // OR REPLACE: migration 3's entries (written through appendAudit) may have set it.
        `INSERT OR REPLACE INTO chain_head (name, seq, hash)
         SELECT 'audit', id, hash FROM audit ORDER BY id DESC LIMIT 1`,
      );
    },
  },
  // 5: trusted devices (each approved identity, newest last) and the approved models.
  `
  CREATE TABLE trusted_devices (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT    NOT NULL CHECK (kind IN ('pinpad', 'printer')),
    training      INTEGER NOT NULL DEFAULT 0,
    maker         TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    serial_number TEXT    NOT NULL,
    firmware      TEXT    NOT NULL,
    key_check     TEXT,
    approved_at   INTEGER NOT NULL,
    approved_by   TEXT,
    how           TEXT    NOT NULL
  );
  CREATE INDEX trusted_devices_kind ON trusted_devices(kind, training, id);
  CREATE TABLE approved_models (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind     TEXT    NOT NULL CHECK (kind IN ('pinpad', 'printer')),
    maker    TEXT    NOT NULL,
    model    TEXT    NOT NULL,
    note     TEXT    NOT NULL DEFAULT '',
    added_at INTEGER NOT NULL,
    added_by TEXT,
    UNIQUE (kind, maker, model)
  );
  `,
  // 6: the keyed hash of the account an inquiry asked about (core/review/account-key.ts), so the
  // review tells two cards with the same first 6 / last 4 apart. Older rows keep NULL and are
  // compared by their masked account. Not part of the row's chain entry: it is evidence for the
  // review only, and the chain's content of a row stays what earlier versions hashed.
  `
  ALTER TABLE transactions ADD COLUMN account_key TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export async function readSchemaVersion(db: SqliteDb): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

/** Brings the schema up to SCHEMA_VERSION; refuses a file made by a newer app. */
export async function migrate(db: SqliteDb, now: () => Date = () => new Date()): Promise<number> {
  const current = await readSchemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      'SCHEMA_TOO_NEW',
      { version: current, supported: SCHEMA_VERSION },
      { details: { found: current, supported: SCHEMA_VERSION } },
    );
  }
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    const migration = MIGRATIONS[version - 1]!;
    await db.transaction(async (conn) => {
      await conn.exec(typeof migration === 'string' ? migration : migration.sql);
      if (typeof migration !== 'string') await migration.after?.(conn, now().getTime());
      await conn.exec(`PRAGMA user_version = ${version}`);
    });
  }
  return SCHEMA_VERSION;
}
