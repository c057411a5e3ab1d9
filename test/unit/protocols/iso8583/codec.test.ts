import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cupPosFields,
  cupPosPackager,
  decodeFrame,
  encodeFrame,
  Iso8583Error,
  isoMessage,
  Iso8583Packager,
  swapTpdu,
} from '../../../../src-main/protocols/iso8583';
import { hex, loadCryptoVectors, toHex } from '../../crypto/vectors';
import { messageArb } from './arbitraries';

const v = loadCryptoVectors();

describe('published frames', () => {
  it('parses the shared 0810 sign-on response exactly and re-encodes it byte for byte', () => {
    const frameBytes = hex(v.signon_response_0810.frame);
    const frame = decodeFrame(frameBytes, cupPosPackager);
    expect(frame.tpdu).toBe('6000000138');
    expect(frame.header).toBe('613100311108');
    const m = frame.message;
    expect(m.mti).toBe('0810');
    expect([...m.fields.keys()]).toEqual([11, 12, 13, 32, 37, 39, 41, 42, 60, 62]);
    expect(m.fields.get(11)).toBe('500211');
    expect(m.fields.get(12)).toBe('221301');
    expect(m.fields.get(13)).toBe('0720');
    expect(m.fields.get(32)).toBe('00085500');
    expect(m.fields.get(37)).toBe('221301491329');
    expect(m.fields.get(39)).toBe('00');
    expect(m.fields.get(41)).toBe('99999906');
    expect(m.fields.get(42)).toBe('001430170119999');
    // 60.1 00, 60.2 batch 000519, 60.3 key scheme 003 (11 digits, pad nibble dropped).
    expect(m.fields.get(60)).toBe('00000519003');
    const f62 = m.fields.get(62) as Buffer;
    expect(f62).toHaveLength(40);
    expect(toHex(f62.subarray(16, 20))).toBe(v.signon_response_0810.pik_check_value);
    expect(toHex(encodeFrame(frame, cupPosPackager))).toBe(v.signon_response_0810.frame);
  });

  it('parses the published 0200 MAC block (plus its MAC) and rebuilds it', () => {
    const packed = Buffer.concat([hex(v.mac_ecb_des.mab), Buffer.from(v.mac_ecb_des.mac_ascii)]);
    const m = cupPosPackager.unpack(packed);
    expect(m.mti).toBe('0200');
    expect([...m.fields.keys()]).toEqual([3, 4, 11, 22, 25, 26, 35, 41, 42, 49, 52, 53, 60, 64]);
    expect(m.fields.get(3)).toBe('000000');
    expect(m.fields.get(4)).toBe('000000000051');
    expect(m.fields.get(11)).toBe('001834');
    expect(m.fields.get(22)).toBe('021');
    expect(m.fields.get(35)).toBe('4392260009942820=131210112008439');
    expect(m.fields.get(41)).toBe('16688014');
    expect(m.fields.get(42)).toBe('000000000000001');
    expect(m.fields.get(49)).toBe('156');
    expect(m.fields.get(53)).toBe('2600000000000000');
    expect(m.fields.get(60)).toBe('22000001');
    expect(cupPosPackager.pack(m)).toEqual(packed);
    expect(Iso8583Packager.macBlock(packed)).toEqual(hex(v.mac_ecb_des.mab));
  });
});

describe('encoding rules', () => {
  it('F22 is left-justified, F23 right-justified, odd LL n left-justified with a 0 pad', () => {
    const packed = cupPosPackager.pack(
      isoMessage('0200', { 2: '6222021234567890123', 22: '051', 23: '005' }),
    );
    // MTI 0200, bitmap bits 2, 22, 23.
    expect(toHex(packed)).toBe(
      '0200' + '4000060000000000' + '19' + '62220212345678901230' + '0510' + '0005',
    );
  });

  it('LLL prefixes count digits for n and bytes for an/b', () => {
    const packed = cupPosPackager.pack(
      isoMessage('0800', { 60: '00000001003', 63: '01 ', 62: Buffer.alloc(3, 0xab) }),
    );
    expect(toHex(packed.subarray(10))).toBe(
      '0011' + '000000010030' + '0003' + 'ABABAB' + '0003' + '303120',
    );
  });

  it('pads fixed an/ans on the right with spaces', () => {
    const packed = cupPosPackager.pack(isoMessage('0800', { 41: 'T1' }));
    expect(packed.subarray(10).toString('latin1')).toBe('T1      ');
  });

  it('packWithMac reserves F64 and writes the MAC over the MAB', () => {
    const m = isoMessage('0200', { 3: '310000', 11: '000001' });
    let seen = Buffer.alloc(0);
    const packed = cupPosPackager.packWithMac(m, (mab) => {
      seen = Buffer.from(mab);
      return Buffer.from('ABCDEF12');
    });
    expect(packed.subarray(-8).toString()).toBe('ABCDEF12');
    expect(seen).toEqual(packed.subarray(0, -8));
    expect(packed[9]! & 0x01).toBe(1);
  });

  it('swaps TPDU destination and source', () => {
    expect(swapTpdu('6000030001')).toBe('6000010003');
  });
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof Iso8583Error) return e.code;
    throw e;
  }
  return 'no error';
}

describe('bad input gives typed errors', () => {
  const good = cupPosPackager.pack(
    isoMessage('0200', { 2: '6222021234567890123', 3: '310000', 55: Buffer.alloc(4) }),
  );

  it('truncated frames', () => {
    for (let cut = 0; cut < good.length; cut++) {
      expect(codeOf(() => cupPosPackager.unpack(good.subarray(0, cut)))).toMatch(
        /ISO_TRUNCATED|ISO_BAD_MTI/,
      );
    }
  });

  it('wrong length header and trailing bytes', () => {
    const frame = encodeFrame(
      { tpdu: '6000030000', header: '603100311004', message: isoMessage('0800', { 11: '000001' }) },
      cupPosPackager,
    );
    const longer = Buffer.from(frame);
    longer.writeUInt16BE(frame.length, 0);
    expect(codeOf(() => decodeFrame(longer, cupPosPackager))).toBe('ISO_TRUNCATED');
    const shorter = Buffer.from(frame);
    shorter.writeUInt16BE(frame.length - 3, 0);
    expect(codeOf(() => decodeFrame(shorter, cupPosPackager))).toBe('ISO_TRAILING_BYTES');
    expect(codeOf(() => cupPosPackager.unpack(Buffer.concat([good, Buffer.from([0])])))).toBe(
      'ISO_TRAILING_BYTES',
    );
  });

  it('non-BCD nibbles in a field, a length prefix, or the MTI', () => {
    const badField = Buffer.from(good);
    badField[11] = 0x6a; // first PAN byte
    expect(codeOf(() => cupPosPackager.unpack(badField))).toBe('ISO_NOT_BCD');
    const badPrefix = Buffer.from(good);
    badPrefix[10] = 0x1a;
    expect(codeOf(() => cupPosPackager.unpack(badPrefix))).toBe('ISO_NOT_BCD');
    const badMti = Buffer.from(good);
    badMti[0] = 0x0a;
    expect(codeOf(() => cupPosPackager.unpack(badMti))).toBe('ISO_BAD_MTI');
  });

  it('bitmap bits for undefined fields and a secondary bitmap', () => {
    const undefinedBit = Buffer.from(good);
    undefinedBit[2]! |= 0x08; // field 5
    expect(codeOf(() => cupPosPackager.unpack(undefinedBit))).toBe('ISO_UNDEFINED_FIELD');
    const secondary = Buffer.from(good);
    secondary[2]! |= 0x80;
    expect(codeOf(() => cupPosPackager.unpack(secondary))).toBe('ISO_SECONDARY_BITMAP');
    expect(codeOf(() => cupPosPackager.pack(isoMessage('0200', { 5: '1' })))).toBe(
      'ISO_UNDEFINED_FIELD',
    );
  });

  it('oversized LL / LLL values', () => {
    const oversized = Buffer.from(good);
    oversized.writeUInt16BE(0x0999, oversized.length - 6); // F55 prefix 0999 > 255
    expect(codeOf(() => cupPosPackager.unpack(oversized))).toBe('ISO_LENGTH_EXCEEDS_MAX');
    expect(codeOf(() => cupPosPackager.pack(isoMessage('0200', { 55: Buffer.alloc(256) })))).toBe(
      'ISO_LENGTH_EXCEEDS_MAX',
    );
    expect(codeOf(() => cupPosPackager.pack(isoMessage('0200', { 2: '1'.repeat(20) })))).toBe(
      'ISO_LENGTH_EXCEEDS_MAX',
    );
  });

  it('wrong values on pack', () => {
    expect(codeOf(() => cupPosPackager.pack(isoMessage('0200', { 3: '31000' })))).toBe(
      'ISO_BAD_LENGTH',
    );
    expect(codeOf(() => cupPosPackager.pack(isoMessage('0200', { 3: '31000A' })))).toBe(
      'ISO_BAD_VALUE',
    );
    expect(codeOf(() => cupPosPackager.pack(isoMessage('0200', { 52: 'x' })))).toBe(
      'ISO_BAD_VALUE',
    );
    expect(codeOf(() => cupPosPackager.pack(isoMessage('02X0')))).toBe('ISO_BAD_MTI');
    expect(codeOf(() => cupPosPackager.pack(isoMessage('0200', { 63: '收银' })))).toBe(
      'ISO_BAD_VALUE',
    );
  });
});

describe('properties', () => {
  it('pack then unpack gives the same message for any valid field set', () => {
    fc.assert(
      fc.property(messageArb(cupPosFields), (m) => {
        const back = cupPosPackager.unpack(cupPosPackager.pack(m));
        expect(back.mti).toBe(m.mti);
        expect(back.fields).toEqual(m.fields);
      }),
      { numRuns: 300 },
    );
  });

  it('unpack then pack is the identity on packed messages', () => {
    fc.assert(
      fc.property(messageArb(cupPosFields), (m) => {
        const packed = cupPosPackager.pack(m);
        expect(cupPosPackager.pack(cupPosPackager.unpack(packed))).toEqual(packed);
      }),
      { numRuns: 200 },
    );
  });

  it('frames round-trip with any TPDU and header', () => {
    const hexDigits = (n: number) =>
      fc
        .array(fc.constantFrom(...'0123456789ABCDEF'.split('')), { minLength: n, maxLength: n })
        .map((a) => a.join(''));
    fc.assert(
      fc.property(hexDigits(10), hexDigits(12), messageArb(cupPosFields), (tpdu, header, m) => {
        const back = decodeFrame(
          encodeFrame({ tpdu, header, message: m }, cupPosPackager),
          cupPosPackager,
        );
        expect(back.tpdu).toBe(tpdu);
        expect(back.header).toBe(header);
        expect(back.message.fields).toEqual(m.fields);
      }),
      { numRuns: 100 },
    );
  });
});
