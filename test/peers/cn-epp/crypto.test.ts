// The public vectors of test/fixtures/vectors/cup-pos-crypto.json reproduced exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  iso0Block,
  kcv3des,
  kcvSm4,
  panDigits12,
  sm4Decrypt,
  sm4Encrypt,
  tdesDecrypt,
  tdesEncrypt,
  tdesKey24,
  unionPayEcbMac3des,
  unionPayEcbMacSm4,
} from './crypto.js';

interface Vectors {
  mac_ecb_des: Record<'mak' | 'mab' | 'xor_of_blocks' | 'e1' | 't' | 'e2' | 'mac_ascii', string>;
  working_key_decrypt: Record<'tmk' | 'encrypted' | 'clear', string>;
  signon_response_0810: Record<
    'tmk' | 'frame' | 'pik_clear' | 'pik_check_value' | 'mak_clear' | 'mak_check_value',
    string
  >;
  key_check_value_3des: Record<'key' | 'kcv_full_block', string>;
  pin_block_iso0: Record<'pin' | 'pan' | 'clear_block' | 'key' | 'encrypted_3des_ecb', string>;
  sm4_gbt32907: Record<'key' | 'plaintext' | 'ciphertext', string>;
}

const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/vectors/cup-pos-crypto.json', import.meta.url), 'utf8'),
) as Vectors;
const h = (text: string): Buffer => Buffer.from(text, 'hex');
const upper = (b: Buffer): string => b.toString('hex').toUpperCase();

describe('cup-pos-crypto.json', () => {
  it('mac_ecb_des: every step of the UnionPay ECB MAC', () => {
    const v = vectors.mac_ecb_des;
    const steps = unionPayEcbMac3des(h(v.mak), h(v.mab));
    expect(upper(steps.r)).toBe(v.xor_of_blocks);
    expect(steps.h.toString('ascii')).toBe(v.xor_of_blocks);
    expect(upper(steps.e1)).toBe(v.e1);
    expect(upper(steps.t)).toBe(v.t);
    expect(upper(steps.e2)).toBe(v.e2);
    expect(steps.mac.toString('ascii')).toBe(v.mac_ascii);
  });

  it('working_key_decrypt: the MAK under the TMK', () => {
    const v = vectors.working_key_decrypt;
    expect(upper(tdesDecrypt(h(v.tmk), h(v.encrypted)))).toBe(v.clear);
    expect(upper(tdesEncrypt(h(v.tmk), h(v.clear)))).toBe(v.encrypted);
  });

  it('signon_response_0810: F62 keys decrypt to the clear keys with the check values', () => {
    const v = vectors.signon_response_0810;
    // F62 (60.3 = 003 layout) copied out of the frame: PIK 16 + CV 4 + MAK 8 + 8 x 00 + CV 4
    const f62 = '46F161A743497B32EAC760DF5EA57DF5900ECCE3977731A7EA402DDF0000000000000000CFF1592A';
    expect(v.frame).toContain('0040' + f62);
    const pik = tdesDecrypt(h(v.tmk), h(f62.slice(0, 32)));
    const mak = tdesDecrypt(h(v.tmk), h(f62.slice(40, 56)));
    expect(upper(pik)).toBe(v.pik_clear);
    expect(upper(mak)).toBe(v.mak_clear);
    expect(kcv3des(pik)).toBe(v.pik_check_value);
    expect(f62.slice(32, 40)).toBe(v.pik_check_value);
    // an 8-byte key is single DES (K = KKK)
    expect(kcv3des(mak)).toBe(v.mak_check_value);
  });

  it('key_check_value_3des', () => {
    const v = vectors.key_check_value_3des;
    expect(upper(tdesEncrypt(h(v.key), Buffer.alloc(8)))).toBe(v.kcv_full_block);
    expect(kcv3des(h(v.key))).toBe(v.kcv_full_block.slice(0, 8));
  });

  it('pin_block_iso0', () => {
    const v = vectors.pin_block_iso0;
    expect(panDigits12(v.pan)).toBe('987654321098');
    const clear = iso0Block(v.pin, panDigits12(v.pan));
    expect(upper(clear)).toBe(v.clear_block);
    expect(upper(tdesEncrypt(h(v.key), clear))).toBe(v.encrypted_3des_ecb);
  });

  it('sm4_gbt32907', () => {
    const v = vectors.sm4_gbt32907;
    expect(upper(sm4Encrypt(h(v.key), h(v.plaintext)))).toBe(v.ciphertext);
    expect(upper(sm4Decrypt(h(v.key), h(v.ciphertext)))).toBe(v.plaintext);
  });
});

describe('key expansion and the SM4 MAC variant', () => {
  it('K1K2 -> K1K2K1 and K -> KKK', () => {
    const k1 = h('0123456789ABCDEF');
    const k2 = h('FEDCBA9876543210');
    expect(tdesKey24(Buffer.concat([k1, k2]))).toEqual(Buffer.concat([k1, k2, k1]));
    expect(tdesKey24(k1)).toEqual(Buffer.concat([k1, k1, k1]));
  });

  it('SM4 variant: 16-byte XOR, 32 hex chars, SM4, XOR, SM4, first 8 hex chars of E2', () => {
    const key = h(vectors.sm4_gbt32907.key);
    const data = Buffer.from('0200 balance inquiry, 16+ bytes', 'ascii');
    const steps = unionPayEcbMacSm4(key, data);
    const padded = Buffer.concat([data, Buffer.alloc((16 - (data.length % 16)) % 16)]);
    const r = Buffer.alloc(16);
    for (let i = 0; i < padded.length; i++)
      r[i % 16] = (r[i % 16] as number) ^ (padded[i] as number);
    expect(steps.r).toEqual(r);
    expect(steps.h.toString('ascii')).toBe(upper(r));
    expect(steps.e1).toEqual(sm4Encrypt(key, steps.h.subarray(0, 16)));
    expect(kcvSm4(key)).toBe(upper(sm4Encrypt(key, Buffer.alloc(16))).slice(0, 8));
    expect(steps.mac.toString('ascii')).toBe(upper(steps.e2).slice(0, 8));
  });
});
