import { describe, expect, it } from 'vitest';
import { keyCheckValue } from '../../../src-main/crypto/kcv';
import { hex, loadCryptoVectors, toHex } from './vectors';

const v = loadCryptoVectors();

describe('key check values', () => {
  it('reproduces the full-block 3DES check value and its 4-byte prefix', () => {
    const { key, kcv_full_block } = v.key_check_value_3des;
    expect(toHex(keyCheckValue(hex(key), '3des', 8))).toBe(kcv_full_block);
    expect(toHex(keyCheckValue(hex(key), '3des'))).toBe(kcv_full_block.slice(0, 8));
  });

  it('reproduces the check values carried in the published 0810', () => {
    const s = v.signon_response_0810;
    expect(toHex(keyCheckValue(hex(s.pik_clear), '3des'))).toBe(s.pik_check_value);
    expect(toHex(keyCheckValue(hex(s.mak_clear), '3des'))).toBe(s.mak_check_value);
  });

  it('SM4 check value is the prefix of the SM4 encryption of a zero block', () => {
    const key = hex(v.sm4_gbt32907.key);
    expect(keyCheckValue(key, 'sm4', 16)).toHaveLength(16);
    expect(toHex(keyCheckValue(key, 'sm4'))).toHaveLength(8);
  });
});
