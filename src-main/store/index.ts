// The store: one SQLite file in the user data folder holding operators, the audit trail and
// the transaction log. Open it once per process with openStore().
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { appendAudit, createAuditApi, toMillis, type AuditApi } from './audit';
import { backupFileName, checkBackupFile } from './backup';
import { csvHeader, csvRows, writeFileAtomically } from './csv';
import { StoreError } from './errors';
import { SCHEMA_VERSION, migrate, readSchemaVersion } from './migrations';
import { createOperatorsApi, type OperatorsApi } from './operators';
import { DEFAULT_SCRYPT, type ScryptParams } from './passwords';
import { SqliteDb } from './sqlite';
import { createTransactionsApi, type TransactionsApi } from './transactions';

export { StoreError, type StoreErrorCode } from './errors';
export {
  MAX_FAILED_LOGINS,
  type AuthResult,
  type Operator,
  type OperatorsApi,
  type Role,
} from './operators';
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
  OUTCOMES,
  type AccountKind,
  type BeginInquiry,
  type ChainProblem,
  type ChainProblemKind,
  type ChainReport,
  type DailySummary,
  type EntryMode,
  type FinalOutcome,
  type InquiryPage,
  type InquiryQuery,
  type InquiryRecord,
  type InquiryResult,
  type Outcome,
  type TransactionsApi,
} from './transactions';
export { PASSWORD_RULES_EN, PASSWORD_RULES_ZH, checkPasswordRules } from './passwords';
export { SCHEMA_VERSION } from './migrations';
export { checkBackupFile, type BackupCheck } from './backup';
export { scrubSensitive, assertMaskedAccount } from './sensitive';

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
}

export interface Store {
  /** Absolute path of the database file. */
  readonly file: string;
  close(): Promise<void>;
  operators: OperatorsApi;
  audit: AuditApi;
  transactions: TransactionsApi;
  /** Settings of the live connection, for diagnostics. */
  info(): Promise<StoreInfo>;
  /** `PRAGMA integrity_check`: ['ok'] when the file is sound, else SQLite's findings. */
  integrityCheck(): Promise<string[]>;
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
    throw new StoreError(
      'IO_ERROR',
      `Could not switch the database to WAL mode (got ${mode?.journal_mode})`,
      '无法将数据库切换为WAL模式',
    );
  }
  // A 32 MiB page cache keeps the hot parts of the search indexes in memory.
  await db.exec(
    `PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA cache_size = -32000;`,
  );
}

export async function openStore(dataDir: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const file = path.resolve(dataDir, opts.fileName ?? DEFAULT_DB_FILE);
  const readOnly = opts.readOnly ?? false;
  if (!readOnly) await mkdir(path.dirname(file), { recursive: true });
  let db: SqliteDb;
  try {
    db = await SqliteDb.open(file, { readOnly });
  } catch (err) {
    throw new StoreError(
      'IO_ERROR',
      `Cannot open the database ${file}: ${(err as Error).message}`,
      `无法打开数据库文件 ${file}，请检查磁盘和权限`,
    );
  }
  try {
    if (readOnly) {
      db.configureBusyTimeout(BUSY_TIMEOUT_MS);
      await checkSchemaReadOnly(db, file);
    } else {
      await applyConnectionPragmas(db);
      await migrate(db);
    }
  } catch (err) {
    await db.close().catch(() => undefined);
    if (err instanceof StoreError) throw err;
    if (
      (err as { code?: string }).code === 'SQLITE_NOTADB' ||
      (err as { code?: string }).code === 'SQLITE_CORRUPT'
    ) {
      throw new StoreError(
        'CORRUPT',
        `${file} is not a valid Cashier Console database`,
        `${file} 不是有效的收银台数据库文件`,
      );
    }
    throw err;
  }
  const now = opts.now ?? (() => new Date());
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
    info: () => readInfo(db, file),
    integrityCheck: async () =>
      (await db.all<{ integrity_check: string }>('PRAGMA integrity_check')).map(
        (r) => r.integrity_check,
      ),
    exportCsv: (exportOpts) => exportCsv(db, transactions, now, exportOpts),
    backup: (destDir, by = {}) => backupStore(db, now, destDir, by),
    restore: (backupFile, by = {}) => restoreStore(db, file, now, backupFile, by),
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
    bytes = await writeFileAtomically(file, async (write) => {
      await write(csvHeader());
      rows = await transactions.scan({ from: opts.from, to: opts.to }, (page) =>
        write(csvRows(page, offset)),
      );
    });
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(
      'IO_ERROR',
      `Could not write ${file}: ${(err as Error).message}`,
      `无法写入文件 ${file}，请检查文件夹和权限`,
    );
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
    await mkdir(dir, { recursive: true });
    file = path.join(dir, backupFileName(now()));
    if (await stat(file).catch(() => undefined)) {
      file = file.replace(/\.sqlite$/, `-${process.hrtime.bigint() % 1000000n}.sqlite`);
    }
    await db.backupTo(file);
    await finishBackupFile(file);
  } catch (err) {
    if (file) await rm(file, { force: true });
    throw new StoreError(
      'IO_ERROR',
      `Backup to ${dir} failed: ${(err as Error).message}`,
      `备份到 ${dir} 失败，请检查文件夹是否存在、可写且空间足够`,
    );
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
  if (source === liveFile)
    throw new StoreError(
      'BAD_INPUT',
      'Cannot restore the live database onto itself',
      '不能用正在使用的数据库恢复自身',
    );
  const check = await checkBackupFile(source);
  const saveDir = path.join(path.dirname(liveFile), 'backups');
  await mkdir(saveDir, { recursive: true });
  const savedCurrentAs = path.join(saveDir, `pre-restore-${backupFileName(now())}`);
  await db.backupTo(savedCurrentAs);
  await finishBackupFile(savedCurrentAs);
  await db.restoreFrom(source);
  await migrate(db);
  const quick = await db.get<{ quick_check: string }>('PRAGMA quick_check');
  if (quick?.quick_check !== 'ok') {
    // Should not happen after a checked source; put the previous database back.
    await db.restoreFrom(savedCurrentAs);
    throw new StoreError(
      'CORRUPT',
      'The restored database failed its check; the previous one was put back',
      '恢复后的数据库检查未通过，已还原为恢复前的数据库',
    );
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
    throw new StoreError(
      'SCHEMA_TOO_NEW',
      `${file} was written by a newer version of Cashier Console (schema ${version}, this app knows up to ${SCHEMA_VERSION})`,
      `${file} 由更新版本的收银台创建（结构版本 ${version}，本程序最高支持 ${SCHEMA_VERSION}）`,
    );
  }
  if (version < SCHEMA_VERSION) {
    throw new StoreError(
      'SCHEMA_TOO_OLD',
      `${file} has an older schema (${version}); open a copy without --read-only to upgrade it first`,
      `${file} 的结构版本较旧（${version}），请先在可写模式下打开其副本以升级`,
    );
  }
}
