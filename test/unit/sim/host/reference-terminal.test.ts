// A terminal written from the reference text alone (shared/reference/cup-pos-8583.md), NOT with
// our codec: frames are assembled byte by byte and answers are walked by hand. If the simulator
// answers this terminal correctly, it is a faithful peer and not just a mirror of our codec.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostSimulator, type HostSimulator } from '../../../../src-main/sim/host/server';

// ---- the reference's rules, spelled out --------------------------------------------------
const h = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string) => Buffer.from(s, 'ascii');
/** n fields: packed BCD, odd lengths left-justified with a trailing 0 nibble. */
const bcdLeft = (digits: string) => h(digits.length % 2 ? digits + '0' : digits);
const llDigits = (digits: string) =>
  Buffer.concat([h(String(digits.length).padStart(2, '0')), bcdLeft(digits)]);
const lllDigits = (digits: string) =>
  Buffer.concat([h(String(digits.length).padStart(4, '0')), bcdLeft(digits)]);
const lllBytes = (b: Buffer) => Buffer.concat([h(String(b.length).padStart(4, '0')), b]);

function des3(key: Buffer, data: Buffer, decrypt = false): Buffer {
  const k =
    key.length === 8 ? Buffer.concat([key, key, key]) : Buffer.concat([key, key.subarray(0, 8)]);
  const c = decrypt
    ? createDecipheriv('des-ede3-ecb', k, null)
    : createCipheriv('des-ede3-ecb', k, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** "ECB" MAC exactly as the reference's five steps describe it. */
function referenceMac(mak: Buffer, mab: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil(mab.length / 8) * 8);
  mab.copy(padded);
  const r = Buffer.alloc(8);
  for (let i = 0; i < padded.length; i++) r[i % 8] ^= padded[i]!;
  const hx = ascii(r.toString('hex').toUpperCase());
  const e1 = des3(mak, hx.subarray(0, 8));
  for (let i = 0; i < 8; i++) e1[i] ^= hx[8 + i]!;
  const e2 = des3(mak, e1);
  return ascii(e2.toString('hex').toUpperCase().slice(0, 8));
}

function bitmapOf(fields: number[]): Buffer {
  const b = Buffer.alloc(8);
  for (const f of fields) b[(f - 1) >> 3] |= 0x80 >> ((f - 1) % 8);
  return b;
}

function frame(tpdu: string, header: string, body: Buffer): Buffer {
  const rest = Buffer.concat([h(tpdu), h(header), body]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(rest.length);
  return Buffer.concat([len, rest]);
}

// ---- reading answers by hand ----------------------------------------------------------------
type Rule =
  | ['fixed-n', number]
  | ['fixed-b', number]
  | ['ll-n']
  | ['lll-n']
  | ['ll-b']
  | ['lll-b']
  | ['ll-z'];
// Response fields as the reference lists them (12, 13, 32, 37, 39, 44, 54, 55, 62 + echoes).
const RULES: Record<number, Rule> = {
  2: ['ll-n'],
  3: ['fixed-n', 6],
  11: ['fixed-n', 6],
  12: ['fixed-n', 6],
  13: ['fixed-n', 4],
  14: ['fixed-n', 4],
  22: ['fixed-n', 3],
  23: ['fixed-n', 3],
  25: ['fixed-n', 2],
  26: ['fixed-n', 2],
  32: ['ll-n'],
  35: ['ll-z'],
  37: ['fixed-b', 12],
  38: ['fixed-b', 6],
  39: ['fixed-b', 2],
  41: ['fixed-b', 8],
  42: ['fixed-b', 15],
  44: ['ll-b'],
  49: ['fixed-b', 3],
  53: ['fixed-n', 16],
  54: ['lll-b'],
  55: ['lll-b'],
  60: ['lll-n'],
  62: ['lll-b'],
  64: ['fixed-b', 8],
};

interface Answer {
  tpdu: string;
  header: string;
  mti: string;
  bitmap: string;
  fields: Map<number, Buffer>;
  /** MTI .. last byte before F64. */
  mab: Buffer;
}

function readAnswer(buf: Buffer): Answer {
  expect(buf.readUInt16BE(0)).toBe(buf.length - 2);
  let p = 2;
  const tpdu = buf.toString('hex', p, p + 5).toUpperCase();
  const header = buf.toString('hex', p + 5, p + 11);
  p += 11;
  const mtiStart = p;
  const mti = buf.toString('hex', p, p + 2);
  const bitmap = buf.subarray(p + 2, p + 10);
  p += 10;
  const fields = new Map<number, Buffer>();
  let macStart = buf.length;
  for (let f = 2; f <= 64; f++) {
    if (!(bitmap[(f - 1) >> 3]! & (0x80 >> ((f - 1) % 8)))) continue;
    const rule = RULES[f];
    if (!rule) throw new Error(`field ${f} not in the reference`);
    let bytes: number;
    if (rule[0] === 'fixed-n') bytes = Math.ceil(rule[1] / 2);
    else if (rule[0] === 'fixed-b') bytes = rule[1];
    else {
      const prefix = rule[0].startsWith('lll') ? 2 : 1;
      const count = Number(buf.toString('hex', p, p + prefix));
      p += prefix;
      bytes = rule[0].endsWith('b') ? count : Math.ceil(count / 2);
    }
    if (f === 64) macStart = p;
    fields.set(f, buf.subarray(p, p + bytes));
    p += bytes;
  }
  expect(p).toBe(buf.length);
  return {
    tpdu,
    header,
    mti,
    bitmap: bitmap.toString('hex').toUpperCase(),
    fields,
    mab: buf.subarray(mtiStart, macStart),
  };
}

async function talk(port: number, request: Buffer): Promise<Answer> {
  const sock = new Socket();
  await new Promise<void>((res, rej) =>
    sock.once('error', rej).connect(port, '127.0.0.1', () => res()),
  );
  const chunks: Buffer[] = [];
  const answer = await new Promise<Buffer>((res, rej) => {
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      const all = Buffer.concat(chunks);
      if (all.length >= 2 && all.length >= 2 + all.readUInt16BE(0)) res(all);
    });
    sock.once('error', rej);
    sock.write(request);
  });
  sock.destroy();
  return readAnswer(answer);
}

// ---- the scenario ---------------------------------------------------------------------------
const TPDU = '6000030000';
const HEADER = '603100311004';
const TID = 'REFTERM1';
const MID = '898310048160001';
const PAN = '6222020200112233446';
const TRACK2 = `${PAN}=30121010000000000`;
let sim: HostSimulator;
let tmk: Buffer;
let pik: Buffer;
let mak: Buffer;
let batch: string;

beforeAll(async () => {
  sim = await startHostSimulator();
  tmk = Buffer.from(sim.config.tmk, 'hex');
});
afterAll(async () => sim.close());

function build0200(stan: string, pin: string, corruptMac = false): Buffer {
  // PIN block format 0, encrypted under the PIK, by hand.
  const pinField = h(`0${pin.length}${pin}`.padEnd(16, 'F'));
  const panField = h('0000' + PAN.slice(0, -1).slice(-12));
  const clear = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) clear[i] = pinField[i]! ^ panField[i]!;
  const pinBlock = des3(pik, clear);
  const fields = [2, 3, 11, 14, 22, 25, 26, 35, 41, 42, 49, 52, 53, 60, 64];
  const body = Buffer.concat([
    h('0200'),
    bitmapOf(fields),
    llDigits(PAN),
    h('310000'),
    h(stan),
    h('3012'),
    h('0210'), // F22 021, left-justified
    h('00'),
    h('12'),
    Buffer.concat([h('37'), h(TRACK2.replace('=', 'D') + '0')]),
    ascii(TID),
    ascii(MID),
    ascii('156'),
    pinBlock,
    h('2600000000000000'),
    lllDigits(`01${batch}00060`),
  ]);
  const mac = referenceMac(mak, body);
  if (corruptMac) mac[0] ^= 0x01;
  return frame(TPDU, HEADER, Buffer.concat([body, mac]));
}

describe('a terminal written from the reference talks to the simulator', () => {
  it('0800 sign-on: 0810 with the seen bitmap, swapped TPDU, keys whose check values verify', async () => {
    const body = Buffer.concat([
      h('0800'),
      h('0020000000C00012'),
      h('000001'),
      ascii(TID),
      ascii(MID),
      lllDigits('00' + '000001' + '003'),
      lllBytes(ascii('01 ')),
    ]);
    const a = await talk(sim.address.port, frame(TPDU, HEADER, body));
    expect(a.mti).toBe('0810');
    expect(a.bitmap).toBe('003800010AC00014'); // as seen in the reference
    expect(a.tpdu).toBe('6000000003');
    expect(a.fields.get(11)!.toString('hex')).toBe('000001');
    expect(a.fields.get(39)!.toString('ascii')).toBe('00');
    expect(a.fields.get(41)!.toString('ascii')).toBe(TID);
    const f60 = a.fields.get(60)!.toString('hex');
    expect(f60.slice(11)).toBe('0'); // 11 digits, trailing pad nibble
    expect(f60.slice(8, 11)).toBe('003');
    batch = f60.slice(2, 8);
    const f62 = a.fields.get(62)!;
    expect(f62).toHaveLength(40);
    pik = des3(tmk, f62.subarray(0, 16), true);
    mak = des3(tmk, f62.subarray(20, 28), true);
    expect(f62.subarray(28, 36)).toEqual(Buffer.alloc(8));
    expect(des3(pik, Buffer.alloc(8)).subarray(0, 4)).toEqual(f62.subarray(16, 20));
    expect(des3(mak, Buffer.alloc(8)).subarray(0, 4)).toEqual(f62.subarray(36, 40));
  });

  it('0200 balance inquiry: approved 0210 with F54 balances and a correct response MAC', async () => {
    const a = await talk(sim.address.port, build0200('000002', '123456'));
    expect(a.mti).toBe('0210');
    expect(a.fields.get(39)!.toString('ascii')).toBe('00');
    expect(a.fields.get(11)!.toString('hex')).toBe('000002');
    expect(a.fields.get(3)!.toString('hex')).toBe('310000');
    expect(a.fields.get(37)!.toString('ascii')).toMatch(/^\d{12}$/);
    expect(a.fields.get(54)!.toString('ascii')).toBe(
      '1001156C000001234567' + '1002156C000001200000',
    );
    expect(a.fields.get(64)).toEqual(referenceMac(mak, a.mab));
  });

  it('55 for a wrong PIN', async () => {
    const a = await talk(sim.address.port, build0200('000003', '999999'));
    expect(a.fields.get(39)!.toString('ascii')).toBe('55');
    expect(a.fields.has(54)).toBe(false);
    expect(a.fields.get(64)).toEqual(referenceMac(mak, a.mab));
    sim.resetPinTries();
  });

  it('A0 for a bad request MAC', async () => {
    const a = await talk(sim.address.port, build0200('000004', '123456', true));
    expect(a.fields.get(39)!.toString('ascii')).toBe('A0');
    expect(a.fields.has(54)).toBe(false);
  });

  it('0820 network test (60.3 = 301) is echoed', async () => {
    const body = Buffer.concat([
      h('0820'),
      bitmapOf([11, 41, 42, 60]),
      h('000005'),
      ascii(TID),
      ascii(MID),
      lllDigits(`00${batch}301`),
    ]);
    const a = await talk(sim.address.port, frame(TPDU, HEADER, body));
    expect(a.mti).toBe('0830');
    expect(a.fields.get(39)!.toString('ascii')).toBe('00');
    expect(a.fields.get(60)!.toString('hex')).toBe(`00${batch}3010`);
  });
});
