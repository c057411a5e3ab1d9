// Typed serial errors: SERIAL_ codes and the words a cashier understands, from this one
// catalogue. A SerialError carries the binding's own error as `cause`. What went wrong is read
// from that error's errno `code` (ENOENT, EACCES, EBUSY ...) wherever it has one; only a message
// with no code is read by its words, as a last resort (see `openFailure` and `causeOf`).
import type { Bilingual } from '../../contract';
import { errorCatalogue, errorClass, type CodeOf, type ErrorArgs } from '../../common';

interface Port {
  path: string;
}

/** Why listing the ports failed, as read from an error (see causeOf). */
export type ListingCause =
  /** A SerialError that already says it in both languages. */
  | { kind: 'told'; code: ListingCode; path: string; en: string; zh: string; detail: string }
  /** udev is not installed: udevadm was not found. */
  | { kind: 'udev-missing'; path: string; detail: string }
  /** No permission to run udevadm (`program`) or to read `path`. */
  | { kind: 'denied'; program: boolean; path: string; detail: string }
  /** `path` does not exist. */
  | { kind: 'missing'; path: string; detail: string }
  | { kind: 'other'; path: string; detail: string };

/** A listing failure: the first attempt's cause, and the fallback's when there was one. */
export interface Listing extends Port {
  first: ListingCause;
  fallback?: { cause: ListingCause; from: readonly string[] };
}

/** The cause in a few words, in both languages. */
function causeWords(c: ListingCause): Bilingual {
  switch (c.kind) {
    case 'told':
      return { en: c.en, zh: c.zh };
    case 'udev-missing':
      return {
        en: 'udev is not installed (udevadm was not found)',
        zh: '未安装 udev（找不到 udevadm）',
      };
    case 'denied':
      if (c.program) return { en: 'no permission to run udevadm', zh: '没有运行 udevadm 的权限' };
      return c.path
        ? { en: `no permission to read ${c.path}`, zh: `没有读取 ${c.path} 的权限` }
        : { en: 'no permission', zh: '没有权限' };
    case 'missing':
      return { en: `${c.path} does not exist`, zh: `${c.path} 不存在` };
    case 'other':
      return {
        en: c.detail,
        zh: c.path ? `读取 ${c.path} 出错（${c.detail}）` : `出错（${c.detail}）`,
      };
  }
}

/** The English words plus the original text when it adds something. */
function withDetail(c: ListingCause): string {
  const { en } = causeWords(c);
  return c.detail && !en.includes(c.detail) ? `${en} (${c.detail})` : en;
}

function causeCode(c: ListingCause): ListingCode {
  if (c.kind === 'told') return c.code;
  if (c.kind === 'udev-missing') return 'SERIAL_UDEV_MISSING';
  return c.kind === 'denied' ? 'SERIAL_LIST_DENIED' : 'SERIAL_LIST_FAILED';
}

function listingCode(p: Listing): ListingCode {
  const second = p.fallback && causeCode(p.fallback.cause);
  return second === 'SERIAL_LIST_DENIED' ? second : causeCode(p.first);
}

const LISTING_ADVICE: Partial<Record<ListingCode, Bilingual>> = {
  SERIAL_LIST_DENIED: {
    en: '. Run the console as a user that may read it, or fix the permissions.',
    zh: '。请以有权限的用户运行收银台，或修改相应权限。',
  },
  SERIAL_UDEV_MISSING: {
    en: '. Install udev (apt-get install udev) or check that /sys is mounted.',
    zh: '。请安装 udev（apt-get install udev），或检查 /sys 是否已挂载。',
  },
};

const listing = {
  en: (p: Listing): string => {
    const fallback = p.fallback
      ? `; reading ${p.fallback.from.join(' and ')} instead failed too: ${withDetail(p.fallback.cause)}`
      : '';
    const advice = LISTING_ADVICE[listingCode(p)]?.en ?? '';
    return `The serial ports could not be listed: ${withDetail(p.first)}${fallback}${advice}`;
  },
  zh: (p: Listing): string => {
    const first = causeWords(p.first).zh;
    const said = p.fallback
      ? `${first}，改从 ${p.fallback.from.join(' 和 ')} 读取也失败（${causeWords(p.fallback.cause).zh}），无法列出串口`
      : causeCode(p.first) === 'SERIAL_LIST_FAILED'
        ? `无法列出串口：${first}`
        : `${first}，无法列出串口`;
    return `${said}${LISTING_ADVICE[listingCode(p)]?.zh ?? ''}`;
  },
};

export const SERIAL_ERRORS = errorCatalogue({
  SERIAL_PORT_MISSING: {
    en: (p: Port) => `serial port ${p.path} does not exist`,
    zh: '找不到该串口，请检查连接线',
  },
  SERIAL_ACCESS_DENIED: {
    en: (p: Port) =>
      `no permission to open serial port ${p.path} (add this user to the "dialout" group)`,
    zh: '没有打开该串口的权限，请将当前用户加入 dialout 组',
  },
  SERIAL_PORT_BUSY: {
    en: (p: Port) => `serial port ${p.path} is in use by another program`,
    zh: '该串口正被其他程序占用',
  },
  SERIAL_OPEN_FAILED: {
    en: (p: Port) => `serial port ${p.path} could not be opened`,
    zh: '该串口无法使用，请检查设备和连接线',
  },
  SERIAL_NOT_OPEN: {
    en: (p: Port) => `serial port ${p.path} is not open`,
    zh: '设备未连接，请检查连接线',
  },
  SERIAL_WRITE_FAILED: {
    en: (p: Port) => `write to ${p.path} failed`,
    zh: '向设备发送数据失败，请检查连接线',
  },
  SERIAL_LOST: {
    en: (p: Port) => `serial port ${p.path} was lost`,
    zh: '设备连接已断开，请检查连接线',
  },
  /** The ports could not be listed: udev (udevadm) is not installed. */
  SERIAL_UDEV_MISSING: listing,
  /** The ports could not be listed: no permission to run or read what lists them. */
  SERIAL_LIST_DENIED: listing,
  /** The ports could not be listed for another reason. */
  SERIAL_LIST_FAILED: listing,
});

export type SerialErrorCode = CodeOf<typeof SERIAL_ERRORS>;

export class SerialError extends errorClass(SERIAL_ERRORS) {
  override readonly name = 'SerialError';
  /** The port (or, for a listing failure, what it could not read). */
  readonly path: string;
  constructor(...args: ErrorArgs<typeof SERIAL_ERRORS>) {
    super(...args);
    this.path = typeof args[0] === 'string' ? (args[1] as Port).path : '';
  }
}

type ListingCode = Extract<
  SerialErrorCode,
  'SERIAL_UDEV_MISSING' | 'SERIAL_LIST_DENIED' | 'SERIAL_LIST_FAILED'
>;

function isListingCode(code: SerialErrorCode): code is ListingCode {
  return (
    code === 'SERIAL_UDEV_MISSING' || code === 'SERIAL_LIST_DENIED' || code === 'SERIAL_LIST_FAILED'
  );
}

interface ErrnoFields {
  code?: unknown;
  path?: unknown;
  syscall?: unknown;
}

function errnoFields(err: unknown): ErrnoFields {
  return typeof err === 'object' && err !== null ? (err as ErrnoFields) : {};
}

function textOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Last resort, for a binding error that carries no errno code. serialport's native binding
// (bindings-cpp) reports a failed open only as text built from strerror(): "Error: No such file
// or directory, cannot open /dev/ttyUSB9", "Error: Permission denied, cannot open ...", "Error
// Resource temporarily unavailable Cannot lock port"; on Windows "Opening COM9: File not found",
// "Opening COM9: Access denied". test/unit/devices/serial/errors.test.ts has one case per rule.
const TEXT_MISSING =
  /\bE(NOENT|NODEV|NXIO)\b|No such file or directory|No such device|File not found|no such port/i;
const TEXT_DENIED = /\bE(ACCES|PERM)\b|Permission denied|Access denied|Operation not permitted/i;
const TEXT_BUSY =
  /\bE(BUSY|AGAIN)\b|Cannot lock port|Resource temporarily unavailable|Device or resource busy|port busy/i;

type OpenCode = Extract<
  SerialErrorCode,
  'SERIAL_PORT_MISSING' | 'SERIAL_ACCESS_DENIED' | 'SERIAL_PORT_BUSY' | 'SERIAL_OPEN_FAILED'
>;

const OPEN_CODE_BY_ERRNO: Record<string, OpenCode> = {
  ENOENT: 'SERIAL_PORT_MISSING',
  ENODEV: 'SERIAL_PORT_MISSING',
  ENXIO: 'SERIAL_PORT_MISSING',
  EACCES: 'SERIAL_ACCESS_DENIED',
  EPERM: 'SERIAL_ACCESS_DENIED',
  EBUSY: 'SERIAL_PORT_BUSY',
  EAGAIN: 'SERIAL_PORT_BUSY',
  EWOULDBLOCK: 'SERIAL_PORT_BUSY',
};

/** What a failed open of `path` means: by the error's errno code, else by its words. */
export function openFailureCode(err: unknown): OpenCode {
  const { code } = errnoFields(err);
  if (typeof code === 'string') return OPEN_CODE_BY_ERRNO[code] ?? 'SERIAL_OPEN_FAILED';
  const text = textOf(err);
  if (TEXT_MISSING.test(text)) return 'SERIAL_PORT_MISSING';
  if (TEXT_DENIED.test(text)) return 'SERIAL_ACCESS_DENIED';
  if (TEXT_BUSY.test(text)) return 'SERIAL_PORT_BUSY';
  return 'SERIAL_OPEN_FAILED';
}

/** A binding's failure to open `path` as a SerialError, with the binding's error as cause. */
export function openFailure(err: unknown, path: string): SerialError {
  if (err instanceof SerialError) return err;
  return new SerialError(openFailureCode(err), { path }, { detail: textOf(err), cause: err });
}

/**
 * Why listing failed. Node's errors (a failed spawn of udevadm, a folder it may not read) carry
 * errno fields, which decide; the errno name alone is not enough: ENOENT for udevadm means udev
 * is not installed, not that a port is missing. serialport's own listing errors carry only
 * English text ("Error listing ports udevadm exited with error code: 1"), read by its words as a
 * last resort.
 */
function causeOf(err: unknown): ListingCause {
  const detail = textOf(err);
  if (err instanceof SerialError && isListingCode(err.code)) {
    return {
      kind: 'told',
      code: err.code,
      path: err.path,
      en: err.message,
      zh: err.messageZh,
      detail,
    };
  }
  const e = errnoFields(err);
  const path = typeof e.path === 'string' ? e.path : '';
  if (typeof e.code === 'string') {
    const syscall = typeof e.syscall === 'string' ? e.syscall : '';
    const udevadm = path === 'udevadm' || /\budevadm\b/.test(syscall);
    if (e.code === 'ENOENT') {
      if (udevadm) return { kind: 'udev-missing', path: 'udevadm', detail };
      return path ? { kind: 'missing', path, detail } : { kind: 'other', path, detail };
    }
    if (e.code === 'EACCES' || e.code === 'EPERM') {
      return { kind: 'denied', program: udevadm, path: udevadm ? 'udevadm' : path, detail };
    }
    return { kind: 'other', path, detail };
  }
  const udevadm = /\budevadm\b/.test(detail);
  if (udevadm && /ENOENT|not found|No such file/i.test(detail)) {
    return { kind: 'udev-missing', path: 'udevadm', detail };
  }
  if (TEXT_DENIED.test(detail)) {
    return { kind: 'denied', program: udevadm, path: udevadm ? 'udevadm' : path, detail };
  }
  return { kind: 'other', path, detail };
}

/**
 * A listing failure as a SerialError with the cause in both languages. `fallback` is the error
 * of the second attempt (reading the folders `fallbackFrom` directly) when there was one.
 */
export function listingError(
  err: unknown,
  fallback?: unknown,
  fallbackFrom: readonly string[] = [],
): SerialError {
  // Already said in both languages (listSerialPorts throws only these).
  if (fallback === undefined && err instanceof SerialError && isListingCode(err.code)) return err;
  const first = causeOf(err);
  const params: Listing = { first, path: first.path || (fallbackFrom[0] ?? '') };
  if (fallback !== undefined) {
    const cause = causeOf(fallback);
    params.fallback = { cause, from: fallbackFrom.length ? fallbackFrom : [cause.path] };
  }
  return new SerialError(listingCode(params), params, { cause: err });
}

/** Says in both languages that the ports were listed without udev, and why. */
export function fallbackNote(err: unknown, sources: readonly string[]): Bilingual {
  const c = causeOf(err);
  const enFrom = sources.join(' and ');
  const zhFrom = sources.join(' 和 ');
  switch (causeCode(c)) {
    case 'SERIAL_UDEV_MISSING':
      return {
        en: `udev is not installed: ports listed from ${enFrom}`,
        zh: `未安装 udev，已从 ${zhFrom} 列出串口`,
      };
    case 'SERIAL_LIST_DENIED':
      return {
        en: `No permission to list the ports through udev (${c.detail}): ports listed from ${enFrom}`,
        zh: `没有权限通过 udev 列出串口（${causeWords(c).zh}），已从 ${zhFrom} 列出串口`,
      };
    default:
      return {
        en: `Listing the ports through udev failed (${c.detail}): ports listed from ${enFrom}`,
        zh: `通过 udev 列出串口失败（${c.detail}），已从 ${zhFrom} 列出串口`,
      };
  }
}
