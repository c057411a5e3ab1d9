// The store: one SQLite file in the user data folder holding operators, the audit trail and
// the transaction log. Open it once per process with openStore().
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../system';
import { appendAudit, createAuditApi, type AuditApi } from './audit';
import { backupFileName, checkBackupFile } from './backup';
import { csvHeader, csvRows, type CsvLanguage } from './csv';
import { StoreError, storeErrorFrom } from './errors';
import {
  checkAccess,
  companionFiles,
  createPrivateFile,
  databaseMissing,
  exists,
  makePrivateDir,
  tightenDatabaseFiles,
  wasSetUp,
  writeSetupMarker,
} from './files';
import { tightenMode } from '../system';
import { SCHEMA_VERSION, migrate, readSchemaVersion } from './migrations';
import { createOperatorsApi, type OperatorsApi } from './operators';
import { DEFAULT_SCRYPT, type ScryptParams } from './passwords';
import { SqliteDb } from './sqlite';
import { toMillis } from './time-range';
import { createTransactionsApi, type TransactionsApi } from './transactions';
import { createReviewStore, type ReviewStore } from './review';
import { createTrustedDevicesApi, type TrustedDevicesApi } from './trusted-devices';

export { STORE_ERRORS, StoreError, type PasswordProblem, type StoreErrorCode } from './errors';
export {
  MAX_FAILED_LOGINS,
  type AuthResult,
  type LocalActor,
  type Operator,
  type OperatorsApi,
  type Role,
} from './operators';
export { LOCKOUT_MINUTES, lockedNotice, lockoutMs, type LockedNotice } from './lockout';
export {
  OPERATOR_PARTS,
  type OperatorPart,
  type OperatorProblem,
  type OperatorProblemKind,
  type OperatorsReport,
} from './operator-digests';
export { setupMarkerFile } from './files';
export {
  AUDIT_KINDS,
  type AuditApi,
  type AuditEntry,
  type AuditEvent,
  type AuditKind,
  type AuditProblem,
  type AuditQuery,
} from './audit';
export {
  ENTRY_MODES,
  type AccountKind,
  type BeginInquiry,
  type ChainProblem,
  type ChainProblemKind,
  type ChainReport,
  type DailySummary,
  type EntryMode,
  type InquiryPage,
  type InquiryQuery,
  type InquiryRecord,
  type InquiryResult,
  type TransactionsApi,
  type VerifyOptions,
} from './transactions';
export { checkPasswordRules } from './passwords';
export { SCHEMA_VERSION } from './migrations';
export type {
  FlagDraft,
  ReviewActor,
  ReviewDay,
  ReviewFlag,
  ReviewRow,
  ReviewStore,
} from './review';
export { checkBackupFile, type BackupCheck } from './backup';
export { scrubSensitive, assertMaskedAccount } from './sensitive';
export type {
  ApprovedModel,
  DeviceIdentity,
  TrustedDevice,
  TrustedDeviceKind,
  TrustedDevicesApi,
} from './trusted-devices';

export const DEFAULT_DB_FILE = 'cashier.sqlite';
/** How long a statement waits for another process holding the write lock. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenStoreOptions {
  /** File name inside dataDir (default 'cashier.sqlite'). */
  fileName?: string;
  /** Clock, for tests of expiry and daily summaries. */
  now?: () => Date;
  /** scrypt cost; tests may lower it. Stored with each hash, so changing it is safe. */
  scrypt?: ScryptParams;
  /**
   * Open without changing the file at all (no migration, no journal-mode switch), e.g. to
   * verify a copy kept as evidence. Anything that writes fails. The file must exist and have
   * the current schema.
   */
  readOnly?: boolean;
  /**
   * Never create the database: a missing file is NOT_FOUND (the command-line tools use this,
   * so a typo in --db does not leave an empty database behind). Implied by readOnly.
   */
  mustExist?: boolean;
}

export interface Store {
  /** Absolute path of the database file. */
  readonly file: string;
  close(): Promise<void>;
  operators: OperatorsApi;
  audit: AuditApi;
  transactions: TransactionsApi;
  /** Log review: flags, reviewed days, thresholds (the rules are the core's). */
  review: ReviewStore;
  /** Approved device identities and models (trusted-devices.ts). */
  devices: TrustedDevicesApi;
  /** Settings of the live connection, for diagnostics. */
  info(): Promise<StoreInfo>;
  /**
   * `PRAGMA integrity_check`: ['ok'] when the file is sound, else SQLite's findings. `quick`:
   * `PRAGMA quick_check` instead (every page and record read, but no index compared with its
   * table, so linear in the file's size instead of N log N; the daily `log verify`).
   */
  integrityCheck(opts?: { quick?: boolean }): Promise<string[]>;
  /**
   * CSV of the log in [from, to) for Excel (UTF-8 BOM, CRLF, bilingual headers, local times at
   * utcOffsetMinutes, default this PC's). Written atomically; audited as 'export'.
   */
  exportCsv(opts: ExportOptions): Promise<{ file: string; rows: number; bytes: number }>;
  /**
   * Online backup (SQLite backup API) into `destDir` as `cashier-YYYYMMDD-HHMMSS.sqlite`,
   * integrity-checked after writing; audited as 'backup'.
   */
  backup(
    destDir: string,
    by?: { operatorId?: number | null; operatorNo?: string; source?: string },
  ): Promise<BackupResult>;
  /**
   * Replaces the live database with a backup after checking it (integrity_check, schema,
   * tables): a broken file is refused with 'CORRUPT' and nothing changes. The current database
   * is first saved to `<dataDir>/backups/pre-restore-….sqlite`. Audited as 'restore' (in the
   * restored database). Operators logged in before may no longer exist afterwards.
   */
  restore(
    backupFile: string,
    by?: { operatorId?: number | null; operatorNo?: string; source?: string },
  ): Promise<RestoreResult>;
}

export interface ExportOptions {
  out: string;
  from?: string | Date;
  to?: string | Date;
  utcOffsetMinutes?: number;
  operatorId?: number | null;
  operatorNo?: string;
  /** Where the request came from, e.g. 'cli' or 'ui' (kept in the audit entry). */
  source?: string;
  /** Headers and values in this language (csv.ts); bilingual headers and codes without. */
  language?: CsvLanguage;
}

export interface BackupResult {
  file: string;
  bytes: number;
  transactions: number;
}

export interface RestoreResult {
  restoredFrom: string;
  savedCurrentAs: string;
  transactions: number;
  operators: number;
}

export interface StoreInfo {
  file: string;
  schemaVersion: number;
  journalMode: string;
  /** 2 = FULL. */
  synchronous: number;
  foreignKeys: boolean;
  busyTimeoutMs: number;
  sqliteVersion: string;
}

/** PRAGMAs every connection needs (they are per connection, not stored in the file). */
export async function applyConnectionPragmas(db: SqliteDb): Promise<void> {
  db.configureBusyTimeout(BUSY_TIMEOUT_MS);
  // WAL: readers never block the writer; synchronous=FULL: a committed inquiry survives a
  // power cut (the WAL is synced at every commit).
  const mode = await db.get<{ journal_mode: string }>('PRAGMA journal_mode = WAL');
  if (mode?.journal_mode.toLowerCase() !== 'wal') {
    throw new StoreError('WAL_REFUSED', { mode: String(mode?.journal_mode) });
  }
  // A 32 MiB page cache keeps the hot parts of the search indexes in memory.
  await db.exec(
    `PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA cache_size = -32000;`,
  );
}

/**
 * Opens (or, in a new data folder, creates) the database. A data folder is "set up" once the
 * store has created or opened a database there: it then holds a marker file
 * (`cashier.sqlite.setup.json`, files.ts), and a missing, empty or unreadable database in it is
 * refused (DATABASE_MISSING / CORRUPT / NO_ACCESS, naming the path and what to do) instead of
 * starting a new, empty log. On POSIX, a new folder is made 0700 and the database files 0600;
 * existing database files are tightened to 0600 (writable opens only).
 */
export async function openStore(dataDir: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const file = path.resolve(dataDir, opts.fileName ?? DEFAULT_DB_FILE);
  const readOnly = opts.readOnly ?? false;
  const mustExist = readOnly || (opts.mustExist ?? false);
  const now = opts.now ?? (() => new Date());
  if (!readOnly && !mustExist) await makePrivateDir(path.dirname(file));
  await checkAccess(file, !readOnly);
  const setUp = await wasSetUp(file);
  const size = await fileSize(file);
  if (size === undefined) {
    if (setUp) throw databaseMissing(file, 'missing');
    if (mustExist) {
      throw new StoreError('DATABASE_NOT_FOUND', { file }, { details: { file } });
    }
  }
  if ((size ?? 0) === 0 && !setUp && !mustExist) {
    // A new database. A -wal left over from an earlier one would be replayed into it by
    // SQLite (a WAL does not name its database): keep such files aside instead.
    await setAsideFiles(file, companionFiles(file), 'stale', now());
    await createPrivateFile(file);
  }
  if (!readOnly) await tightenDatabaseFiles(file);
  let db: SqliteDb;
  try {
    db = await SqliteDb.open(file, { readOnly, create: false });
  } catch (err) {
    throw openFailure(err, file);
  }
  try {
    // Empty: no schema at all (a 0-byte file, or one truncated to nothing). In a set-up folder
    // that is a lost log, never a new installation.
    if (await isEmptyDatabase(db)) {
      if (setUp) throw databaseMissing(file, 'empty');
      if (mustExist) {
        throw new StoreError('DATABASE_EMPTY', { file }, { details: { file } });
      }
    }
    if (readOnly) {
      db.configureBusyTimeout(BUSY_TIMEOUT_MS);
      await checkSchemaReadOnly(db, file);
    } else {
      await applyConnectionPragmas(db);
      await migrate(db, now);
      if (!setUp) await writeSetupMarker(file, now());
      // SQLite made -wal and -shm with the database's mode; an older install's may be wider.
      await tightenDatabaseFiles(file);
    }
  } catch (err) {
    await db.close().catch(() => undefined);
    throw openFailure(err, file);
  }
  const transactions = createTransactionsApi(db, now);
  return {
    file,
    close: async () => {
      // Refreshes the planner's statistics where they are stale (cheap; SQLite's advice).
      if (!readOnly) await db.exec('PRAGMA optimize').catch(() => undefined);
      await db.close();
    },
    operators: createOperatorsApi(db, now, opts.scrypt ?? DEFAULT_SCRYPT),
    audit: createAuditApi(db, now),
    transactions,
    review: createReviewStore(db, now),
    devices: createTrustedDevicesApi(db, now),
    info: () => readInfo(db, file),
    integrityCheck: async (check = {}) =>
      check.quick
        ? quickCheckInParallel(db)
        : (await db.all<Record<string, string>>('PRAGMA integrity_check')).map(
            (r) => Object.values(r)[0] ?? '',
          ),
    exportCsv: (exportOpts) => exportCsv(db, transactions, now, exportOpts),
    backup: (destDir, by = {}) => backupStore(db, now, destDir, by),
    restore: (backupFile, by = {}) => restoreStore(db, file, now, backupFile, by),
  };
}

/**
 * `PRAGMA quick_check` table by table on two read-only connections at once: the transactions
 * table (with its indexes, most of the file) on one, every other table on the other, so both
 * cores read pages (the daily `log verify` at 10M rows; README.md, "Verifying the log"). Every
 * b-tree page is still read and checked; what a per-table check leaves out is the free-page
 * list and pages that belong to no table, which `--full`'s integrity_check covers.
 */
async function quickCheckInParallel(db: SqliteDb): Promise<string[]> {
  const tables = (
    await db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
  ).map((t) => t.name);
  const check = (names: string[]) =>
    db.readSnapshot(async (conn) => {
      const findings: string[] = [];
      for (const name of names) {
        const rows = await conn.all<Record<string, string>>(
          `PRAGMA quick_check(${quoteIdentifier(name)})`,
        );
        findings.push(...rows.map((r) => Object.values(r)[0] ?? '').filter((f) => f !== 'ok'));
      }
      return findings;
    });
  const big = tables.filter((name) => name === 'transactions');
  const rest = tables.filter((name) => name !== 'transactions');
  const findings = (await Promise.all([check(big), check(rest)])).flat();
  return findings.length === 0 ? ['ok'] : findings;
}

/** An SQL identifier in double quotes (table names come from sqlite_schema, never a person). */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Size of a file in bytes, undefined when there is none. */
async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw storeErrorFrom(err, file);
  }
}

/** Moves those of `files` that exist into `<folder of dbFile>/backups/<why>-<time>-<name>`. */
async function setAsideFiles(
  dbFile: string,
  files: string[],
  why: 'stale' | 'damaged',
  at: Date,
): Promise<string[]> {
  const saveDir = path.join(path.dirname(dbFile), 'backups');
  const stamp = backupFileName(at)
    .replace(/^cashier-/, '')
    .replace(/\.sqlite$/, '');
  const moved: string[] = [];
  for (const f of files) {
    if (!(await exists(f))) continue;
    await makePrivateDir(saveDir);
    const dest = path.join(saveDir, `${why}-${stamp}-${path.basename(f)}`);
    try {
      await rename(f, dest);
    } catch (err) {
      throw storeErrorFrom(err, f);
    }
    moved.push(dest);
  }
  return moved;
}

/** A failure while opening, as a StoreError naming the file (zh + en). */
function openFailure(err: unknown, file: string): unknown {
  const translated = storeErrorFrom(err, file);
  if (translated instanceof StoreError) return translated;
  return new StoreError(
    'CANNOT_OPEN',
    { file },
    { detail: (err as Error).message, cause: err, details: { file } },
  );
}

/** No schema version and no tables: nothing was ever written to this database. */
async function isEmptyDatabase(db: SqliteDb): Promise<boolean> {
  if ((await readSchemaVersion(db)) !== 0) return false;
  const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM sqlite_master');
  return (row?.n ?? 0) === 0;
}

export interface RestoreIntoPlaceResult {
  restoredFrom: string;
  /** Where the damaged or empty files that were in the way now are (backups/damaged-…). */
  setAside: string[];
  transactions: number;
  operators: number;
}

/**
 * Restore for when the live database cannot be opened (missing, empty or damaged in a set-up
 * folder, so openStore refuses it): checks the backup, moves whatever is in the way (the
 * database and its -wal / -shm / -journal) into `backups/damaged-…`, copies the backup into
 * place (mode 0600), opens it (migrating if older) and audits 'restore'. The app must be closed.
 */
export async function restoreDatabaseFile(
  dbFile: string,
  backupFile: string,
  opts: { now?: () => Date; scrypt?: ScryptParams; by?: Actor } = {},
): Promise<RestoreIntoPlaceResult> {
  const file = path.resolve(dbFile);
  const source = path.resolve(backupFile);
  const now = opts.now ?? (() => new Date());
  if (source === file) {
    throw new StoreError('RESTORE_ONTO_ITSELF');
  }
  const check = await checkBackupFile(source);
  const dir = path.dirname(file);
  await makePrivateDir(dir);
  const setAside = await setAsideFiles(file, [file, ...companionFiles(file)], 'damaged', now());
  await createPrivateFile(file);
  const src = await SqliteDb.open(source, { readOnly: true });
  try {
    await src.backupTo(file);
  } finally {
    await src.close();
  }
  const store = await openStore(dir, {
    fileName: path.basename(file),
    now,
    ...(opts.scrypt ? { scrypt: opts.scrypt } : {}),
  });
  try {
    const by = opts.by ?? {};
    await store.audit.record({
      kind: 'restore',
      operatorId: null,
      ...(by.operatorNo !== undefined ? { operatorNo: by.operatorNo } : {}),
      detail: {
        from: source,
        replacedUnusable: true,
        setAside,
        byOperatorId: by.operatorId ?? null,
        source: by.source ?? null,
        transactions: check.transactions,
      },
    });
  } finally {
    await store.close();
  }
  return {
    restoredFrom: source,
    setAside,
    transactions: check.transactions,
    operators: check.operators,
  };
}

async function readInfo(db: SqliteDb, file: string): Promise<StoreInfo> {
  const pragma = async (name: string): Promise<string | number> => {
    const row = await db.get<Record<string, string | number>>(`PRAGMA ${name}`);
    return Object.values(row ?? {})[0] ?? '';
  };
  const version = await db.get<{ v: string }>('SELECT sqlite_version() AS v');
  return {
    file,
    schemaVersion: await readSchemaVersion(db),
    journalMode: String(await pragma('journal_mode')),
    synchronous: Number(await pragma('synchronous')),
    foreignKeys: Number(await pragma('foreign_keys')) === 1,
    busyTimeoutMs: Number(await pragma('busy_timeout')),
    sqliteVersion: version?.v ?? '',
  };
}

type Actor = { operatorId?: number | null; operatorNo?: string; source?: string };

async function exportCsv(
  db: SqliteDb,
  transactions: TransactionsApi,
  now: () => Date,
  opts: ExportOptions,
): Promise<{ file: string; rows: number; bytes: number }> {
  const file = path.resolve(opts.out);
  // Validate the range before creating anything.
  if (opts.from !== undefined) toMillis(opts.from, 'from');
  if (opts.to !== undefined) toMillis(opts.to, 'to');
  const offset = opts.utcOffsetMinutes ?? -now().getTimezoneOffset();
  let rows = 0;
  let bytes: number;
  try {
    // A report to open in Excel or hand on, not one of the console's own files: a new file
    // gets the usual mode (0666 less the umask), as any other program's export would.
    ({ bytes } = await writeFileAtomic(
      file,
      async (write) => {
        await write(csvHeader(opts.language));
        rows = await transactions.scan({ from: opts.from, to: opts.to }, (page) =>
          write(csvRows(page, offset, opts.language)),
        );
      },
      { mode: 0o666 },
    ));
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError('WRITE_FAILED', { file }, { detail: (err as Error).message, cause: err });
  }
  await db.transaction((conn) =>
    appendAudit(
      conn,
      {
        kind: 'export',
        operatorId: opts.operatorId ?? null,
        ...(opts.operatorNo !== undefined ? { operatorNo: opts.operatorNo } : {}),
        detail: {
          file: path.basename(file),
          rows,
          source: opts.source ?? null,
          from:
            opts.from === undefined ? null : new Date(toMillis(opts.from, 'from')).toISOString(),
          to: opts.to === undefined ? null : new Date(toMillis(opts.to, 'to')).toISOString(),
        },
      },
      now().getTime(),
    ),
  );
  return { file, rows, bytes };
}

/** Leaves a backup that is one self-contained file (no -wal needed next to it). */
async function finishBackupFile(file: string): Promise<void> {
  const copy = await SqliteDb.open(file);
  try {
    await copy.get('PRAGMA journal_mode = DELETE');
  } finally {
    await copy.close();
  }
  // It holds the whole log: only this user may read it (POSIX).
  await tightenMode(file);
}

async function backupStore(
  db: SqliteDb,
  now: () => Date,
  destDir: string,
  by: Actor,
): Promise<BackupResult> {
  const dir = path.resolve(destDir);
  let file = '';
  try {
    await makePrivateDir(dir);
    file = path.join(dir, backupFileName(now()));
    if (await stat(file).catch(() => undefined)) {
      file = file.replace(/\.sqlite$/, `-${process.hrtime.bigint() % 1000000n}.sqlite`);
    }
    await db.backupTo(file);
    await finishBackupFile(file);
  } catch (err) {
    if (file) await rm(file, { force: true });
    // A full disk, a read-only stick, no permission: say so, with the path.
    const known = storeErrorFrom(err, dir);
    if (known instanceof StoreError && known.code !== 'IO_ERROR') throw known;
    throw new StoreError('BACKUP_FAILED', { dir }, { detail: (err as Error).message, cause: err });
  }
  const check = await checkBackupFile(file);
  const bytes = (await stat(file)).size;
  await db.transaction((conn) =>
    appendAudit(
      conn,
      {
        kind: 'backup',
        operatorId: by.operatorId ?? null,
        ...(by.operatorNo !== undefined ? { operatorNo: by.operatorNo } : {}),
        detail: { file, bytes, transactions: check.transactions, source: by.source ?? null },
      },
      now().getTime(),
    ),
  );
  return { file, bytes, transactions: check.transactions };
}

async function restoreStore(
  db: SqliteDb,
  liveFile: string,
  now: () => Date,
  backupFile: string,
  by: Actor,
): Promise<RestoreResult> {
  const source = path.resolve(backupFile);
  if (source === liveFile) throw new StoreError('RESTORE_ONTO_ITSELF');
  const check = await checkBackupFile(source);
  const saveDir = path.join(path.dirname(liveFile), 'backups');
  await makePrivateDir(saveDir);
  const savedCurrentAs = path.join(saveDir, `pre-restore-${backupFileName(now())}`);
  await db.backupTo(savedCurrentAs);
  await finishBackupFile(savedCurrentAs);
  await db.restoreFrom(source);
  await migrate(db, now);
  const quick = await db.get<{ quick_check: string }>('PRAGMA quick_check');
  if (quick?.quick_check !== 'ok') {
    // Should not happen after a checked source; put the previous database back.
    await db.restoreFrom(savedCurrentAs);
    throw new StoreError('RESTORED_CHECK_FAILED');
  }
  await db.transaction((conn) =>
    appendAudit(
      conn,
      {
        kind: 'restore',
        operatorId: null,
        ...(by.operatorNo !== undefined ? { operatorNo: by.operatorNo } : {}),
        detail: {
          from: source,
          savedCurrentAs,
          byOperatorId: by.operatorId ?? null,
          source: by.source ?? null,
          transactions: check.transactions,
        },
      },
      now().getTime(),
    ),
  );
  return {
    restoredFrom: source,
    savedCurrentAs,
    transactions: check.transactions,
    operators: check.operators,
  };
}

/** A read-only store cannot migrate, so it needs exactly the schema this app writes. */
async function checkSchemaReadOnly(db: SqliteDb, file: string): Promise<void> {
  const version = await readSchemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreError('FILE_SCHEMA_TOO_NEW', { file, version, supported: SCHEMA_VERSION });
  }
  if (version < SCHEMA_VERSION) {
    throw new StoreError('SCHEMA_TOO_OLD', { file, version });
  }
}
