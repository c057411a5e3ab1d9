// Operating-system failures (a full disk, a read-only or unreadable folder, a missing file) in
// words a person can act on, in both languages, with the path. Pure: no I/O.

export interface DescribedFailure {
  /** `SYS_` + the errno name, e.g. SYS_ENOSPC. */
  code: string;
  message: string;
  messageZh: string;
}

const ERRNO_TEXT: Record<string, [en: string, zh: string]> = {
  ENOSPC: ['The disk is full', '磁盘已满'],
  EDQUOT: ['The disk quota is used up', '磁盘配额已用完'],
  EROFS: ['The folder is on a read-only disk', '该文件夹所在磁盘为只读'],
  EACCES: ['Permission denied', '没有访问权限'],
  EPERM: ['The operating system does not allow this', '操作系统不允许此操作'],
  ENOENT: ['Not found', '找不到文件或文件夹'],
  ENOTDIR: ['A part of the path is not a folder', '路径中有一部分不是文件夹'],
  EISDIR: ['This is a folder, not a file', '这是文件夹，不是文件'],
  ELOOP: ['The path loops through symbolic links', '路径中的符号链接形成了循环'],
  EEXIST: ['Already exists', '已经存在'],
  EBUSY: ['In use by another program', '正被其他程序占用'],
  EMFILE: ['Too many open files', '打开的文件过多'],
  EIO: ['The disk reported a read or write error', '磁盘读写出错'],
};

const WHAT_TO_DO: Record<string, [en: string, zh: string]> = {
  ENOSPC: ['Free some disk space, then try again.', '请清理磁盘空间后重试。'],
  EDQUOT: ['Free some disk space, then try again.', '请清理磁盘空间后重试。'],
  EROFS: ['Choose a writable data folder.', '请选择可写的数据文件夹。'],
  EACCES: [
    'Give this user write access to the folder, or choose another data folder.',
    '请为当前用户授予该文件夹的读写权限，或选择其他数据文件夹。',
  ],
  EPERM: [
    'Give this user write access to the folder, or choose another data folder.',
    '请为当前用户授予该文件夹的读写权限，或选择其他数据文件夹。',
  ],
};

/** Words for an errno error (`{ code: 'ENOSPC', path }`), or undefined for anything else. */
export function describeSystemError(err: unknown): DescribedFailure | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, path, syscall } = err as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof code !== 'string') return undefined;
  const text = ERRNO_TEXT[code];
  if (!text) return undefined;
  const where = typeof path === 'string' ? path : typeof syscall === 'string' ? syscall : '';
  const [doEn, doZh] = WHAT_TO_DO[code] ?? ['', ''];
  return {
    code: `SYS_${code}`,
    message: `${text[0]}${where ? `: ${where}` : ''}.${doEn ? ` ${doEn}` : ''}`,
    messageZh: `${text[1]}${where ? `：${where}` : ''}。${doZh}`,
  };
}
