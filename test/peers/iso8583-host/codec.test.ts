// Codec checks against the public 0810 vector, the MAC worked example and byte strings written
// out by hand from the reference (never produced by this encoder).
import { describe, expect, it } from 'vitest';
import {
  FrameReader,
  bitmapFields,
  decodeBody,
  decodeField,
  encodeBody,
  encodeField,
  encodeFrame,
  fromHex,
  hex,
  parseBalances,
  splitFrame,
  swapTpdu,
} from './codec.js';
import { buildF62, parseF62 } from './crypto.js';
import { vectors } from './vectors.js';

const ascii = (s: string): string => Buffer.from(s, 'ascii').toString('hex').toUpperCase();

describe('0810 sign-on vector (60.3 = 003)', () => {
  const v = vectors.signon_response_0810;
  const frame = fromHex(v.frame);

  it('splits LEN | TPDU | HEADER | MTI | BITMAP', () => {
    expect(frame.readUInt16BE(0)).toBe(frame.length - 2);
    const parts = splitFrame(frame);
    expect(hex(parts.tpdu)).toBe('6000000138');
    expect(hex(parts.header)).toBe('613100311108');
    expect(hex(parts.body.subarray(0, 2))).toBe('0810');
    expect(hex(parts.body.subarray(2, 10))).toBe('003800010AC00014');
    expect(bitmapFields(parts.body.subarray(2, 10))).toEqual([
      11, 12, 13, 32, 37, 39, 41, 42, 60, 62,
    ]);
  });

  it('decodes every field', () => {
    const m = decodeBody(splitFrame(frame).body);
    expect(m.mti).toBe('0810');
    expect(m.fields[11]).toBe('500211');
    expect(m.fields[12]).toBe('221301');
    expect(m.fields[13]).toBe('0720');
    expect(m.fields[32]).toBe('00085500'); // LL 08 = 8 digits in 4 bytes
    expect(m.fields[37]).toBe('221301491329');
    expect(m.fields[39]).toBe('00');
    expect(m.fields[41]).toBe('99999906');
    expect(m.fields[42]).toBe('001430170119999');
    // F60: LLL 0011 (11 digits) -> 6 bytes, trailing 0 nibble
    expect(m.fields[60]).toBe('00000519003');
    const f60 = m.fields[60] as string;
    expect([f60.slice(0, 2), f60.slice(2, 8), f60.slice(8, 11)]).toEqual(['00', '000519', '003']);
    const f62 = m.fields[62] as Buffer;
    expect(f62.length).toBe(40); // LLL 0040 counts bytes
    expect(hex(f62)).toBe(
      '46F161A743497B32EAC760DF5EA57DF5' +
        '900ECCE3' +
        '977731A7EA402DDF' +
        '0000000000000000' +
        'CFF1592A',
    );
  });

  it('re-encodes byte for byte', () => {
    const parts = splitFrame(frame);
    const m = decodeBody(parts.body);
    const again = encodeFrame({
      tpdu: parts.tpdu,
      header: parts.header,
      body: encodeBody({ mti: m.mti, fields: m.fields }),
    });
    expect(hex(again)).toBe(hex(frame));
  });

  it('decrypts the working keys and matches the check values', () => {
    const f62 = decodeBody(splitFrame(frame).body).fields[62] as Buffer;
    const keys = parseF62('003', f62, fromHex(v.tmk));
    expect(hex(keys.pik)).toBe(v.pik_clear);
    expect(hex(keys.mak)).toBe(v.mak_clear);
    expect(hex(keys.pikCheckValue)).toBe(v.pik_check_value);
    expect(hex(keys.makCheckValue)).toBe(v.mak_check_value);
    expect(keys.checkValuesMatch).toBe(true);
    // and the layout builder gives the same 40 bytes back
    expect(hex(buildF62('003', keys, fromHex(v.tmk)))).toBe(hex(f62));
  });

  it('rejects an F62 of the wrong length for the scheme', () => {
    const f62 = decodeBody(splitFrame(frame).body).fields[62] as Buffer;
    expect(() => parseF62('001', f62, fromHex(v.tmk))).toThrow(/24 bytes/);
    expect(() => parseF62('004', f62, fromHex(v.tmk))).toThrow(/60 bytes/);
  });
});

describe('MAC worked example parsed as a message', () => {
  it('MAB || MAC is a 0200 with F22 021, track 2 with D, ASCII F41/F42/F49 and F60', () => {
    const v = vectors.mac_ecb_des;
    const mab = fromHex(v.mab);
    const body = Buffer.concat([mab, Buffer.from(v.mac_ascii, 'ascii')]);
    const m = decodeBody(body);
    expect(m.mti).toBe('0200');
    expect(hex(m.bitmap)).toBe('302004C020C09811');
    expect(m.fields[3]).toBe('000000');
    expect(m.fields[4]).toBe('000000000051');
    expect(m.fields[11]).toBe('001834');
    expect(m.fields[22]).toBe('021');
    expect(m.fields[25]).toBe('00');
    expect(m.fields[26]).toBe('06');
    expect(m.fields[35]).toBe('4392260009942820=131210112008439');
    expect(m.fields[41]).toBe('16688014');
    expect(m.fields[42]).toBe('000000000000001');
    expect(m.fields[49]).toBe('156');
    expect(hex(m.fields[52] as Buffer)).toBe('ACF46E73838A82F9');
    expect(m.fields[53]).toBe('2600000000000000');
    expect(m.fields[60]).toBe('22000001');
    expect((m.fields[64] as Buffer).toString('ascii')).toBe('8A9E91B8');
    expect(m.offsets[64]).toBe(mab.length); // MAB = MTI .. last field before 64
    expect(hex(encodeBody({ mti: m.mti, fields: m.fields }))).toBe(hex(body));
  });
});

describe('field encodings written out by hand', () => {
  const cases: Array<[number, string | Buffer, string, string]> = [
    [22, '021', '0210', 'n3 left-justified, trailing 0 nibble'],
    [23, '005', '0005', 'n3 F23 right-justified'],
    [3, '310000', '310000', 'n6'],
    [25, '00', '00', 'n2'],
    [2, '6222021234567890128', '19' + '6222021234567890128' + '0', 'LLVAR n: prefix counts digits'],
    [32, '01020001000', '11' + '010200010000', 'LLVAR n, odd: 11 digits in 6 bytes'],
    [
      35,
      '6222021234567890128=30121010000012345',
      '37' + '6222021234567890128D30121010000012345' + '0',
      'track 2: = is nibble D, odd -> trailing 0',
    ],
    [60, '0100000100050', '0013' + '01000001000500', 'LLLVAR n: 2-byte BCD prefix, 13 digits'],
    [60, '00000001003', '0011' + '000000010030', 'sign-on F60, 11 digits'],
    [63, '01 ', '0003' + '303120', 'LLLVAR ans: prefix counts bytes'],
    [41, '1234', ascii('1234    '), 'ans8 space-padded'],
    [49, '156', '313536', 'an3 ASCII'],
    [39, 'A0', '4130', 'an2'],
    [
      54,
      '1001156C0000001542711002156C000000154271',
      '0040' + ascii('1001156C0000001542711002156C000000154271'),
      'LLLVAR an: 040 bytes',
    ],
    [62, Buffer.from('0102', 'hex'), '0002' + '0102', 'LLLVAR b: counts bytes'],
    [52, Buffer.from('ACF46E73838A82F9', 'hex'), 'ACF46E73838A82F9', 'b8'],
  ];
  for (const [no, value, wire, what] of cases) {
    it(`F${no} ${what}`, () => {
      expect(hex(encodeField(no, value))).toBe(wire);
      const d = decodeField(no, fromHex(wire), 0);
      expect(d.next).toBe(wire.length / 2);
      const expected = no === 41 ? '1234    ' : value;
      if (Buffer.isBuffer(expected)) expect(hex(d.value as Buffer)).toBe(hex(expected));
      else expect(d.value).toBe(expected);
    });
  }

  it('rejects a non-zero pad nibble, a non-BCD nibble and an over-long prefix', () => {
    expect(() => decodeField(22, fromHex('021F'), 0)).toThrow(/pad nibble/);
    expect(() => decodeField(23, fromHex('F005'), 0)).toThrow(/pad nibble/);
    expect(() => decodeField(3, fromHex('31A000'), 0)).toThrow(/nibble/);
    expect(() => decodeField(2, fromHex('20' + '00'.repeat(10)), 0)).toThrow(/maximum 19/);
    expect(() => decodeField(11, fromHex('0000'), 0)).toThrow(/needs 3 bytes/);
  });

  it('rejects values that do not fit', () => {
    expect(() => encodeField(22, '21')).toThrow(/exactly 3/);
    expect(() => encodeField(41, '123456789')).toThrow(/exactly 8/);
    expect(() => encodeField(2, '12345678901234567890')).toThrow(/maximum 19/);
    expect(() => encodeField(35, '1234=5678F')).toThrow(/BCD/);
    expect(() => encodeField(52, '00')).toThrow(/Buffer/);
    expect(() => encodeField(7, '0101010101')).toThrow(/not part of this dialect/);
  });

  it('rejects a secondary bitmap and trailing bytes', () => {
    expect(() => decodeBody(fromHex('0800' + '8000000000000000'))).toThrow(/secondary/);
    expect(() => decodeBody(fromHex('0800' + '0020000000000000' + '000001' + 'FF'))).toThrow(
      /left after/,
    );
  });
});

describe('framing', () => {
  it('swaps TPDU destination and source', () => {
    expect(hex(swapTpdu(fromHex('6000030000')))).toBe('6000000003');
    expect(hex(swapTpdu(fromHex('6000000138')))).toBe('6001380000');
  });

  it('reassembles frames split and joined arbitrarily', () => {
    const a = fromHex('0003AABBCC');
    const b = fromHex('0001DD');
    const r = new FrameReader();
    expect(r.push(a.subarray(0, 1))).toEqual([]);
    expect(r.push(Buffer.concat([a.subarray(1), b.subarray(0, 2)])).map(hex)).toEqual([
      '0003AABBCC',
    ]);
    expect(r.push(b.subarray(2)).map(hex)).toEqual(['0001DD']);
  });

  it('checks LEN against the frame', () => {
    expect(() => splitFrame(fromHex('0005' + '00'.repeat(4)))).toThrow(/LEN says 5/);
  });
});

describe('F54 balance examples', () => {
  const [single, two] = vectors.f54_balance_examples;

  it('decodes the single balance', () => {
    expect(parseBalances(single.field)).toEqual([
      {
        accountType: single.account_type,
        amountType: single.amount_type,
        currency: single.currency,
        signedFen: single.amount_fen,
      },
    ]);
    expect(single.sign).toBe('C');
  });

  it('decodes the two balances, LLL 040 written as the 2-byte BCD prefix 00 40', () => {
    const text = two.field_with_prefix;
    expect(text.slice(0, 3)).toBe('040');
    const wire = Buffer.concat([fromHex('0040'), Buffer.from(text.slice(3), 'ascii')]);
    const { value, next } = decodeField(54, wire, 0);
    expect(next).toBe(42);
    const balances = parseBalances(value as string);
    expect(balances).toHaveLength(two.balances);
    expect(balances).toEqual([
      { accountType: '10', amountType: '01', currency: '156', signedFen: 154271 },
      { accountType: '10', amountType: '02', currency: '156', signedFen: 154271 },
    ]);
  });

  it('reads a debit sign as negative and rejects a broken entry', () => {
    expect(parseBalances('1001156D000000000100')[0]!.signedFen).toBe(-100);
    expect(() => parseBalances('1001156X000000000100')).toThrow(/C\/D/);
    expect(() => parseBalances('1001156C00000000010')).toThrow(/multiple of 20/);
  });
});
