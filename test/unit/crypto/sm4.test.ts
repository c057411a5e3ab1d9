import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm4DecryptEcb, sm4EcbSoftware, sm4EncryptEcb } from '../../../src-main/crypto/sm4';
import { hex, loadCryptoVectors, toHex } from './vectors';

const v = loadCryptoVectors().sm4_gbt32907;

describe('SM4-ECB', () => {
  it('reproduces the GB/T 32907 example', () => {
    expect(toHex(sm4EncryptEcb(hex(v.key), hex(v.plaintext)))).toBe(v.ciphertext);
    expect(toHex(sm4DecryptEcb(hex(v.key), hex(v.ciphertext)))).toBe(v.plaintext);
  });

  it('software fallback reproduces the example and agrees with OpenSSL on random data', () => {
    expect(toHex(sm4EcbSoftware(false, hex(v.key), hex(v.plaintext)))).toBe(v.ciphertext);
    for (let i = 0; i < 20; i++) {
      const key = randomBytes(16);
      const data = randomBytes(32);
      const enc = sm4EncryptEcb(key, data);
      expect(sm4EcbSoftware(false, key, data)).toEqual(enc);
      expect(sm4EcbSoftware(true, key, enc)).toEqual(data);
    }
  });

  it('rejects a wrong key length', () => {
    expect(() => sm4EncryptEcb(Buffer.alloc(8), Buffer.alloc(16))).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_KEY_LENGTH' }),
    );
  });
});
