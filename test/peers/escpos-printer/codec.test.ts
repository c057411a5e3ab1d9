// Byte-level tests of the clean-room ESC/POS codec. Every frame and reply below is written out by
// hand from the spec pages named in README.md (never built with the encoder under test).
import { describe, expect, it } from 'vitest';
import {
  RealTimeScanner,
  encodeAsb,
  encodePrinterInfoB,
  encodeRealTimeStatus,
  encodeTransmitStatus,
  parseAll,
  parseCommand,
  type StatusInputs,
} from './codec.js';

const b = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const ascii = (s: string): number[] => Array.from(Buffer.from(s, 'latin1'));

const idle: StatusInputs = {
  offline: false,
  coverOpen: false,
  nearEndSensor: false,
  paperEndSensor: false,
  stoppedAtPaperEnd: false,
  drawerPin3High: false,
  feedButton: false,
  waitingForOnlineRecovery: false,
  mechanicalError: false,
  autocutterError: false,
  unrecoverableError: false,
  autoRecoverableError: false,
};

describe('DLE EOT n replies (APG DLE EOT tables; pattern 0xx1xx10)', () => {
  it('n = 1 printer status: fixed bits 1 and 4 = 12h; off-line adds 08h; drawer pin 3 HIGH 04h', () => {
    expect(encodeRealTimeStatus(1, idle)).toBe(0x12);
    expect(encodeRealTimeStatus(1, { ...idle, offline: true })).toBe(0x1a);
    expect(encodeRealTimeStatus(1, { ...idle, drawerPin3High: true })).toBe(0x16);
    expect(encodeRealTimeStatus(1, { ...idle, feedButton: true })).toBe(0x52);
  });

  it('n = 2 off-line cause: cover open 04h, feed button 08h, paper-end stop 20h, error 40h', () => {
    expect(encodeRealTimeStatus(2, idle)).toBe(0x12);
    expect(encodeRealTimeStatus(2, { ...idle, coverOpen: true })).toBe(0x16);
    expect(encodeRealTimeStatus(2, { ...idle, stoppedAtPaperEnd: true })).toBe(0x32);
    expect(encodeRealTimeStatus(2, { ...idle, autocutterError: true })).toBe(0x52);
  });

  it('n = 3 error cause: mechanical 04h, autocutter 08h, unrecoverable 20h, auto-recoverable 40h', () => {
    expect(encodeRealTimeStatus(3, idle)).toBe(0x12);
    expect(encodeRealTimeStatus(3, { ...idle, mechanicalError: true })).toBe(0x16);
    expect(encodeRealTimeStatus(3, { ...idle, autocutterError: true })).toBe(0x1a);
    expect(encodeRealTimeStatus(3, { ...idle, unrecoverableError: true })).toBe(0x32);
    expect(encodeRealTimeStatus(3, { ...idle, autoRecoverableError: true })).toBe(0x52);
  });

  it('n = 4 roll paper sensors: near end 0Ch (bits 2, 3), paper end 60h (bits 5, 6)', () => {
    expect(encodeRealTimeStatus(4, idle)).toBe(0x12);
    expect(encodeRealTimeStatus(4, { ...idle, nearEndSensor: true })).toBe(0x1e);
    // Paper out, seen by the end sensor only / by both sensors.
    expect(encodeRealTimeStatus(4, { ...idle, paperEndSensor: true })).toBe(0x72);
    expect(encodeRealTimeStatus(4, { ...idle, nearEndSensor: true, paperEndSensor: true })).toBe(
      0x7e,
    );
  });

  it('n outside 1..4 is not answered', () => {
    expect(encodeRealTimeStatus(0, idle)).toBeUndefined();
    expect(encodeRealTimeStatus(5, idle)).toBeUndefined();
  });

  it('every reply matches 0xx1xx10 whatever the inputs', () => {
    const all: StatusInputs = Object.fromEntries(
      Object.keys(idle).map((k) => [k, true]),
    ) as unknown as StatusInputs;
    for (const n of [1, 2, 3, 4]) {
      for (const s of [idle, all]) expect(encodeRealTimeStatus(n, s)! & 0x93).toBe(0x12);
    }
  });
});

describe('GS r n replies (APG GS r; pattern 0xx0xxxx)', () => {
  it('n = 1 / 49 paper sensor: near end 03h; n = 2 / 50 drawer pin 3 HIGH 01h', () => {
    expect(encodeTransmitStatus(1, idle)).toBe(0x00);
    expect(encodeTransmitStatus(49, { ...idle, nearEndSensor: true })).toBe(0x03);
    expect(encodeTransmitStatus(2, idle)).toBe(0x00);
    expect(encodeTransmitStatus(50, { ...idle, drawerPin3High: true })).toBe(0x01);
    expect(encodeTransmitStatus(3, idle)).toBeUndefined();
  });
});

describe('GS I printer information B (APG GS I, "Notes for printer information B")', () => {
  it('Header 5FH + information + NUL 00H', () => {
    // n = 66 maker name "EPSON", n = 67 printer model "TM-J2000", n = 69 "CHINA GB18030".
    expect(encodePrinterInfoB('EPSON')).toEqual(b(0x5f, 0x45, 0x50, 0x53, 0x4f, 0x4e, 0x00));
    expect(encodePrinterInfoB('TM-J2000')).toEqual(
      b(0x5f, 0x54, 0x4d, 0x2d, 0x4a, 0x32, 0x30, 0x30, 0x30, 0x00),
    );
    expect(encodePrinterInfoB('CHINA GB18030')).toEqual(b(0x5f, ...ascii('CHINA GB18030'), 0x00));
  });

  it('information not prepared: Header + NUL (2 bytes)', () => {
    expect(encodePrinterInfoB(undefined)).toEqual(b(0x5f, 0x00));
  });

  it('refuses information over 80 bytes or with non-printable bytes', () => {
    expect(() => encodePrinterInfoB('x'.repeat(81))).toThrow(RangeError);
    expect(() => encodePrinterInfoB('a\u0000b')).toThrow(RangeError);
    expect(encodePrinterInfoB('x'.repeat(80))).toHaveLength(82);
  });
});

describe('ASB (GS a): four bytes, byte 1 pattern 0xx1xx00', () => {
  it('cover open: 38 00 00 00; paper out with both sensors: 18 00 0F 00', () => {
    expect(encodeAsb({ ...idle, offline: true, coverOpen: true })).toEqual(b(0x38, 0, 0, 0));
    expect(
      encodeAsb({ ...idle, offline: true, nearEndSensor: true, paperEndSensor: true }),
    ).toEqual(b(0x18, 0x00, 0x0f, 0x00));
    expect(encodeAsb({ ...idle, autocutterError: true })).toEqual(b(0x10, 0x08, 0x00, 0x00));
  });
});

describe('parsing by the spec lengths', () => {
  const names = (bytes: Uint8Array, kanji = false): string[] =>
    parseAll(bytes, kanji).commands.map((c) => c.name);

  it('fixed-length commands', () => {
    const stream = b(
      ...[0x1b, 0x40], // ESC @
      ...[0x1b, 0x21, 0x38], // ESC ! n
      ...[0x1b, 0x61, 0x01], // ESC a n
      ...[0x1b, 0x45, 0x01], // ESC E n
      ...[0x1b, 0x2d, 0x02], // ESC - n
      ...[0x1b, 0x64, 0x03], // ESC d n
      ...[0x1b, 0x4a, 0x40], // ESC J n
      ...[0x1d, 0x21, 0x11], // GS ! n
      ...[0x1c, 0x26], // FS &
      ...[0x1c, 0x21, 0x0c], // FS ! n
      ...[0x1c, 0x2e], // FS .
      ...[0x1d, 0x49, 0x43], // GS I n
      ...[0x1d, 0x72, 0x01], // GS r n
      ...[0x10, 0x04, 0x04], // DLE EOT n
      0x0a, // LF
    );
    const { commands, rest } = parseAll(stream);
    expect(rest).toHaveLength(0);
    expect(commands.map((c) => [c.name, ...c.args])).toEqual([
      ['ESC @'],
      ['ESC !', 0x38],
      ['ESC a', 1],
      ['ESC E', 1],
      ['ESC -', 2],
      ['ESC d', 3],
      ['ESC J', 0x40],
      ['GS !', 0x11],
      ['FS &'],
      ['FS !', 0x0c],
      ['FS .'],
      ['GS I', 0x43],
      ['GS r', 1],
      ['DLE EOT', 4],
      ['LF'],
    ]);
  });

  it('GS V in all four forms: <A> without n, <B> <C> <D> with n', () => {
    const stream = b(
      ...[0x1d, 0x56, 0x00], // <A> m = 0 full cut
      ...[0x1d, 0x56, 0x31], // <A> m = 49 partial cut
      ...[0x1d, 0x56, 0x42, 0x00], // <B> m = 66, n = 0 ("GS V 66 0" program example)
      ...[0x1d, 0x56, 0x41, 0x05], // <B> m = 65
      ...[0x1d, 0x56, 0x61, 0x03], // <C> m = 97
      ...[0x1d, 0x56, 0x68, 0x00], // <D> m = 104
    );
    const { commands, rest } = parseAll(stream);
    expect(rest).toHaveLength(0);
    expect(commands.map((c) => c.args)).toEqual([[0], [49], [66, 0], [65, 5], [97, 3], [104, 0]]);
  });

  it('GS v 0 m xL xH yL yH takes (xL + xH×256) × (yL + yH×256) data bytes, even 10 04 01', () => {
    // 2 bytes wide, 3 dots high: 6 data bytes, the middle ones equal to DLE EOT 1.
    const stream = b(
      0x1d,
      0x76,
      0x30,
      0x00,
      0x02,
      0x00,
      0x03,
      0x00,
      0xff,
      0x10,
      0x04,
      0x01,
      0x81,
      0x7e,
      0x0a,
    );
    const { commands } = parseAll(stream);
    expect(commands.map((c) => c.name)).toEqual(['GS v 0', 'LF']);
    expect(commands[0]!.args).toEqual([0, 2, 0, 3, 0]);
    expect(commands[0]!.data).toEqual(b(0xff, 0x10, 0x04, 0x01, 0x81, 0x7e));
  });

  it('GS ( k takes (pL + pH × 256) bytes after pH (QR Code Functions 167, 180, 181)', () => {
    const url = ascii('https://x.cn/q?1');
    const pL = url.length + 3; // cn fn m + data
    const stream = b(
      ...[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06], // module size 6
      ...[0x1d, 0x28, 0x6b, pL, 0x00, 0x31, 0x50, 0x30, ...url], // store
      ...[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30], // print (APG p. 535 bytes)
    );
    const { commands, rest } = parseAll(stream);
    expect(rest).toHaveLength(0);
    expect(commands.map((c) => c.name)).toEqual(['GS ( k', 'GS ( k', 'GS ( k']);
    expect(commands[1]!.data).toEqual(b(0x31, 0x50, 0x30, ...url));
    expect(commands[2]!.data).toEqual(b(0x31, 0x51, 0x30));
  });

  it('waits for the rest of a command split across reads', () => {
    const head = b(0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x02, 0x00, 0xaa);
    expect(parseCommand(head, 0, false)).toBe('incomplete');
    expect(parseCommand(b(0x1d, 0x56, 0x42), 0, false)).toBe('incomplete'); // GS V 66 without n
    expect(parseCommand(b(0x1b), 0, false)).toBe('incomplete');
    expect(parseAll(b(0x41, 0x0a, 0x1d, 0x28, 0x6b, 0x05)).rest).toEqual(b(0x1d, 0x28, 0x6b, 0x05));
  });

  it('GB18030 text in Kanji mode: two-byte and four-byte characters stay whole', () => {
    // FS & "余额" "￥" "¥"(81 30 84 36) LF
    const stream = b(0x1c, 0x26, 0xd3, 0xe0, 0xb6, 0xee, 0xa3, 0xa4, 0x81, 0x30, 0x84, 0x36, 0x0a);
    const { commands } = parseAll(stream);
    expect(commands.map((c) => c.name)).toEqual(['FS &', 'text', 'LF']);
    expect(commands[1]!.kanji).toBe(true);
    expect(new TextDecoder('gb18030').decode(commands[1]!.raw)).toBe('余额￥¥');
  });

  it('in Kanji mode the byte after a lead byte belongs to the character, even LF', () => {
    expect(names(b(0xd3, 0x0a, 0x0a), true)).toEqual(['text', 'LF']);
    expect(names(b(0xd3, 0x0a, 0x0a), false)).toEqual(['text', 'LF', 'LF']);
  });

  it('a lead byte at the end of the stream waits for its second byte', () => {
    const { commands, rest } = parseAll(b(0x1c, 0x26, 0x41, 0xd3));
    expect(commands.map((c) => c.name)).toEqual(['FS &', 'text']);
    expect(rest).toEqual(b(0xd3));
  });

  it('an unknown ESC / GS / FS code is reported, taking only its two bytes', () => {
    expect(names(b(0x1b, 0x7f, 0x41))).toEqual(['unknown', 'text']);
    expect(names(b(0x1d, 0x76, 0x31, 0x41))).toEqual(['unknown', 'text']);
  });
});

describe('real-time command scanner', () => {
  it('finds DLE EOT n and DLE ENQ n anywhere in the stream, across chunks', () => {
    const s = new RealTimeScanner();
    expect(s.push(b(0x41, 0x10))).toEqual([]);
    expect(s.push(b(0x04))).toEqual([]);
    expect(s.push(b(0x04, 0x10, 0x10, 0x04, 0x01, 0x10, 0x05, 0x02))).toEqual([
      { command: 'DLE EOT', n: 4 },
      { command: 'DLE EOT', n: 1 },
      { command: 'DLE ENQ', n: 2 },
    ]);
  });
});
