// The EPP emulator seen from a hand-written host: raw frames built here (own LRC), raw bytes read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import {
  keyCheckValue,
  pinFromFormat0,
  tdesDecryptEcb,
  tdesEncryptEcb,
} from '../../../../src-main/crypto';
import { createPtyPair, type PtyPair } from '../../../support/pty';
import { startPinpadEmulator, type PinpadEmulator } from '../../../../src-main/sim/pinpad';

function frame(cmd: number, data: string): Buffer {
  const body = Buffer.concat([
    Buffer.from(String(data.length + 1).padStart(3, '0')),
    Buffer.of(cmd),
    Buffer.from(data, 'latin1'),
    Buffer.of(0x03),
  ]);
  let x = 0;
  for (const b of body) x ^= b;
  return Buffer.concat([
    Buffer.of(0x02),
    body,
    Buffer.from(x.toString(16).toUpperCase().padStart(2, '0')),
  ]);
}

let pty: PtyPair;
let emulator: PinpadEmulator;
let port: SerialPort;
let received = Buffer.alloc(0);

async function readUntil(check: (b: Buffer) => boolean): Promise<Buffer> {
  const deadline = Date.now() + 5000;
  while (!check(received)) {
    if (Date.now() > deadline) throw new Error(`timeout; got ${received.toString('hex')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const out = received;
  received = Buffer.alloc(0);
  return out;
}

const complete = (b: Buffer) =>
  b.length >= 7 && b[0] === 0x02 && b.length >= 4 + Number(b.subarray(1, 4).toString()) + 3;

beforeAll(async () => {
  const base = `/tmp/cashier-epp-raw-${process.pid}`;
  pty = await createPtyPair(`${base}-host`, `${base}-dev`);
  emulator = await startPinpadEmulator({
    protocol: 'cn-epp',
    path: pty.devicePath,
    keyIntervalMs: 5,
  });
  port = new SerialPort({ path: pty.hostPath, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
});

afterAll(async () => {
  await new Promise<void>((r) => (port?.isOpen ? port.close(() => r()) : r()));
  await emulator?.close();
  await pty?.close();
});

describe('EPP emulator with a hand-written host', () => {
  it('answers the status command with RTN 60h', async () => {
    port.write(frame(0x30, ''));
    const got = await readUntil(complete);
    expect(got[4]).toBe(0x60);
    expect(got.subarray(5, got.length - 3).toString()).toBe(
      'CASHIER TRAINING;ZT598-EMU;EPP0000000000001;EMU 1.00',
    );
  });

  it('answers a damaged request (bad LRC) with E3h and an unknown command with E4h', async () => {
    const bad = frame(0x30, '');
    bad[bad.length - 1] = bad[bad.length - 1] === 0x30 ? 0x31 : 0x30;
    port.write(bad);
    expect((await readUntil(complete))[4]).toBe(0xe3);
    port.write(frame(0x7a, ''));
    expect((await readUntil(complete))[4]).toBe(0xe4);
  });

  it('PIN entry: OK, then raw echo bytes outside frames, never the digits', async () => {
    port.write(frame(0x36, '00012'));
    expect((await readUntil(complete))[4]).toBe(0x60);
    for (const k of ['1', '2', '3', '4', 'enter'] as const) emulator.pressKey(k);
    expect((await readUntil((b) => b.length >= 5)).toString('latin1')).toBe('****\r');
    port.write(frame(0x37, '01' + '\x20' + '400000123456'));
    // No working key 01 loaded: key missing.
    expect((await readUntil(complete))[4]).toBe(0xe6);
  });

  it('loads keys from raw frames (KCVs), then "5031" erases them all', async () => {
    const mk = '00112233445566778899AABBCCDDEEFF';
    port.write(frame(0x31, '08' + '0' + '2' + mk));
    const mkAnswer = await readUntil(complete);
    expect(mkAnswer[4]).toBe(0x60);
    expect(mkAnswer.subarray(5, mkAnswer.length - 3).toString()).toBe(
      keyCheckValue(Buffer.from(mk, 'hex'), '3des').toString('hex').toUpperCase(),
    );
    const pik = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
    const enc = tdesEncryptEcb(Buffer.from(mk, 'hex'), pik).toString('hex').toUpperCase();
    port.write(frame(0x32, '08' + '09' + '3' + '2' + enc));
    const wkAnswer = await readUntil(complete);
    expect(wkAnswer.subarray(5, wkAnswer.length - 3).toString()).toBe(
      keyCheckValue(pik, '3des').toString('hex').toUpperCase(),
    );
    // PIN entry, then the PIN block under working key 09.
    port.write(frame(0x36, '00012'));
    await readUntil(complete);
    for (const k of ['4', '3', '2', '1', 'enter'] as const) emulator.pressKey(k);
    await readUntil((b) => b.length >= 5);
    port.write(frame(0x37, '09' + '\x20' + '400000123456'));
    const block = await readUntil(complete);
    expect(block[4]).toBe(0x60);
    const hex = block.subarray(5, block.length - 3).toString();
    expect(hex.slice(0, 4)).toBe('0920');
    expect(
      pinFromFormat0(tdesDecryptEcb(pik, Buffer.from(hex.slice(4), 'hex')), '4000001234560'),
    ).toBe('4321');
    port.write(frame(0x35, '5031'));
    expect((await readUntil(complete))[4]).toBe(0x60);
    port.write(frame(0x37, '09' + '\x20' + '400000123456'));
    expect((await readUntil(complete))[4]).toBe(0xe6);
  });

  it('cancel input (35h "5032") stops a running entry: the pad sends nothing more', async () => {
    port.write(frame(0x36, '00012'));
    await readUntil(complete);
    emulator.pressKey('5');
    await readUntil((b) => b.length >= 1);
    port.write(frame(0x35, '5032'));
    expect((await readUntil(complete))[4]).toBe(0x60);
    emulator.pressKey('6');
    await new Promise((r) => setTimeout(r, 100));
    expect(received.length).toBe(0);
  });
});

// Frames below are written out by hand (LRC worked out on paper: XOR of LEN..ETX), not built by
// any encoder, and checked against DEVICE-PROFILE.md (test/peers/cn-epp), the "vendor manual".
const hexBytes = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex');
const SET_MAX_4 = hexBytes('02 30 30 35 35 35 35 30 34 03 30 37'); // 35h "5504"
const SET_MAX_12 = hexBytes('02 30 30 35 35 35 35 31 32 03 30 30'); // 35h "5512"
const START_ENTRY = hexBytes('02 30 30 36 36 30 30 30 31 32 03 33 30'); // 36h "00012"
const STATUS = hexBytes('02 30 30 31 30 03 30 32'); // 30h, no data

describe('EPP emulator against the device profile', () => {
  it('a digit beyond the maximum PIN length is ignored: no key byte (profile "PIN entry")', async () => {
    port.write(SET_MAX_4);
    expect((await readUntil(complete))[4]).toBe(0x60);
    port.write(START_ENTRY);
    expect((await readUntil(complete))[4]).toBe(0x60);
    for (const k of ['1', '2', '3', '4', '5', 'enter'] as const) emulator.pressKey(k);
    const keys = await readUntil((b) => b.includes(0x0d));
    await new Promise((r) => setTimeout(r, 50));
    // Four '*' then ENTER; the fifth digit sends nothing (before the fix: 08h CLEAR).
    expect(Buffer.concat([keys, received]).toString('hex')).toBe('2a2a2a2a0d');
    port.write(SET_MAX_12);
    expect((await readUntil(complete))[4]).toBe(0x60);
  });

  it('a request not complete 1.5 s after its STX is discarded without an answer (profile "Link")', async () => {
    port.write(STATUS.subarray(0, 3)); // STX "00"
    await new Promise((r) => setTimeout(r, 1000));
    port.write(STATUS.subarray(3, 5)); // "1" 30h: bytes keep coming, but the frame is late
    await new Promise((r) => setTimeout(r, 700));
    port.write(STATUS.subarray(5)); // ETX "02", 1.7 s after the STX: the frame was dropped
    await new Promise((r) => setTimeout(r, 400));
    expect(received.toString('hex')).toBe('');
    // The EPP still answers a whole frame sent at once.
    port.write(STATUS);
    expect((await readUntil(complete))[4]).toBe(0x60);
  });
});
