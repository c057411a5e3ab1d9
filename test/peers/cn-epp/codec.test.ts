// Byte-level tests: every frame below is written out by hand from the reference
// (shared/reference/pinpad-cn-epp.md) and DEVICE-PROFILE.md, never built with the encoder.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameParser, decodeStream, encodeFrame, lenChars, lrcChars, parseFrame } from './codec.js';
import type { FrameEvent } from './codec.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('the reference example frame (pinpad-cn-epp.md line 24-25)', () => {
  const example = hex('02 30 31 36 37 33 31 20 34 30 30 30 30 30 31 32 33 34 35 36 03 32 32');

  it('parses as 37h, key 31h, ISO 0 (20h), PAN 400000123456', () => {
    const frame = parseFrame(example);
    expect(frame.code).toBe(0x37);
    expect(frame.data).toEqual(hex('33 31 20 34 30 30 30 30 30 31 32 33 34 35 36'));
    expect(frame.data.subarray(0, 2).toString('ascii')).toBe('31');
    expect(frame.data[2]).toBe(0x20);
    expect(frame.data.subarray(3).toString('ascii')).toBe('400000123456');
  });

  it('re-encodes byte for byte', () => {
    const data = Buffer.concat([
      Buffer.from('31', 'ascii'),
      hex('20'),
      Buffer.from('400000123456'),
    ]);
    expect(encodeFrame(0x37, data)).toEqual(example);
  });

  it('LEN "016" counts the CMD byte plus 15 data bytes; LRC "22" is the XOR of LEN..ETX', () => {
    expect(lenChars(16)).toEqual(hex('30 31 36'));
    expect(lrcChars(example.subarray(1, example.length - 2))).toEqual(hex('32 32'));
  });
});

/** [what, hand-written frame, CMD/RTN byte, DATA as ASCII/latin1] from DEVICE-PROFILE.md. */
const HAND_WRITTEN: Array<[string, string, number, string]> = [
  ['30h status request (no data)', '02 30 30 31 30 03 30 32', 0x30, ''],
  [
    '30h answer maker;model;serial;firmware',
    '02 30 32 31 60 5A 54 3B 5A 54 35 39 38 3B 53 4E 30 30 30 31 3B 56 31 2E 30 03 33 41',
    0x60,
    'ZT;ZT598;SN0001;V1.0',
  ],
  [
    '31h load master key 01, mode 0, length code 2',
    '02 30 33 37 31 30 31 30 32 30 31 32 33 34 35 36 37 38 39 41 42 43 44 45 46 46 45 44 43 42 41' +
      ' 39 38 37 36 35 34 33 32 31 30 03 30 35',
    0x31,
    '01020123456789ABCDEFFEDCBA9876543210',
  ],
  ['31h answer: KCV 08D7B4FB', '02 30 30 39 60 30 38 44 37 42 34 46 42 03 35 33', 0x60, '08D7B4FB'],
  [
    '32h master 01, working 02, usage 5 (MAC), length code 1',
    '02 30 32 33 32 30 31 30 32 35 31 39 36 44 36 30 35 45 41 31 37 36 42 37 45 39 45 03 30 37',
    0x32,
    '01025196D605EA176B7E9E',
  ],
  ['35h 5032 cancel PIN entry', '02 30 30 35 35 35 30 33 32 03 30 37', 0x35, '5032'],
  ['35h 5406 minimum PIN length 6', '02 30 30 35 35 35 34 30 36 03 30 34', 0x35, '5406'],
  ['36h 00012 start PIN entry', '02 30 30 36 36 30 30 30 31 32 03 33 30', 0x36, '00012'],
  ['60h answer without data', '02 30 30 31 60 03 35 32', 0x60, ''],
  [
    '37h key 01, ISO 0, PAN digits 987654321098',
    '02 30 31 36 37 30 31 20 39 38 37 36 35 34 33 32 31 30 39 38 03 32 32',
    0x37,
    '01 987654321098',
  ],
  [
    '37h answer: key 01 + format 20 + PIN block',
    '02 30 32 31 60 30 31 32 30 43 39 36 37 43 38 31 39 38 31 35 31 41 34 35 38 03 32 45',
    0x60,
    '0120C967C8198151A458',
  ],
  [
    '6Fh key 01, ISO 0, PAN digits 987654321098',
    '02 30 31 36 6F 30 31 20 39 38 37 36 35 34 33 32 31 30 39 38 03 37 41',
    0x6f,
    '01 987654321098',
  ],
  [
    '41h key 02, algorithm 1, input 02 00',
    '02 30 30 38 41 30 32 31 30 32 30 30 03 34 42',
    0x41,
    '0210200',
  ],
  [
    '41h answer: the 8 ASCII MAC characters 8A9E91B8 as 16 hex',
    '02 30 31 37 60 33 38 34 31 33 39 34 35 33 39 33 31 34 32 33 38 03 35 35',
    0x60,
    '3841394539314238',
  ],
  [
    '63h usage 3, 0, master 01, working 02, 32 hex',
    '02 30 33 39 63 33 30 30 31 30 32 30 31 32 33 34 35 36 37 38 39 41 42 43 44 45 46 46 45 44 43' +
      ' 42 41 39 38 37 36 35 34 33 32 31 30 03 35 41',
    0x63,
    '3001020123456789ABCDEFFEDCBA9876543210',
  ],
  ['E3h damaged-frame answer (no data)', '02 30 30 31 E3 03 44 31', 0xe3, ''],
  ['E6h key-missing answer (no data)', '02 30 30 31 E6 03 44 34', 0xe6, ''],
];

describe('hand-written frames from DEVICE-PROFILE.md', () => {
  it.each(HAND_WRITTEN)('%s', (_what, frameHex, code, text) => {
    const frame = hex(frameHex);
    const parsed = parseFrame(frame);
    expect(parsed.code).toBe(code);
    expect(parsed.data.toString('latin1')).toBe(text);
    expect(encodeFrame(code, Buffer.from(text, 'latin1'))).toEqual(frame);
  });

  it('LEN over 999 is "000" + 4 digits (41h with 500 input bytes, LEN 1004)', () => {
    const frame = hex('02 30 30 30 31 30 30 34 41 30 31 31' + ' 30'.repeat(1000) + ' 03 34 37');
    const parsed = parseFrame(frame);
    expect(parsed.code).toBe(0x41);
    expect(parsed.data.length).toBe(1003);
    expect(encodeFrame(0x41, Buffer.from('011' + '0'.repeat(1000), 'ascii'))).toEqual(frame);
    expect(lenChars(999)).toEqual(hex('39 39 39'));
    expect(lenChars(1000)).toEqual(hex('30 30 30 31 30 30 30'));
  });
});

describe('damaged frames and bytes between frames', () => {
  const types = (events: FrameEvent[]) =>
    events.map((e) => (e.type === 'damaged' ? `damaged:${e.reason}` : e.type));

  it('bad LRC, lowercase LRC, bad LEN, missing ETX, 7-character LEN under 1000', () => {
    expect(types(decodeStream(hex('02 30 30 31 30 03 30 33')))).toEqual(['damaged:bad LRC']);
    // 30h answer whose LRC is 3Ah: lowercase "3a" is not the uppercase LRC the profile asks for
    const lower = '02 30 32 31 60 5A 54 3B 5A 54 35 39 38 3B 53 4E 30 30 30 31 3B 56 31 2E 30 03';
    expect(types(decodeStream(hex(lower + ' 33 41')))).toEqual(['frame']);
    expect(types(decodeStream(hex(lower + ' 33 61')))).toEqual(['damaged:bad LRC']);
    expect(types(decodeStream(hex('02 30 3A 31 30 03 30 32')))[0]).toBe('damaged:bad LEN');
    const missingEtx = decodeStream(hex('02 30 30 31 30 04 30 32'));
    expect(types(missingEtx)[0]).toBe('damaged:missing ETX');
    expect(missingEtx[0]).toMatchObject({ code: 0x30 });
    const longForm = '02 30 30 30 30 30 30 31 30 03';
    expect(types(decodeStream(hex(longForm)))[0]).toBe('damaged:bad LEN');
  });

  it('after a damaged frame the next STX starts a fresh frame', () => {
    const events = decodeStream(hex('02 30 30 31 30 04 30 32' + ' 02 30 30 31 30 03 30 32'));
    expect(types(events)).toEqual(['damaged:missing ETX', 'byte', 'byte', 'byte', 'frame']);
    expect(events.filter((e) => e.type === 'byte').map((e) => e.type === 'byte' && e.byte)).toEqual(
      [0x04, 0x30, 0x32],
    );
  });

  it('raw key bytes after the 36h answer come out as single bytes (DEVICE-PROFILE PIN entry)', () => {
    const events = decodeStream(hex('02 30 30 31 60 03 35 32  2A 2A 08 2A 2A 2A 2A 0D  1B'));
    expect(types(events)).toEqual(['frame', ...Array<string>(9).fill('byte')]);
    expect(events.slice(1).map((e) => (e.type === 'byte' ? e.byte : -1))).toEqual([
      0x2a, 0x2a, 0x08, 0x2a, 0x2a, 0x2a, 0x2a, 0x0d, 0x1b,
    ]);
  });
});

describe('frame timeout (DEVICE-PROFILE: discarded 1.5 s after its STX)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops an incomplete frame at 1500 ms and parses the next one', () => {
    vi.useFakeTimers();
    const events: FrameEvent[] = [];
    const parser = new FrameParser((e) => events.push(e));
    parser.push(hex('02 30 30 31'));
    vi.advanceTimersByTime(1499);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events.map((e) => e.type)).toEqual(['expired']);
    parser.push(hex('02 30 30 31 30 03 30 32'));
    expect(events.map((e) => e.type)).toEqual(['expired', 'frame']);
    vi.advanceTimersByTime(5000);
    expect(events).toHaveLength(2);
  });
});
