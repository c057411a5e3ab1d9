// Typed errors of the security functions. `code` is stable for tests and logs; messages never
// carry key, PIN or PAN material.
export type CryptoErrorCode =
  | 'CRYPTO_KEY_LENGTH'
  | 'CRYPTO_DATA_LENGTH'
  | 'PIN_INVALID'
  | 'PAN_INVALID'
  | 'PIN_BLOCK_INVALID'
  | 'WORKING_KEY_LAYOUT'
  | 'WORKING_KEY_CHECK_FAILED';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

export function keyLengthError(what: string, allowed: string): CryptoError {
  return new CryptoError(
    'CRYPTO_KEY_LENGTH',
    `${what}: key must be ${allowed} bytes`,
    `密钥长度错误（${what}），请重新签到`,
  );
}

export function dataLengthError(what: string, multiple: number): CryptoError {
  return new CryptoError(
    'CRYPTO_DATA_LENGTH',
    `${what}: data length must be a multiple of ${multiple} bytes`,
    `数据长度错误（${what}）`,
  );
}
