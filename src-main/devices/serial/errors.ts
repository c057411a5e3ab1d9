// Typed serial errors with the words a cashier understands.
import type { Bilingual } from '../../contract';

export type SerialErrorCode =
  | 'PORT_MISSING'
  | 'OPEN_FAILED'
  | 'NOT_OPEN'
  | 'WRITE_FAILED'
  | 'LOST'
  /** The ports could not be listed: udev (udevadm) is not installed. */
  | 'UDEV_MISSING'
  /** The ports could not be listed: no permission to run or read what lists them. */
  | 'LIST_DENIED'
  /** The ports could not be listed for another reason. */
  | 'LIST_FAILED';

const zh: Record<SerialErrorCode, string> = {
  PORT_MISSING: '找不到串口，请检查连接线',
  OPEN_FAILED: '串口无法打开，可能被其他程序占用',
  NOT_OPEN: '设备未连接，请检查连接线',
  WRITE_FAILED: '向设备发送数据失败，请检查连接线',
  LOST: '设备连接已断开，请检查连接线',
  UDEV_MISSING: '未安装 udev（找不到 udevadm），无法列出串口',
  LIST_DENIED: '没有权限列出串口',
  LIST_FAILED: '无法列出串口',
};

export class SerialError extends Error {
  override readonly name = 'SerialError';
  readonly messageZh: string;
  constructor(
    readonly code: SerialErrorCode,
    message: string,
    readonly path: string,
    /** A Chinese text naming the cause more closely than the code's standard one. */
    messageZh?: string,
    /** The binding's own error, when there was one (its errno tells a caller more). */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.messageZh = messageZh ?? zh[code];
  }
}

type ListingCode = Extract<SerialErrorCode, 'UDEV_MISSING' | 'LIST_DENIED' | 'LIST_FAILED'>;

function isListingCode(code: SerialErrorCode): code is ListingCode {
  return code === 'UDEV_MISSING' || code === 'LIST_DENIED' || code === 'LIST_FAILED';
}

interface Cause {
  code: ListingCode;
  /** The file or program the error names, when it names one. */
  path: string;
  en: string;
  zh: string;
  /** The original English text. */
  detail: string;
}

/**
 * Why listing failed. serialport's errors carry only English text (`spawn udevadm ENOENT`,
 * `Error listing ports udevadm exited with error code: 1`), plus errno fields when Node made
 * them; the errno name alone is not enough: ENOENT for udevadm means udev is not installed,
 * not that a port is missing.
 */
function causeOf(err: unknown): Cause {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    path?: unknown;
    syscall?: unknown;
  };
  const detail = err instanceof Error ? err.message : String(err);
  const path = typeof e.path === 'string' ? e.path : '';
  if (err instanceof SerialError && isListingCode(err.code)) {
    return {
      code: err.code,
      path: err.path,
      en: err.message,
      zh: err.messageZh,
      detail,
    };
  }
  const names = `${detail} ${path} ${typeof e.syscall === 'string' ? e.syscall : ''}`;
  const missing = e.code === 'ENOENT' || /ENOENT|not found|No such file/i.test(detail);
  if (missing && /\budevadm\b/.test(names)) {
    return {
      code: 'UDEV_MISSING',
      path: 'udevadm',
      en: 'udev is not installed (udevadm was not found)',
      zh: '未安装 udev（找不到 udevadm）',
      detail,
    };
  }
  if (
    e.code === 'EACCES' ||
    e.code === 'EPERM' ||
    /EACCES|EPERM|Permission denied|Operation not permitted/i.test(detail)
  ) {
    const program = /\budevadm\b/.test(names) && (!path || path === 'udevadm');
    const what = program ? 'udevadm' : path;
    return {
      code: 'LIST_DENIED',
      path: what,
      en: program
        ? 'no permission to run udevadm'
        : what
          ? `no permission to read ${what}`
          : 'no permission',
      zh: program ? '没有运行 udevadm 的权限' : what ? `没有读取 ${what} 的权限` : '没有权限',
      detail,
    };
  }
  if (e.code === 'ENOENT' && path) {
    return {
      code: 'LIST_FAILED',
      path,
      en: `${path} does not exist`,
      zh: `${path} 不存在`,
      detail,
    };
  }
  return {
    code: 'LIST_FAILED',
    path,
    en: detail,
    zh: path ? `读取 ${path} 出错（${detail}）` : `出错（${detail}）`,
    detail,
  };
}

/** The English text plus the original one when it adds something. */
function withDetail(c: Cause): string {
  return c.detail && !c.en.includes(c.detail) ? `${c.en} (${c.detail})` : c.en;
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
  let en = `The serial ports could not be listed: ${withDetail(first)}`;
  let zhText =
    first.code === 'LIST_FAILED' ? `无法列出串口：${first.zh}` : `${first.zh}，无法列出串口`;
  let code: ListingCode = first.code;
  if (fallback !== undefined) {
    const second = causeOf(fallback);
    const from = fallbackFrom.length ? fallbackFrom : [second.path];
    en += `; reading ${from.join(' and ')} instead failed too: ${withDetail(second)}`;
    zhText = `${first.zh}，改从 ${from.join(' 和 ')} 读取也失败（${second.zh}），无法列出串口`;
    if (second.code === 'LIST_DENIED') code = 'LIST_DENIED';
  }
  if (code === 'LIST_DENIED') {
    en += '. Run the console as a user that may read it, or fix the permissions.';
    zhText += '。请以有权限的用户运行收银台，或修改相应权限。';
  } else if (code === 'UDEV_MISSING') {
    en += '. Install udev (apt-get install udev) or check that /sys is mounted.';
    zhText += '。请安装 udev（apt-get install udev），或检查 /sys 是否已挂载。';
  }
  return new SerialError(code, en, first.path || (fallbackFrom[0] ?? ''), zhText);
}

/** Says in both languages that the ports were listed without udev, and why. */
export function fallbackNote(err: unknown, sources: readonly string[]): Bilingual {
  const c = causeOf(err);
  const enFrom = sources.join(' and ');
  const zhFrom = sources.join(' 和 ');
  switch (c.code) {
    case 'UDEV_MISSING':
      return {
        en: `udev is not installed: ports listed from ${enFrom}`,
        zh: `未安装 udev，已从 ${zhFrom} 列出串口`,
      };
    case 'LIST_DENIED':
      return {
        en: `No permission to list the ports through udev (${c.detail}): ports listed from ${enFrom}`,
        zh: `没有权限通过 udev 列出串口（${c.zh}），已从 ${zhFrom} 列出串口`,
      };
    default:
      return {
        en: `Listing the ports through udev failed (${c.detail}): ports listed from ${enFrom}`,
        zh: `通过 udev 列出串口失败（${c.detail}），已从 ${zhFrom} 列出串口`,
      };
  }
}
