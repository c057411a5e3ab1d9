// Typed errors of the ZT598-family EPP codec: EPP_ codes and their words from this one
// catalogue. The English `message` names the exact fault (for logs); the PIN pad driver retells
// an answer it cannot read, or a request it cannot build, as a PinpadError.
import { errorCatalogue, errorClass } from '../../common';

export const EPP_ERRORS = errorCatalogue({
  EPP_FRAME_TOO_LONG: {
    en: 'EPP frame too long',
    zh: '加密键盘报文过长',
  },
  EPP_BAD_CODE: {
    en: 'EPP command code not valid',
    zh: '加密键盘报文的命令码错误',
  },
  EPP_BAD_DATA: {
    en: 'EPP data not valid',
    zh: '加密键盘报文的数据格式错误',
  },
});

/** A frame that cannot be built. */
export class EppFrameError extends errorClass(EPP_ERRORS) {
  override readonly name = 'EppFrameError';
}

/** Request or answer data that does not have the documented shape. */
export class EppDataError extends errorClass(EPP_ERRORS) {
  override readonly name = 'EppDataError';
  /** @param detail the exact fault, in English */
  constructor(detail: string) {
    super('EPP_BAD_DATA', detail);
  }
}
