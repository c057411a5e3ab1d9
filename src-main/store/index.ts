// The store: one SQLite file in the user data folder holding operators, the audit trail and
// the transaction log. Open it once per process with openStore().
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createAuditApi, type AuditApi } from './audit';
import { StoreError } from './errors';
import { migrate, readSchemaVersion } from './migrations';
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
  await db.exec(
    `PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};`,
  );
}

export async function openStore(dataDir: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const file = path.resolve(dataDir, opts.fileName ?? DEFAULT_DB_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  let db: SqliteDb;
  try {
    db = await SqliteDb.open(file);
  } catch (err) {
    throw new StoreError(
      'IO_ERROR',
      `Cannot open the database ${file}: ${(err as Error).message}`,
      `无法打开数据库文件 ${file}，请检查磁盘和权限`,
    );
  }
  try {
    await applyConnectionPragmas(db);
    await migrate(db);
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
  return {
    file,
    close: () => db.close(),
    operators: createOperatorsApi(db, now, opts.scrypt ?? DEFAULT_SCRYPT),
    audit: createAuditApi(db, now),
    transactions: createTransactionsApi(db, now),
    info: () => readInfo(db, file),
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
