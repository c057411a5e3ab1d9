// Security functions against the public vectors (test/fixtures/vectors/cup-pos-crypto.json).
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from './codec.js';
import {
  buildF62,
  checkValue,
  desDecrypt,
  desEncrypt,
  parseF62,
  pinBlockFormat0,
  randomDesKey,
  randomWorkingKeys,
  readPinBlock,
  unionPayEcbMac,
  unionPayEcbMacSteps,
} from './crypto.js';
import { vectors } from './vectors.js';

describe('UnionPay ECB MAC', () => {
  const v = vectors.mac_ecb_des;

  it('reproduces every step of the worked example', () => {
    const s = unionPayEcbMacSteps(fromHex(v.mak), fromHex(v.mab));
    expect(hex(s.xor)).toBe(v.xor_of_blocks);
    expect(hex(s.e1)).toBe(v.e1);
    expect(hex(s.t)).toBe(v.t);
    expect(hex(s.e2)).toBe(v.e2);
    expect(s.mac.toString('ascii')).toBe(v.mac_ascii);
    expect(unionPayEcbMac(fromHex(v.mak), fromHex(v.mab)).toString('ascii')).toBe(v.mac_ascii);
  });

  it('pads with 00: appending zero bytes up to the block boundary changes nothing', () => {
    const mab = fromHex(v.mab); // 91 bytes
    const padded = Buffer.concat([mab, Buffer.alloc(96 - mab.length)]);
    expect(hex(unionPayEcbMac(fromHex(v.mak), padded))).toBe(
      hex(unionPayEcbMac(fromHex(v.mak), mab)),
    );
  });
});

describe('keys', () => {
  it('decrypts the MAK of the worked example under its TMK (3DES-ECB)', () => {
    const v = vectors.working_key_decrypt;
    expect(hex(desDecrypt(fromHex(v.tmk), fromHex(v.encrypted)))).toBe(v.clear);
    expect(hex(desEncrypt(fromHex(v.tmk), fromHex(v.clear)))).toBe(v.encrypted);
  });

  it('computes the 3DES check value (full block) of the published key', () => {
    const v = vectors.key_check_value_3des;
    expect(hex(checkValue(fromHex(v.key), 8))).toBe(v.kcv_full_block);
    expect(hex(checkValue(fromHex(v.key)))).toBe(v.kcv_full_block.slice(0, 8));
  });

  it('single DES is 3DES with K,K,K: an 8-byte key equals the 16-byte key K||K', () => {
    const k = fromHex('C24A8FB57AA20123');
    const data = fromHex('0123456789ABCDEF');
    expect(hex(desEncrypt(k, data))).toBe(hex(desEncrypt(Buffer.concat([k, k]), data)));
  });

  it('makes odd-parity random keys', () => {
    for (const b of randomDesKey(16)) {
      let ones = 0;
      for (let v = b; v; v >>= 1) ones += v & 1;
      expect(ones % 2).toBe(1);
    }
  });

  it('builds and parses each F62 layout (001 = 24, 003 = 40, 004 = 60 bytes)', () => {
    const tmk = fromHex(vectors.signon_response_0810.tmk);
    for (const [scheme, len] of [
      ['001', 24],
      ['003', 40],
      ['004', 60],
    ] as const) {
      const keys = randomWorkingKeys(scheme);
      const f62 = buildF62(scheme, keys, tmk);
      expect(f62.length).toBe(len);
      const back = parseF62(scheme, f62, tmk);
      expect(back.checkValuesMatch).toBe(true);
      expect(hex(back.pik)).toBe(hex(keys.pik));
      expect(hex(back.mak)).toBe(hex(keys.mak));
      if (scheme === '004') expect(hex(back.tdk!)).toBe(hex(keys.tdk!));
      // a flipped check value is noticed
      const bad = Buffer.from(f62);
      bad[scheme === '001' ? 8 : 16]! ^= 1;
      expect(parseF62(scheme, bad, tmk).checkValuesMatch).toBe(false);
    }
  });
});

describe('ISO 9564 format 0', () => {
  const v = vectors.pin_block_iso0;

  it('builds the published clear block and its 3DES-ECB encryption', () => {
    const clear = pinBlockFormat0(v.pin, v.pan);
    expect(hex(clear)).toBe(v.clear_block);
    expect(hex(desEncrypt(fromHex(v.key), clear))).toBe(v.encrypted_3des_ecb);
  });

  it('reads the block back and refuses a malformed one', () => {
    expect(readPinBlock(fromHex(v.clear_block), v.pan)).toEqual({
      ok: true,
      pin: '1234',
      format: 0,
    });
    expect(readPinBlock(fromHex(v.clear_block), '4321987654321000').ok).toBe(false);
    expect(readPinBlock(fromHex('141234FFFFFFFFFF'))).toEqual({ ok: true, pin: '1234', format: 1 });
    expect(readPinBlock(fromHex('0F1234FFFFFFFFFF'), undefined).ok).toBe(false);
  });
});
