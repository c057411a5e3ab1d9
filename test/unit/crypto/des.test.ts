import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tdesDecryptEcb, tdesEncryptEcb } from '../../../src-main/crypto/des';
import { CryptoError } from '../../../src-main/crypto/errors';
import { hex, loadCryptoVectors, toHex } from './vectors';

const v = loadCryptoVectors();

describe('3DES-ECB', () => {
  it('decrypts the published MAK under its TMK', () => {
    const { tmk, encrypted, clear } = v.working_key_decrypt;
    expect(toHex(tdesDecryptEcb(hex(tmk), hex(encrypted)))).toBe(clear);
    expect(toHex(tdesEncryptEcb(hex(tmk), hex(clear)))).toBe(encrypted);
  });

  it('encrypts the published format 0 PIN block', () => {
    const { key, clear_block, encrypted_3des_ecb } = v.pin_block_iso0;
    expect(toHex(tdesEncryptEcb(hex(key), hex(clear_block)))).toBe(encrypted_3des_ecb);
  });

  it('treats an 8-byte key as single DES (K1=K2=K3) and a 24-byte K1K2K1 like 16 bytes', () => {
    const k = hex('0123456789ABCDEF');
    const data = hex('4E6F772069732074');
    // FIPS 81 single-DES example: "Now is t" under 0123456789ABCDEF.
    expect(toHex(tdesEncryptEcb(k, data))).toBe('3FA40E8A984D4815');
    const k16 = hex('0123456789ABCDEFFEDCBA9876543210');
    const k24 = Buffer.concat([k16, k16.subarray(0, 8)]);
    expect(tdesEncryptEcb(k16, data)).toEqual(tdesEncryptEcb(k24, data));
    expect(tdesDecryptEcb(k16, tdesEncryptEcb(k16, data))).toEqual(data);
  });

  it('reused cipher contexts give the same result as fresh ones, in any order', () => {
    const keys = Array.from({ length: 20 }, (_, i) => randomBytes([8, 16, 24][i % 3]!));
    for (let round = 0; round < 3; round++) {
      for (const key of keys) {
        const data = randomBytes(8 * (1 + (round % 4)));
        const k =
          key.length === 8
            ? Buffer.concat([key, key, key])
            : key.length === 16
              ? Buffer.concat([key, key.subarray(0, 8)])
              : key;
        const fresh = createCipheriv('des-ede3-ecb', k, null).setAutoPadding(false);
        const expected = Buffer.concat([fresh.update(data), fresh.final()]);
        expect(tdesEncryptEcb(key, data)).toEqual(expected);
        expect(tdesDecryptEcb(key, expected)).toEqual(data);
      }
    }
  });

  it('rejects bad key and data lengths with typed errors', () => {
    expect(() => tdesEncryptEcb(Buffer.alloc(7), Buffer.alloc(8))).toThrow(CryptoError);
    expect(() => tdesEncryptEcb(Buffer.alloc(16), Buffer.alloc(9))).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_DATA_LENGTH' }),
    );
  });
});
