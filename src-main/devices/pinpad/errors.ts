// Typed PIN pad errors: stable code, English message, Chinese message for the cashier.
import { SerialError } from '../serial/errors';

export type PinpadErrorCode =
  /** Port missing or unplugged: check the cable. */
  | 'NOT_CONNECTED'
  /** open() was not called (or close() was). */
  | 'NOT_OPEN'
  /** The pad did not acknowledge a command after 3 tries, or did not answer in time. */
  | 'NO_RESPONSE'
  /** The pad answered something this driver cannot use. */
  | 'PROTOCOL'
  /** The pad refused the command (status / RTN code in details). */
  | 'DEVICE_ERROR'
  | 'KEY_MISSING'
  /** The pad could not read or use the card (ABECS 041, 043, 060-087; 070: no chip application). */
  | 'CARD_ERROR'
  | 'KCV_MISMATCH'
  | 'NOT_SUPPORTED'
  | 'BUSY'
  | 'BAD_ARGUMENT'
  /** The caller's AbortSignal fired or its timeout passed for a non-cardholder call. */
  | 'ABORTED'
  | 'TIMEOUT';

const zh: Record<PinpadErrorCode, string> = {
  NOT_CONNECTED: '密码键盘未连接，请检查连接线',
  NOT_OPEN: '密码键盘尚未打开',
  NO_RESPONSE: '密码键盘无响应，请检查连接线或重新插拔',
  PROTOCOL: '密码键盘通讯错误，请重试',
  DEVICE_ERROR: '密码键盘返回错误，请重试',
  KEY_MISSING: '密码键盘中没有所需密钥，请联系维护人员',
  CARD_ERROR: '密码键盘无法处理此卡，请重新插卡或改为刷卡',
  KCV_MISMATCH: '密钥校验值不符，密钥未生效',
  NOT_SUPPORTED: '此密码键盘不支持该功能',
  BUSY: '密码键盘正忙，请稍候',
  BAD_ARGUMENT: '参数错误',
  ABORTED: '操作已取消',
  TIMEOUT: '操作超时',
};

const en: Record<PinpadErrorCode, string> = {
  NOT_CONNECTED: 'PIN pad not connected, check the cable',
  NOT_OPEN: 'PIN pad is not open',
  NO_RESPONSE: 'PIN pad does not answer, check the cable or plug it in again',
  PROTOCOL: 'PIN pad communication error, try again',
  DEVICE_ERROR: 'PIN pad reported an error, try again',
  KEY_MISSING: 'the PIN pad does not hold the required key, call support',
  CARD_ERROR: 'the PIN pad could not process this card, insert it again or swipe it',
  KCV_MISMATCH: 'key check value mismatch, key not loaded',
  NOT_SUPPORTED: 'this PIN pad does not support that function',
  BUSY: 'PIN pad is busy, wait a moment',
  BAD_ARGUMENT: 'invalid argument',
  ABORTED: 'operation cancelled',
  TIMEOUT: 'operation timed out',
};

export class PinpadError extends Error {
  override readonly name = 'PinpadError';
  readonly messageZh: string;
  constructor(
    readonly code: PinpadErrorCode,
    detail?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(detail ? `${en[code]} (${detail})` : en[code]);
    this.messageZh = zh[code];
  }
}

export function isPinpadError(err: unknown, code?: PinpadErrorCode): err is PinpadError {
  return err instanceof PinpadError && (code === undefined || err.code === code);
}

/** A serial failure as the cashier should read it: the PIN pad is not connected. */
export function toPinpadError(err: unknown): Error {
  if (err instanceof SerialError) {
    return new PinpadError('NOT_CONNECTED', err.message, { path: err.path, serialCode: err.code });
  }
  return err as Error;
}
