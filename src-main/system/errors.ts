// Operating-system failures (a full disk, a read-only or unreadable folder, a missing file) in
// words a person can act on, in both languages, with the path: SYS_ + the errno name. Pure: the
// words only; the store retells them as StoreErrors, the CLI prints them.
import { errorCatalogue, errorClass, type CodeOf, type ErrorArgs } from '../common';

interface Where {
  /** The path, or the system call when there is no path ('' when neither is known). */
  where: string;
}

const at = ({ where }: Where) => (where ? `: ${where}` : '');
const atZh = ({ where }: Where) => (where ? `：${where}` : '');
const FREE_SPACE = { en: 'Free some disk space, then try again.', zh: '请清理磁盘空间后重试。' };
const GRANT_ACCESS = {
  en: 'Give this user write access to the folder, or choose another data folder.',
  zh: '请为当前用户授予该文件夹的读写权限，或选择其他数据文件夹。',
};

export const SYSTEM_ERRORS = errorCatalogue({
  SYS_ENOSPC: {
    en: (p: Where) => `The disk is full${at(p)}. ${FREE_SPACE.en}`,
    zh: (p: Where) => `磁盘已满${atZh(p)}。${FREE_SPACE.zh}`,
  },
  SYS_EDQUOT: {
    en: (p: Where) => `The disk quota is used up${at(p)}. ${FREE_SPACE.en}`,
    zh: (p: Where) => `磁盘配额已用完${atZh(p)}。${FREE_SPACE.zh}`,
  },
  SYS_EROFS: {
    en: (p: Where) => `The folder is on a read-only disk${at(p)}. Choose a writable data folder.`,
    zh: (p: Where) => `该文件夹所在磁盘为只读${atZh(p)}。请选择可写的数据文件夹。`,
  },
  SYS_EACCES: {
    en: (p: Where) => `Permission denied${at(p)}. ${GRANT_ACCESS.en}`,
    zh: (p: Where) => `没有访问权限${atZh(p)}。${GRANT_ACCESS.zh}`,
  },
  SYS_EPERM: {
    en: (p: Where) => `The operating system does not allow this${at(p)}. ${GRANT_ACCESS.en}`,
    zh: (p: Where) => `操作系统不允许此操作${atZh(p)}。${GRANT_ACCESS.zh}`,
  },
  SYS_ENOENT: {
    en: (p: Where) => `Not found${at(p)}.`,
    zh: (p: Where) => `找不到文件或文件夹${atZh(p)}。`,
  },
  SYS_ENOTDIR: {
    en: (p: Where) => `A part of the path is not a folder${at(p)}.`,
    zh: (p: Where) => `路径中有一部分不是文件夹${atZh(p)}。`,
  },
  SYS_EISDIR: {
    en: (p: Where) => `This is a folder, not a file${at(p)}.`,
    zh: (p: Where) => `这是文件夹，不是文件${atZh(p)}。`,
  },
  SYS_ELOOP: {
    en: (p: Where) => `The path loops through symbolic links${at(p)}.`,
    zh: (p: Where) => `路径中的符号链接形成了循环${atZh(p)}。`,
  },
  SYS_EEXIST: {
    en: (p: Where) => `Already exists${at(p)}.`,
    zh: (p: Where) => `已经存在${atZh(p)}。`,
  },
  SYS_EBUSY: {
    en: (p: Where) => `In use by another program${at(p)}.`,
    zh: (p: Where) => `正被其他程序占用${atZh(p)}。`,
  },
  SYS_EMFILE: {
    en: (p: Where) => `Too many open files${at(p)}.`,
    zh: (p: Where) => `打开的文件过多${atZh(p)}。`,
  },
  SYS_EIO: {
    en: (p: Where) => `The disk reported a read or write error${at(p)}.`,
    zh: (p: Where) => `磁盘读写出错${atZh(p)}。`,
  },
});

export type SystemErrorCode = CodeOf<typeof SYSTEM_ERRORS>;

/** An operating-system failure in words; `cause` is the errno error itself. */
export class SystemError extends errorClass(SYSTEM_ERRORS) {
  override readonly name = 'SystemError';
}

function isSystemErrorCode(code: string): code is SystemErrorCode {
  return Object.hasOwn(SYSTEM_ERRORS, code);
}

/** An errno error (`{ code: 'ENOSPC', path }`) in words, or undefined for anything else. */
export function systemErrorFrom(err: unknown): SystemError | undefined {
  if (err instanceof SystemError) return err;
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, path, syscall } = err as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof code !== 'string') return undefined;
  const sysCode = `SYS_${code}`;
  if (!isSystemErrorCode(sysCode)) return undefined;
  const where = typeof path === 'string' ? path : typeof syscall === 'string' ? syscall : '';
  const args = [sysCode, { where }, { cause: err }] as ErrorArgs<typeof SYSTEM_ERRORS>;
  return new SystemError(...args);
}
