// Working keys from the sign-on answer (F62), encrypted under the terminal master key (TMK).
// The layout depends on the key scheme the terminal asked for in 60.3.
import { tdesDecryptEcb, tdesEncryptEcb } from './des';
import { CryptoError } from './errors';
import { keyCheckValue } from './kcv';

export type KeyScheme = '001' | '003' | '004';

export interface EncryptedKey {
  /** The key as it travels: encrypted under the TMK. */
  underTmk: Buffer;
  /** 4-byte check value computed over the clear key. */
  checkValue: Buffer;
}

export interface WorkingKeysUnderTmk {
  scheme: KeyScheme;
  pik: EncryptedKey;
  mak: EncryptedKey;
  /** Track data key, only in layout 004. */
  tdk?: EncryptedKey;
}

export interface ClearWorkingKeys {
  scheme: KeyScheme;
  pik: Buffer;
  mak: Buffer;
  tdk?: Buffer;
}

const LAYOUT_LENGTH: Record<KeyScheme, number> = { '001': 24, '003': 40, '004': 60 };

export function isKeyScheme(value: string): value is KeyScheme {
  return value === '001' || value === '003' || value === '004';
}

/** Splits F62 into its encrypted keys and check values, per the layout of `scheme`. */
export function parseF62(f62: Buffer, scheme: KeyScheme): WorkingKeysUnderTmk {
  const expected = LAYOUT_LENGTH[scheme];
  if (f62.length !== expected) {
    throw new CryptoError('CRYPTO_F62_LENGTH', { scheme, expected, got: f62.length });
  }
  const part = (from: number, len: number): EncryptedKey => ({
    underTmk: Buffer.from(f62.subarray(from, from + len)),
    checkValue: Buffer.from(f62.subarray(from + len, from + len + 4)),
  });
  if (scheme === '001') return { scheme, pik: part(0, 8), mak: part(12, 8) };
  // 003/004: PIK 16 + CV 4, then MAK 8 + 8 x 00 + CV 4 (the MAK stays single length).
  const pik = part(0, 16);
  const mak: EncryptedKey = {
    underTmk: Buffer.from(f62.subarray(20, 28)),
    checkValue: Buffer.from(f62.subarray(36, 40)),
  };
  if (scheme === '003') return { scheme, pik, mak };
  return { scheme, pik, mak, tdk: part(40, 16) };
}

function unwrapOne(name: string, key: EncryptedKey, tmk: Buffer): Buffer {
  const clear = tdesDecryptEcb(tmk, key.underTmk);
  const cv = keyCheckValue(clear, '3des', 4);
  if (!cv.equals(key.checkValue)) {
    throw new CryptoError('CRYPTO_WORKING_KEY_CHECK_FAILED', { what: name });
  }
  return clear;
}

/** Decrypts the working keys with the TMK and verifies every check value; a mismatch throws. */
export function unwrapWorkingKeys(keys: WorkingKeysUnderTmk, tmk: Buffer): ClearWorkingKeys {
  const out: ClearWorkingKeys = {
    scheme: keys.scheme,
    pik: unwrapOne('PIK', keys.pik, tmk),
    mak: unwrapOne('MAK', keys.mak, tmk),
  };
  if (keys.tdk) out.tdk = unwrapOne('TDK', keys.tdk, tmk);
  return out;
}

/** Builds F62 for a sign-on answer (host side): keys encrypted under the TMK plus check values. */
export function buildF62(keys: ClearWorkingKeys, tmk: Buffer): Buffer {
  const wrap = (key: Buffer): Buffer[] => [tdesEncryptEcb(tmk, key), keyCheckValue(key, '3des', 4)];
  const expectLength = (name: string, key: Buffer, len: number): void => {
    if (key.length !== len) {
      throw new CryptoError('CRYPTO_WORKING_KEY_LENGTH', {
        what: name,
        bytes: len,
        scheme: keys.scheme,
      });
    }
  };
  if (keys.scheme === '001') {
    expectLength('PIK', keys.pik, 8);
    expectLength('MAK', keys.mak, 8);
    return Buffer.concat([...wrap(keys.pik), ...wrap(keys.mak)]);
  }
  expectLength('PIK', keys.pik, 16);
  expectLength('MAK', keys.mak, 8);
  const [makEnc, makCv] = wrap(keys.mak);
  const parts = [...wrap(keys.pik), makEnc!, Buffer.alloc(8), makCv!];
  if (keys.scheme === '004') {
    if (!keys.tdk) {
      throw new CryptoError('CRYPTO_TDK_MISSING');
    }
    expectLength('TDK', keys.tdk, 16);
    parts.push(...wrap(keys.tdk));
  }
  return Buffer.concat(parts);
}
