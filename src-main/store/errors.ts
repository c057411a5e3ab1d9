// Typed store errors: a stable `code` (the codes the console and its log have always used; some
// leave as the API's own: ALREADY_SET_UP, WEAK_PASSWORD, NOT_FOUND) and the words a cashier or
// an engineer can act on, in both languages, from this one catalogue.
import { errorCatalogue, errorClass, type CodeOf } from '../common';
import { systemErrorFrom } from '../system';

interface File {
  file: string;
}

/** What to do about a damaged or missing database. */
const restore = (file: string) => ({
  en: `Restore the latest backup: cashier restore --from BACKUP.sqlite --db ${file}`,
  zh: `请用最近的备份恢复：cashier restore --from 备份文件.sqlite --db ${file}`,
});

/** How to start over on purpose, in a folder set up before (see databaseMissing). */
const startOver = (db: string, marker: string) => ({
  en: `To start over on purpose (the old log is then no longer used), first move ${db} and the files beside it whose names begin with ${db} (-wal, -shm, ${marker}) out of the folder.`,
  zh: `如确需重新开始（原有记录将不再使用），请先将 ${db} 及其旁边名称以 ${db} 开头的文件（-wal、-shm、${marker}）移出该文件夹。`,
});

/** The password rules (`min` to `max` characters ...) and which one failed. */
export type PasswordProblem = { min: number; max: number } & (
  { problem: 'length'; length: number } | { problem: 'repeated' } | { problem: 'operator-no' }
);

const passwordRules = {
  en: (p: PasswordProblem) =>
    `Password must be ${p.min} to ${p.max} characters, not all the same character, and not the same as the operator number`,
  zh: (p: PasswordProblem) =>
    `密码须为${p.min}到${p.max}个字符，不能全部是同一个字符，也不能与操作员号相同`,
};

const passwordProblem = {
  en: (p: PasswordProblem) =>
    p.problem === 'length'
      ? `it has ${p.length} characters`
      : p.problem === 'repeated'
        ? 'it is one character repeated'
        : 'it is the operator number',
  zh: (p: PasswordProblem) =>
    p.problem === 'length'
      ? `当前为${p.length}个字符`
      : p.problem === 'repeated'
        ? '当前全部是同一个字符'
        : '当前与操作员号相同',
};

interface Schema {
  version: number;
  supported: number;
}

interface MissingDatabase extends File {
  /** The file names of the database and of the set-up marker beside it. */
  db: string;
  marker: string;
  state: 'missing' | 'empty';
}

export const STORE_ERRORS = errorCatalogue({
  // Input the store refuses.
  BAD_INPUT: {
    en: (p: { field: string; fieldZh: string }) => `Invalid ${p.field}`,
    zh: (p: { field: string; fieldZh: string }) => `${p.fieldZh}无效`,
  },
  BAD_DATE: {
    code: 'BAD_INPUT',
    en: (p: { value: string }) => `Invalid date: ${p.value}`,
    zh: (p: { value: string }) => `日期无效：${p.value}`,
  },
  OPERATOR_NO_FORMAT: {
    code: 'BAD_INPUT',
    en: 'Operator number must be 2 to 8 digits',
    zh: '操作员号须为2到8位数字',
  },
  NAME_FORMAT: {
    code: 'BAD_INPUT',
    en: 'Name must be 1 to 32 characters',
    zh: '姓名须为1到32个字符',
  },
  RESTORE_ONTO_ITSELF: {
    code: 'BAD_INPUT',
    en: 'Cannot restore the live database onto itself',
    zh: '不能用正在使用的数据库恢复自身',
  },
  FULL_PAN_REFUSED: {
    en: 'Refused to store an account number that is not masked (show at most the first 6 and last 4 digits, e.g. 622202******1234)',
    zh: '拒绝保存未遮蔽的卡号或账号（最多显示前6位和后4位，例如 622202******1234）',
  },
  // Operators.
  ALREADY_SET_UP: {
    en: 'The first supervisor already exists; ask a supervisor to add operators',
    zh: '首位主管已创建，请由主管添加操作员',
  },
  WEAK_PASSWORD: {
    en: (p: PasswordProblem) => `${passwordRules.en(p)} (${passwordProblem.en(p)}).`,
    zh: (p: PasswordProblem) => `${passwordRules.zh(p)}（${passwordProblem.zh(p)}）。`,
  },
  PASSWORD_UNCHANGED: {
    code: 'WEAK_PASSWORD',
    en: 'The new password must differ from the current one',
    zh: '新密码不能与当前密码相同',
  },
  PASSWORD_REUSED: {
    code: 'WEAK_PASSWORD',
    en: (p: { count: number }) =>
      `The new password must differ from your last ${p.count} passwords; choose one you have not used recently`,
    zh: (p: { count: number }) => `新密码不能与最近 ${p.count} 次使用过的密码相同，请换一个`,
  },
  WRONG_PASSWORD: {
    en: 'The current password is wrong',
    zh: '当前密码不正确',
  },
  FORBIDDEN: {
    en: 'Only a supervisor can do this',
    zh: '只有主管可以进行此操作',
  },
  DUPLICATE: {
    en: (p: { operatorNo: string }) => `Operator number ${p.operatorNo} is already in use`,
    zh: (p: { operatorNo: string }) => `操作员号 ${p.operatorNo} 已被使用`,
  },
  NO_SUCH_OPERATOR: {
    code: 'NOT_FOUND',
    en: (p: { operatorNo: string }) => `There is no operator ${p.operatorNo}`,
    zh: (p: { operatorNo: string }) => `没有操作员 ${p.operatorNo}`,
  },
  OPERATOR_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'Operator not found',
    zh: '未找到操作员',
  },
  // Log review.
  REVIEW_NOTE_REQUIRED: {
    code: 'BAD_INPUT',
    en: 'Write a note of 1 to 500 characters: what you checked and what you found',
    zh: '请填写备注（1至500个字符）：核查了什么、结果如何',
  },
  REVIEW_FLAG_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: (p: { id: number }) => `There is no review flag ${p.id}`,
    zh: (p: { id: number }) => `没有编号为 ${p.id} 的复核提示`,
  },
  REVIEW_FLAG_ACKNOWLEDGED: {
    en: (p: { id: number; by: string }) =>
      `Review flag ${p.id} was already acknowledged by operator ${p.by}`,
    zh: (p: { id: number; by: string }) => `复核提示 ${p.id} 已由操作员 ${p.by} 确认`,
  },
  REVIEW_DAY_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: (p: { day: string }) => `There are no inquiries to review on ${p.day}`,
    zh: (p: { day: string }) => `${p.day} 没有需要复核的查询记录`,
  },
  REVIEW_DAY_OPEN_FLAGS: {
    en: (p: { day: string; open: number }) =>
      `${p.day} still has ${p.open} unacknowledged flag(s): acknowledge each with a note first`,
    zh: (p: { day: string; open: number }) =>
      `${p.day} 还有 ${p.open} 条提示未确认，请先逐条填写备注并确认`,
  },
  // The transaction log.
  TRANSACTION_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'Transaction not found',
    zh: '未找到交易记录',
  },
  ALREADY_COMPLETED: {
    en: (p: { id: number }) => `Transaction ${p.id} is already complete`,
    zh: (p: { id: number }) => `交易记录 ${p.id} 已完成，不能再次修改`,
  },
  // The database file.
  DATABASE_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: (p: File) => `Database file not found: ${p.file}`,
    zh: (p: File) => `未找到数据库文件：${p.file}`,
  },
  DATABASE_EMPTY: {
    code: 'CORRUPT',
    en: (p: File) => `${p.file} is empty: it holds no Cashier Console database`,
    zh: (p: File) => `${p.file} 是空文件，不是收银台数据库`,
  },
  DATABASE_MISSING: {
    en: (p: MissingDatabase) =>
      `The database ${p.file} ${p.state === 'missing' ? 'is missing' : 'is empty'}, but this data folder was already set up (${p.marker}). The console will not start a new, empty log in its place. ${restore(p.file).en}. ${startOver(p.db, p.marker).en}`,
    zh: (p: MissingDatabase) =>
      `数据库 ${p.file} ${p.state === 'missing' ? '不存在' : '是空文件'}，但该数据文件夹此前已经启用（${p.marker}）。收银台不会在此新建空白记录。${restore(p.file).zh}。${startOver(p.db, p.marker).zh}`,
  },
  CANNOT_OPEN: {
    code: 'IO_ERROR',
    en: (p: File) => `Cannot open the database ${p.file}`,
    zh: (p: File) => `无法打开数据库文件 ${p.file}，请检查磁盘和权限`,
  },
  WAL_REFUSED: {
    code: 'IO_ERROR',
    en: (p: { mode: string }) => `Could not switch the database to WAL mode (got ${p.mode})`,
    zh: '无法将数据库切换为WAL模式',
  },
  WRITE_FAILED: {
    code: 'IO_ERROR',
    en: (p: File) => `Could not write ${p.file}`,
    zh: (p: File) => `无法写入文件 ${p.file}，请检查文件夹和权限`,
  },
  SCHEMA_TOO_NEW: {
    en: (p: Schema) =>
      `The database was written by a newer version of Cashier Console (schema ${p.version}, this app knows up to ${p.supported}). Update the app; the file was left untouched.`,
    zh: (p: Schema) =>
      `数据库由更新版本的收银台创建（结构版本 ${p.version}，本程序最高支持 ${p.supported}）。请升级程序；数据文件未做任何改动。`,
  },
  FILE_SCHEMA_TOO_NEW: {
    code: 'SCHEMA_TOO_NEW',
    en: (p: Schema & File) =>
      `${p.file} was written by a newer version of Cashier Console (schema ${p.version}, this app knows up to ${p.supported})`,
    zh: (p: Schema & File) =>
      `${p.file} 由更新版本的收银台创建（结构版本 ${p.version}，本程序最高支持 ${p.supported}）`,
  },
  SCHEMA_TOO_OLD: {
    en: (p: File & { version: number }) =>
      `${p.file} has an older schema (${p.version}); open a copy without --read-only to upgrade it first`,
    zh: (p: File & { version: number }) =>
      `${p.file} 的结构版本较旧（${p.version}），请先在可写模式下打开其副本以升级`,
  },
  // Backups.
  BACKUP_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: (p: File) => `Backup file not found: ${p.file}`,
    zh: (p: File) => `未找到备份文件：${p.file}`,
  },
  BACKUP_FAILED: {
    code: 'IO_ERROR',
    en: (p: { dir: string }) => `Backup to ${p.dir} failed`,
    zh: (p: { dir: string }) => `备份到 ${p.dir} 失败，请检查文件夹是否存在、可写且空间足够`,
  },
  BACKUP_UNUSABLE: {
    code: 'CORRUPT',
    en: (p: { name: string; why: 'unreadable' | 'damaged' | 'integrity' | 'not-ours' }) =>
      `${p.name} is not a usable backup: ${
        {
          unreadable: 'it cannot be opened',
          damaged: 'it is damaged or not a database',
          integrity: 'its integrity check failed',
          'not-ours': 'it is not a Cashier Console database',
        }[p.why]
      }`,
    zh: (p: { name: string; why: 'unreadable' | 'damaged' | 'integrity' | 'not-ours' }) =>
      `${p.name} 不是可用的备份文件：${
        {
          unreadable: '无法打开',
          damaged: '文件已损坏或不是数据库',
          integrity: '完整性检查未通过',
          'not-ours': '不是收银台数据库',
        }[p.why]
      }`,
  },
  BACKUP_SCHEMA_TOO_NEW: {
    code: 'SCHEMA_TOO_NEW',
    en: (p: { version: number }) =>
      `The backup was made by a newer version of Cashier Console (schema ${p.version}); update the app first`,
    zh: (p: { version: number }) =>
      `该备份由更新版本的收银台创建（结构版本 ${p.version}），请先升级程序`,
  },
  RESTORED_CHECK_FAILED: {
    code: 'CORRUPT',
    en: 'The restored database failed its check; the previous one was put back',
    zh: '恢复后的数据库检查未通过，已还原为恢复前的数据库',
  },
  // SQLite's own failures, by its result code.
  SQLITE_FULL: {
    code: 'DISK_FULL',
    en: (p: File) =>
      `The disk holding the database is full: ${p.file}. The last change was not saved. Free some disk space, then try again.`,
    zh: (p: File) => `数据库所在磁盘已满：${p.file}。最近的更改未保存。请清理磁盘空间后重试。`,
  },
  SQLITE_READONLY: {
    code: 'READ_ONLY',
    en: (p: File) =>
      `The database can be read but not written: ${p.file} (a read-only disk or file, or no write permission). The last change was not saved. Make the data folder writable for this user.`,
    zh: (p: File) =>
      `数据库只能读取、无法写入：${p.file}（磁盘或文件为只读，或没有写入权限）。最近的更改未保存。请让当前用户可以写入数据文件夹。`,
  },
  SQLITE_CANTOPEN: {
    code: 'NO_ACCESS',
    en: (p: File) =>
      `Cannot open the database ${p.file}: the file or its folder is missing, or this user may not read and write it. Check the data folder and its permissions.`,
    zh: (p: File) =>
      `无法打开数据库 ${p.file}：文件或其所在文件夹不存在，或当前用户没有读写权限。请检查数据文件夹及其权限。`,
  },
  SQLITE_PERM: {
    code: 'NO_ACCESS',
    en: (p: File) =>
      `Permission denied for the database ${p.file}. Give this user read and write access to it.`,
    zh: (p: File) => `没有访问数据库的权限：${p.file}。请为当前用户授予读写权限。`,
  },
  SQLITE_IOERR: {
    code: 'IO_ERROR',
    en: (p: File) =>
      `The disk reported an error reading or writing the database ${p.file}. Check the disk (is it full, removed or failing?); if it keeps happening, restore the latest backup.`,
    zh: (p: File) =>
      `读写数据库时磁盘出错：${p.file}。请检查磁盘（是否已满、被拔出或损坏）；如反复出现，请用最近的备份恢复。`,
  },
  SQLITE_CORRUPT: {
    code: 'CORRUPT',
    en: (p: File) => `The database ${p.file} is damaged. ${restore(p.file).en}`,
    zh: (p: File) => `数据库文件已损坏：${p.file}。${restore(p.file).zh}`,
  },
  SQLITE_NOTADB: {
    code: 'CORRUPT',
    en: (p: File) =>
      `${p.file} is damaged or is not a Cashier Console database. ${restore(p.file).en}`,
    zh: (p: File) => `${p.file} 已损坏或不是收银台数据库文件。${restore(p.file).zh}`,
  },
});

type StoreCatalogue = typeof STORE_ERRORS;
export type StoreErrorCode = CodeOf<StoreCatalogue>;

export class StoreError extends errorClass(STORE_ERRORS) {
  override readonly name = 'StoreError';
}

export function badInput(field: string, fieldZh: string): StoreError {
  return new StoreError('BAD_INPUT', { field, fieldZh }, { details: { field } });
}

type SqliteCode = Extract<keyof StoreCatalogue, `SQLITE_${string}`>;

function isSqliteCode(code: string): code is SqliteCode {
  return code.startsWith('SQLITE_') && Object.hasOwn(STORE_ERRORS, code);
}

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
 * errno errors the system layer has words for (ENOSPC, EROFS, EACCES, ...). Anything else (a
 * constraint, a bug) is returned unchanged.
 */
export function storeErrorFrom(err: unknown, file: string): unknown {
  if (err instanceof StoreError || typeof err !== 'object' || err === null) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  if (isSqliteCode(code)) {
    return new StoreError(
      code,
      { file },
      { detail: (err as Error).message, cause: err, details: { file, cause: code } },
    );
  }
  const system = systemErrorFrom(err);
  if (system) {
    return new StoreError(
      { code: ERRNO_CODES[code] ?? 'IO_ERROR', from: system },
      { details: { file: (err as { path?: string }).path ?? file, cause: code } },
    );
  }
  return err;
}
