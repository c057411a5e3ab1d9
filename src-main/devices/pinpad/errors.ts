// Typed PIN pad errors: a stable code (these codes are on the wire and in the log rows as they
// always were) and the words a cashier reads, from this one catalogue.
import { errorCatalogue, errorClass } from '../../common';
import { AbecsFrameError, AbecsMessageError } from '../../protocols/abecs/errors';
import { EppDataError, EppFrameError } from '../../protocols/cn-epp/errors';
import { SerialError } from '../serial/errors';

export const PINPAD_ERRORS = errorCatalogue({
  /** Port missing or unplugged: check the cable. */
  NOT_CONNECTED: {
    en: 'PIN pad not connected, check the cable',
    zh: '密码键盘未连接，请检查连接线',
  },
  /** open() was not called (or close() was). */
  NOT_OPEN: {
    en: 'PIN pad is not open',
    zh: '密码键盘尚未打开',
  },
  /** The pad did not acknowledge a command after 3 tries, or did not answer in time. */
  NO_RESPONSE: {
    en: 'PIN pad does not answer, check the cable or plug it in again',
    zh: '密码键盘无响应，请检查连接线或重新插拔',
  },
  /** The pad answered something this driver cannot use. */
  PROTOCOL: {
    en: 'PIN pad communication error, try again',
    zh: '密码键盘通讯错误，请重试',
  },
  /** The pad refused the command (status / RTN code in details). */
  DEVICE_ERROR: {
    en: 'PIN pad reported an error, try again',
    zh: '密码键盘返回错误，请重试',
  },
  KEY_MISSING: {
    en: 'the PIN pad does not hold the required key, call support',
    zh: '密码键盘中没有所需密钥，请联系维护人员',
  },
  /** The pad could not read or use the card (ABECS 041, 043, 060-087; 070: no chip application). */
  CARD_ERROR: {
    en: 'the PIN pad could not process this card, insert it again or swipe it',
    zh: '密码键盘无法处理此卡，请重新插卡或改为刷卡',
  },
  KCV_MISMATCH: {
    en: 'key check value mismatch, key not loaded',
    zh: '密钥校验值不符，密钥未生效',
  },
  NOT_SUPPORTED: {
    en: 'this PIN pad does not support that function',
    zh: '此密码键盘不支持该功能',
  },
  BUSY: {
    en: 'PIN pad is busy, wait a moment',
    zh: '密码键盘正忙，请稍候',
  },
  /** A value the pad's command cannot carry (e.g. a PAN of 20 digits). */
  BAD_ARGUMENT: {
    en: 'invalid argument',
    zh: '参数错误',
  },
  /** The caller's AbortSignal fired or its timeout passed for a non-cardholder call. */
  ABORTED: {
    en: 'operation cancelled',
    zh: '操作已取消',
  },
  TIMEOUT: {
    en: 'operation timed out',
    zh: '操作超时',
  },
});

export type PinpadErrorCode = keyof typeof PINPAD_ERRORS;

export class PinpadError extends errorClass(PINPAD_ERRORS) {
  override readonly name = 'PinpadError';
}

export function isPinpadError(err: unknown, code?: PinpadErrorCode): err is PinpadError {
  return err instanceof PinpadError && (code === undefined || err.code === code);
}

/**
 * A lower layer's error as the cashier should read it, at the edge of a driver: a serial failure
 * means the PIN pad is not connected; a codec error that got this far (the drivers retell the
 * pad's undecodable answers as PROTOCOL where they decode them) is a command this driver could
 * not build from what it was given: BAD_ARGUMENT. Anything else is passed on as it is.
 */
export function toPinpadError(err: unknown): Error {
  if (err instanceof SerialError) {
    return new PinpadError('NOT_CONNECTED', {
      detail: err.message,
      details: { path: err.path, serialCode: err.code },
      cause: err,
    });
  }
  if (
    err instanceof AbecsFrameError ||
    err instanceof AbecsMessageError ||
    err instanceof EppFrameError ||
    err instanceof EppDataError
  ) {
    return new PinpadError('BAD_ARGUMENT', {
      detail: err.message,
      details: { codecCode: err.code },
      cause: err,
    });
  }
  return err as Error;
}
