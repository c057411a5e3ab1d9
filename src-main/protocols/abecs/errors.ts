// Typed errors of the ABECS codec (framing and messages): ABECS_ codes and their words from this
// one catalogue. The English `message` names the exact fault (for logs); the PIN pad driver
// retells an answer it cannot read as PinpadError PROTOCOL, and a value a command cannot carry
// as BAD_ARGUMENT, so a cashier reads the PIN pad's words.
import { errorCatalogue, errorClass } from '../../common';

export const ABECS_ERRORS = errorCatalogue({
  ABECS_FRAME_EMPTY: {
    en: 'ABECS frame without data',
    zh: '密码键盘报文为空',
  },
  ABECS_FRAME_TOO_LONG: {
    en: 'ABECS frame too long',
    zh: '密码键盘报文过长',
  },
  ABECS_BAD_ID: {
    en: 'ABECS command id not valid',
    zh: '密码键盘报文的命令码错误',
  },
  ABECS_BAD_STATUS: {
    en: 'ABECS status not valid',
    zh: '密码键盘报文的状态码错误',
  },
  ABECS_BAD_LENGTH: {
    en: 'ABECS block length not valid',
    zh: '密码键盘报文的数据块长度错误',
  },
  ABECS_TRUNCATED: {
    en: 'ABECS message truncated',
    zh: '密码键盘报文不完整',
  },
  ABECS_BAD_TLV: {
    en: 'ABECS parameter (TLV) not valid',
    zh: '密码键盘报文的参数格式错误',
  },
  ABECS_BAD_FIELD: {
    en: 'The PIN pad sent data that could not be read',
    zh: '密码键盘报文的数据项错误',
  },
});

/** A frame that cannot be built (an empty or oversized PKTDATA). */
export class AbecsFrameError extends errorClass(ABECS_ERRORS) {
  override readonly name = 'AbecsFrameError';
}

/** A message or field that cannot be encoded or decoded. */
export class AbecsMessageError extends errorClass(ABECS_ERRORS) {
  override readonly name = 'AbecsMessageError';
}
