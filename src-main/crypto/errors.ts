// Typed errors of the security functions: stable CRYPTO_ codes and their words from this one
// catalogue. Messages never carry key, PIN or PAN material. The layers above retell them as
// their own (a sign-on's refused keys are HOST_KEYS_REFUSED), so a cashier reads the words of
// the step that failed; should one get through, it still has its Chinese text.
import { errorCatalogue, errorClass, type CodeOf } from '../common';

interface What {
  /** The algorithm or key concerned, e.g. '3DES', 'MAC', 'PIK'. */
  what: string;
}

export const CRYPTO_ERRORS = errorCatalogue({
  CRYPTO_KEY_LENGTH: {
    en: (p: What & { allowed: string }) => `${p.what}: key must be ${p.allowed} bytes`,
    zh: (p: What & { allowed: string }) => `密钥长度错误（${p.what}），请重新签到`,
  },
  CRYPTO_DATA_LENGTH: {
    en: (p: What & { multiple: number }) =>
      `${p.what}: data length must be a multiple of ${p.multiple} bytes`,
    zh: (p: What & { multiple: number }) => `数据长度错误（${p.what}）`,
  },
  CRYPTO_PIN_INVALID: {
    en: 'PIN must be 4 to 12 digits',
    zh: '密码须为4至12位数字',
  },
  CRYPTO_PAN_INVALID: {
    en: 'card number must be 13 to 19 digits',
    zh: '卡号格式错误',
  },
  CRYPTO_PIN_BLOCK_INVALID: {
    en: 'PIN block malformed',
    zh: '密码块格式错误',
  },
  CRYPTO_PIN_BLOCK_FILL: {
    code: 'CRYPTO_PIN_BLOCK_INVALID',
    en: (p: { bytes: number }) => `fill needs ${p.bytes} bytes`,
    zh: '密码块填充数据不足',
  },
  CRYPTO_F62_LENGTH: {
    code: 'CRYPTO_WORKING_KEY_LAYOUT',
    en: (p: { scheme: string; expected: number; got: number }) =>
      `F62 for key scheme ${p.scheme} must be ${p.expected} bytes, got ${p.got}`,
    zh: '工作密钥数据长度错误，请重新签到',
  },
  CRYPTO_WORKING_KEY_LENGTH: {
    code: 'CRYPTO_WORKING_KEY_LAYOUT',
    en: (p: What & { bytes: number; scheme: string }) =>
      `${p.what} must be ${p.bytes} bytes for key scheme ${p.scheme}`,
    zh: '工作密钥长度错误',
  },
  CRYPTO_TDK_MISSING: {
    code: 'CRYPTO_WORKING_KEY_LAYOUT',
    en: 'scheme 004 needs a TDK',
    zh: '缺少磁道密钥',
  },
  CRYPTO_WORKING_KEY_CHECK_FAILED: {
    en: (p: What) => `${p.what} check value does not match; keys refused`,
    zh: (p: What) => `工作密钥校验失败（${p.what}），请检查主密钥后重新签到`,
  },
});

export type CryptoErrorCode = CodeOf<typeof CRYPTO_ERRORS>;

export class CryptoError extends errorClass(CRYPTO_ERRORS) {
  override readonly name = 'CryptoError';
}

export function keyLengthError(what: string, allowed: string): CryptoError {
  return new CryptoError('CRYPTO_KEY_LENGTH', { what, allowed });
}

export function dataLengthError(what: string, multiple: number): CryptoError {
  return new CryptoError('CRYPTO_DATA_LENGTH', { what, multiple });
}
