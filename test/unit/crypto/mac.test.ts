import { describe, expect, it } from 'vitest';
import {
  unionPayEcbMac,
  unionPayEcbMacSm4,
  unionPayEcbMacSteps,
  x919Mac,
  x99Mac,
} from '../../../src-main/crypto/mac';
import { tdesEncryptEcb } from '../../../src-main/crypto/des';
import { sm4EncryptEcb } from '../../../src-main/crypto/sm4';
import { hex, loadCryptoVectors, toHex } from './vectors';

const v = loadCryptoVectors().mac_ecb_des;

describe('UnionPay ECB MAC', () => {
  it('reproduces every step of the published walkthrough', () => {
    const s = unionPayEcbMacSteps(hex(v.mak), hex(v.mab));
    expect(toHex(s.xor)).toBe(v.xor_of_blocks);
    expect(toHex(s.e1)).toBe(v.e1);
    expect(toHex(s.t)).toBe(v.t);
    expect(toHex(s.e2)).toBe(v.e2);
    expect(s.mac.toString('ascii')).toBe(v.mac_ascii);
    expect(unionPayEcbMac(hex(v.mak), hex(v.mab)).toString('ascii')).toBe(v.mac_ascii);
  });

  it('a double-length MAK with equal halves equals the single-DES MAK', () => {
    const mak = hex(v.mak);
    expect(unionPayEcbMac(Buffer.concat([mak, mak]), hex(v.mab))).toEqual(
      unionPayEcbMac(mak, hex(v.mab)),
    );
  });

  it('changes when one bit of the MAB changes', () => {
    const mab = hex(v.mab);
    mab[5] ^= 0x01;
    expect(unionPayEcbMac(hex(v.mak), mab).toString('ascii')).not.toBe(v.mac_ascii);
  });

  it('SM4 variant follows the described steps', () => {
    const key = hex('0123456789ABCDEFFEDCBA9876543210');
    const mab = Buffer.from('0200 balance inquiry message block', 'ascii');
    const padded = Buffer.alloc(48);
    mab.copy(padded);
    const x = Buffer.alloc(16);
    for (let i = 0; i < 48; i++) x[i % 16] ^= padded[i]!;
    const h = Buffer.from(toHex(x), 'ascii');
    const e1 = sm4EncryptEcb(key, h.subarray(0, 16));
    for (let i = 0; i < 16; i++) e1[i] ^= h[16 + i]!;
    const e2 = sm4EncryptEcb(key, e1);
    const mac = unionPayEcbMacSm4(key, mab);
    expect(mac.toString('ascii')).toBe(toHex(e2).slice(0, 8));
  });
});

describe('ANSI X9.9 / X9.19', () => {
  it('X9.9 matches the FIPS 113 example', () => {
    // FIPS 113 / ANSI X9.9 example: key 0123456789ABCDEF, "7654321 Now is the time for ".
    const data = Buffer.from('7654321 Now is the time for ', 'ascii');
    expect(toHex(x99Mac(hex('0123456789ABCDEF'), data))).toBe('F1D30F6849312CA4');
  });

  it('X9.19 equals X9.9 when both key halves are equal, and follows the definition otherwise', () => {
    const k = hex('0123456789ABCDEF');
    const data = Buffer.from('7654321 Now is the time for ', 'ascii');
    expect(x919Mac(Buffer.concat([k, k]), data)).toEqual(x99Mac(k, data));
    const k2 = hex('0123456789ABCDEFFEDCBA9876543210');
    // Definition: the last CBC block is 3DES-encrypted with K1K2K1 instead of single DES.
    const padded = Buffer.alloc(32);
    data.copy(padded);
    let chain: Buffer = Buffer.alloc(8);
    for (let off = 0; off < 32; off += 8) {
      for (let i = 0; i < 8; i++) chain[i] ^= padded[off + i]!;
      chain = off < 24 ? tdesEncryptEcb(k2.subarray(0, 8), chain) : tdesEncryptEcb(k2, chain);
    }
    expect(x919Mac(k2, data)).toEqual(chain);
  });
});
