// Typed store errors: stable `code`, English `message`, Chinese `messageZh` for the cashier.
import { describeSystemError } from '../contract/system-errors';

export type StoreErrorCode =
  | 'ALREADY_SET_UP'
  | 'WEAK_PASSWORD'
  | 'WRONG_PASSWORD'
  | 'SCHEMA_TOO_NEW'
  | 'SCHEMA_TOO_OLD'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'FORBIDDEN'
  | 'BAD_INPUT'
  | 'FULL_PAN_REFUSED'
  | 'ALREADY_COMPLETED'
  | 'CORRUPT'
  | 'IO_ERROR'
  /** The data folder was set up, but its database is missing or empty (see README.md). */
  | 'DATABASE_MISSING'
  | 'DISK_FULL'
  | 'READ_ONLY'
  /** The file or folder cannot be opened: missing, or this user may not read / write it. */
  | 'NO_ACCESS';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly messageZh: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function badInput(what: string, whatZh: string): StoreError {
  return new StoreError('BAD_INPUT', `Invalid ${what}`, `${whatZh}无效`, { field: what });
}

export function notFound(what: string, whatZh: string): StoreError {
  return new StoreError('NOT_FOUND', `${what} not found`, `未找到${whatZh}`);
}

/** What to do about a damaged or missing database, in both languages. */
export function restoreAdvice(file: string): [en: string, zh: string] {
  return [
    `Restore the latest backup: cashier restore --from BACKUP.sqlite --db ${file}`,
    `请用最近的备份恢复：cashier restore --from 备份文件.sqlite --db ${file}`,
  ];
}

const SQLITE_TEXT: Record<
  string,
  [code: StoreErrorCode, en: (file: string) => string, zh: (file: string) => string]
> = {
  SQLITE_FULL: [
    'DISK_FULL',
    (f) =>
      `The disk holding the database is full: ${f}. The last change was not saved. Free some disk space, then try again.`,
    (f) => `数据库所在磁盘已满：${f}。最近的更改未保存。请清理磁盘空间后重试。`,
  ],
  SQLITE_READONLY: [
    'READ_ONLY',
    (f) =>
      `The database can be read but not written: ${f} (a read-only disk or file, or no write permission). The last change was not saved. Make the data folder writable for this user.`,
    (f) =>
      `数据库只能读取、无法写入：${f}（磁盘或文件为只读，或没有写入权限）。最近的更改未保存。请让当前用户可以写入数据文件夹。`,
  ],
  SQLITE_CANTOPEN: [
    'NO_ACCESS',
    (f) =>
      `Cannot open the database ${f}: the file or its folder is missing, or this user may not read and write it. Check the data folder and its permissions.`,
    (f) =>
      `无法打开数据库 ${f}：文件或其所在文件夹不存在，或当前用户没有读写权限。请检查数据文件夹及其权限。`,
  ],
  SQLITE_PERM: [
    'NO_ACCESS',
    (f) => `Permission denied for the database ${f}. Give this user read and write access to it.`,
    (f) => `没有访问数据库的权限：${f}。请为当前用户授予读写权限。`,
  ],
  SQLITE_IOERR: [
    'IO_ERROR',
    (f) =>
      `The disk reported an error reading or writing the database ${f}. Check the disk (is it full, removed or failing?); if it keeps happening, restore the latest backup.`,
    (f) =>
      `读写数据库时磁盘出错：${f}。请检查磁盘（是否已满、被拔出或损坏）；如反复出现，请用最近的备份恢复。`,
  ],
  SQLITE_CORRUPT: [
    'CORRUPT',
    (f) => `The database ${f} is damaged. ${restoreAdvice(f)[0]}`,
    (f) => `数据库文件已损坏：${f}。${restoreAdvice(f)[1]}`,
  ],
  SQLITE_NOTADB: [
    'CORRUPT',
    (f) => `${f} is damaged or is not a Cashier Console database. ${restoreAdvice(f)[0]}`,
    (f) => `${f} 已损坏或不是收银台数据库文件。${restoreAdvice(f)[1]}`,
  ],
};

const ERRNO_CODES: Record<string, StoreErrorCode> = {
  ENOSPC: 'DISK_FULL',
  EDQUOT: 'DISK_FULL',
  EROFS: 'READ_ONLY',
  EACCES: 'NO_ACCESS',
  EPERM: 'NO_ACCESS',
  ENOENT: 'NOT_FOUND',
};

/**
 * An operating-system or SQLite failure as a StoreError naming the problem and the path, in
 * both languages: SQLITE_FULL / READONLY / CANTOPEN / PERM / IOERR / CORRUPT / NOTADB and the
 * errno errors describeSystemError knows (ENOSPC, EROFS, EACCES, ...). Anything else (a
 * constraint, a bug) is returned unchanged.
 */
export function storeErrorFrom(err: unknown, file: string): unknown {
  if (err instanceof StoreError || typeof err !== 'object' || err === null) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  const sqlite = SQLITE_TEXT[code];
  if (sqlite) {
    const [storeCode, en, zh] = sqlite;
    return new StoreError(storeCode, `${en(file)} (${(err as Error).message})`, zh(file), {
      file,
      cause: code,
    });
  }
  const system = describeSystemError(err);
  if (system) {
    return new StoreError(ERRNO_CODES[code] ?? 'IO_ERROR', system.message, system.messageZh, {
      file: (err as { path?: string }).path ?? file,
      cause: code,
    });
  }
  return err;
}
