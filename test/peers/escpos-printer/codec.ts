// Clean-room ESC/POS codec (pure): splits a received byte stream into commands by the lengths the
// Epson ESC/POS Application Programming Guide gives, finds real-time DLE EOT / DLE ENQ in the raw
// stream, and encodes the printer's replies (status bytes, printer ID, printer information B, ASB).
// Written from shared/reference/escpos-printing.md and the spec pages named in README.md only.

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const ENQ = 0x05;
export const DC4 = 0x14;
export const LF = 0x0a;

/** One command (or run of printable text) as the printer takes it from its receive buffer. */
export interface EscPosCommand {
  /** 'text', 'LF', 'ESC @', 'GS v 0', 'GS ( k', 'DLE EOT', 'CTL 07', 'unknown', ... */
  readonly name: string;
  /** Every byte of the command, as received. */
  readonly raw: Uint8Array;
  /** The fixed parameter bytes after the command code, e.g. [n] for ESC ! n, [m, xL, xH, yL, yH]
   *  for GS v 0, [m] or [m, n] for GS V. */
  readonly args: readonly number[];
  /** Variable data: raster bytes (GS v 0, ESC *), the bytes after pL pH (GS ( x, FS ( x), bar code
   *  data (GS k), the tab list (ESC D). */
  readonly data?: Uint8Array;
  /** 'text' only: taken in Kanji (double-byte) mode, so the bytes are GB18030 characters. */
  readonly kanji?: boolean;
}

export type ParseStep = { command: EscPosCommand; length: number } | 'incomplete';

/** How many bytes of variable data follow the fixed parameters, or 'incomplete'. */
type VariableLength = (buf: Uint8Array, at: number) => number | 'incomplete';

interface CommandShape {
  name: string;
  /** Fixed parameter bytes after the command code. */
  params: number;
  /** Optional variable data after the fixed parameters. */
  variable?: (args: number[]) => VariableLength;
}

const fixed = (name: string, params = 0): CommandShape => ({ name, params });
const count =
  (n: number): VariableLength =>
  () =>
    n;
const u16 = (lo: number, hi: number): number => lo + hi * 256;

/** Data ending at (and including) a NUL, e.g. ESC D n1..nk NUL, GS k m d1..dk NUL (m 0-6). */
const untilNul: VariableLength = (buf, at) => {
  const end = buf.indexOf(0x00, at);
  return end < 0 ? 'incomplete' : end - at + 1;
};

/** GS ( x pL pH / FS ( x pL pH / ESC ( x pL pH: (pL + pH × 256) bytes follow pH. */
const withPLpH = (prefix: string): CommandShape => ({
  name: prefix,
  params: 3, // x, pL, pH
  variable: ([, pL, pH]) => count(u16(pL!, pH!)),
});

// Lengths of the ESC commands (Epson APG "Commands in alphanumeric order").
const ESC_TABLE: Record<number, CommandShape> = {
  0x0c: fixed('ESC FF'),
  0x20: fixed('ESC SP', 1),
  0x21: fixed('ESC !', 1),
  0x24: fixed('ESC $', 2),
  0x25: fixed('ESC %', 1),
  0x26: {
    // ESC & y c1 c2 [x1 d1...d(y×x1)] ... [xk d1...d(y×xk)]
    name: 'ESC &',
    params: 3,
    variable:
      ([y, c1, c2]) =>
      (buf, at) => {
        let p = at;
        for (let c = c1!; c <= c2!; c++) {
          if (p >= buf.length) return 'incomplete';
          p += 1 + y! * buf[p]!;
        }
        return p > buf.length ? 'incomplete' : p - at;
      },
  },
  0x28: withPLpH('ESC ('),
  0x2a: {
    // ESC * m nL nH d1...dk: k = nL + nH×256 (8-dot modes), × 3 (24-dot modes m = 32, 33)
    name: 'ESC *',
    params: 3,
    variable: ([m, nL, nH]) => count(u16(nL!, nH!) * (m === 32 || m === 33 ? 3 : 1)),
  },
  0x2d: fixed('ESC -', 1),
  0x32: fixed('ESC 2'),
  0x33: fixed('ESC 3', 1),
  0x3d: fixed('ESC =', 1),
  0x3f: fixed('ESC ?', 1),
  0x40: fixed('ESC @'),
  0x44: { name: 'ESC D', params: 0, variable: () => untilNul },
  0x45: fixed('ESC E', 1),
  0x47: fixed('ESC G', 1),
  0x4a: fixed('ESC J', 1),
  0x4c: fixed('ESC L'),
  0x4d: fixed('ESC M', 1),
  0x52: fixed('ESC R', 1),
  0x53: fixed('ESC S'),
  0x54: fixed('ESC T', 1),
  0x55: fixed('ESC U', 1),
  0x56: fixed('ESC V', 1),
  0x57: fixed('ESC W', 8),
  0x5c: fixed('ESC \\', 2),
  0x61: fixed('ESC a', 1),
  0x63: fixed('ESC c', 2), // ESC c 3 n, ESC c 4 n, ESC c 5 n
  0x64: fixed('ESC d', 1),
  0x65: fixed('ESC e', 1),
  0x69: fixed('ESC i'),
  0x6d: fixed('ESC m'),
  0x70: fixed('ESC p', 3),
  0x72: fixed('ESC r', 1),
  0x74: fixed('ESC t', 1),
  0x75: fixed('ESC u', 1),
  0x76: fixed('ESC v'),
  0x7b: fixed('ESC {', 1),
};

// Lengths of the GS commands. GS V, GS k, GS v and GS 8 are decided in parseGs().
const GS_TABLE: Record<number, CommandShape> = {
  0x21: fixed('GS !', 1),
  0x24: fixed('GS $', 2),
  0x28: withPLpH('GS ('),
  0x2a: {
    // GS * x y d1...d(x × y × 8)
    name: 'GS *',
    params: 2,
    variable: ([x, y]) => count(x! * y! * 8),
  },
  0x2f: fixed('GS /', 1),
  0x3a: fixed('GS :'),
  0x42: fixed('GS B', 1),
  0x45: fixed('GS E', 1),
  0x48: fixed('GS H', 1),
  0x49: fixed('GS I', 1),
  0x4c: fixed('GS L', 2),
  0x50: fixed('GS P', 2),
  0x54: fixed('GS T', 1),
  0x57: fixed('GS W', 2),
  0x5c: fixed('GS \\', 2),
  0x5e: fixed('GS ^', 3),
  0x61: fixed('GS a', 1),
  0x62: fixed('GS b', 1),
  0x63: fixed('GS c'),
  0x66: fixed('GS f', 1),
  0x67: fixed('GS g', 4), // GS g 0 m nL nH, GS g 2 m nL nH
  0x68: fixed('GS h', 1),
  0x72: fixed('GS r', 1),
  0x77: fixed('GS w', 1),
};

// Lengths of the FS (multi-byte character) commands.
const FS_TABLE: Record<number, CommandShape> = {
  0x21: fixed('FS !', 1),
  0x26: fixed('FS &'),
  0x28: withPLpH('FS ('),
  0x2d: fixed('FS -', 1),
  0x2e: fixed('FS .'),
  0x32: { name: 'FS 2', params: 2, variable: () => count(72) }, // c1 c2 + 24 × 24 dots
  0x3f: fixed('FS ?', 2),
  0x43: fixed('FS C', 1),
  0x53: fixed('FS S', 2),
  0x57: fixed('FS W', 1),
  0x70: fixed('FS p', 2),
  0x71: {
    // FS q n [xL xH yL yH d1...dk]1 ... [...]n, k = (xL + xH×256) × (yL + yH×256) × 8
    name: 'FS q',
    params: 1,
    variable:
      ([n]) =>
      (buf, at) => {
        let p = at;
        for (let i = 0; i < n!; i++) {
          if (p + 4 > buf.length) return 'incomplete';
          p += 4 + u16(buf[p]!, buf[p + 1]!) * u16(buf[p + 2]!, buf[p + 3]!) * 8;
        }
        return p > buf.length ? 'incomplete' : p - at;
      },
  },
};

const CONTROL_NAMES: Record<number, string> = {
  0x09: 'HT',
  0x0a: 'LF',
  0x0c: 'FF',
  0x0d: 'CR',
  0x18: 'CAN',
};

const hex2 = (b: number): string => b.toString(16).padStart(2, '0').toUpperCase();

function make(
  buf: Uint8Array,
  start: number,
  name: string,
  argsFrom: number,
  argCount: number,
  dataLength = 0,
  hasData = false,
): ParseStep {
  const end = argsFrom + argCount + dataLength;
  if (end > buf.length) return 'incomplete';
  const args = Array.from(buf.subarray(argsFrom, argsFrom + argCount));
  const command: EscPosCommand = hasData
    ? { name, raw: buf.slice(start, end), args, data: buf.slice(argsFrom + argCount, end) }
    : { name, raw: buf.slice(start, end), args };
  return { command, length: end - start };
}

function fromShape(buf: Uint8Array, start: number, shape: CommandShape, name = shape.name) {
  const argsFrom = start + 2;
  if (argsFrom + shape.params > buf.length) return 'incomplete';
  const args = Array.from(buf.subarray(argsFrom, argsFrom + shape.params));
  if (!shape.variable) return make(buf, start, name, argsFrom, shape.params);
  const n = shape.variable(args)(buf, argsFrom + shape.params);
  if (n === 'incomplete') return 'incomplete';
  return make(buf, start, name, argsFrom, shape.params, n, true);
}

function unknown(buf: Uint8Array, start: number, length: number): ParseStep {
  return { command: { name: 'unknown', raw: buf.slice(start, start + length), args: [] }, length };
}

function parseGs(buf: Uint8Array, start: number, code: number): ParseStep {
  const at = start + 2;
  if (code === 0x56) {
    // GS V: <A> m = 0, 48, 1, 49 (no n); <B> 65, 66; <C> 97, 98; <D> 103, 104 (with n).
    if (at >= buf.length) return 'incomplete';
    const m = buf[at]!;
    const withN = [65, 66, 97, 98, 103, 104].includes(m);
    return make(buf, start, 'GS V', at, withN ? 2 : 1);
  }
  if (code === 0x6b) {
    // GS k: <A> m = 0..6, data ends with NUL; <B> m = 65..79, n then n bytes.
    if (at >= buf.length) return 'incomplete';
    const m = buf[at]!;
    if (m <= 6) {
      const n = untilNul(buf, at + 1);
      return n === 'incomplete' ? n : make(buf, start, 'GS k', at, 1, n, true);
    }
    if (at + 1 >= buf.length) return 'incomplete';
    return make(buf, start, 'GS k', at, 2, buf[at + 1]!, true);
  }
  if (code === 0x76) {
    // GS v 0 m xL xH yL yH d1...dk, k = (xL + xH × 256) × (yL + yH × 256)
    if (at >= buf.length) return 'incomplete';
    if (buf[at] !== 0x30) return unknown(buf, start, 2);
    if (at + 6 > buf.length) return 'incomplete';
    const [, , xL, xH, yL, yH] = buf.subarray(at, at + 6);
    const k = u16(xL!, xH!) * u16(yL!, yH!);
    return make(buf, start, 'GS v 0', at + 1, 5, k, true);
  }
  if (code === 0x38) {
    // GS 8 L p1 p2 p3 p4 m fn ...: (p1 + p2×256 + p3×65536 + p4×16777216) bytes follow p4.
    if (at >= buf.length) return 'incomplete';
    if (buf[at] !== 0x4c) return unknown(buf, start, 2);
    if (at + 5 > buf.length) return 'incomplete';
    const [, p1, p2, p3, p4] = buf.subarray(at, at + 5);
    const n = p1! + p2! * 0x100 + p3! * 0x10000 + p4! * 0x1000000;
    return make(buf, start, 'GS 8 L', at + 1, 4, n, true);
  }
  const shape = GS_TABLE[code];
  if (!shape) return unknown(buf, start, 2);
  return fromShape(buf, start, shape, shapeName(buf, start, shape));
}

/** 'GS ( k', 'FS ( A', ... (the function letter is part of the name). */
function shapeName(buf: Uint8Array, start: number, shape: CommandShape): string {
  if (!shape.name.endsWith('(') || start + 2 >= buf.length) return shape.name;
  return `${shape.name} ${String.fromCharCode(buf[start + 2]!)}`;
}

function parseDle(buf: Uint8Array, start: number): ParseStep {
  if (start + 1 >= buf.length) return 'incomplete';
  const code = buf[start + 1]!;
  if (code === EOT) return make(buf, start, 'DLE EOT', start + 2, 1);
  if (code === ENQ) return make(buf, start, 'DLE ENQ', start + 2, 1);
  if (code === DC4) {
    // DLE DC4 fn ...: fn = 1 m t; fn = 2 a b; fn = 7 m; fn = 8 d1...d7
    if (start + 2 >= buf.length) return 'incomplete';
    const fn = buf[start + 2]!;
    const params = fn === 1 || fn === 2 ? 3 : fn === 7 ? 2 : fn === 8 ? 8 : 0;
    if (params === 0) return unknown(buf, start, 3);
    return make(buf, start, 'DLE DC4', start + 2, params);
  }
  // A DLE that starts no real-time command is not a command either.
  return { command: { name: 'CTL 10', raw: buf.slice(start, start + 1), args: [] }, length: 1 };
}

/** Length of one printable character at `at` (1, or 2/4 for a GB18030 character in Kanji mode). */
function charLength(buf: Uint8Array, at: number, kanji: boolean): number | 'incomplete' {
  const b = buf[at]!;
  if (!kanji || b < 0x81 || b > 0xfe) return 1;
  // GB18030: lead 81-FE; a second byte 30-39 makes a four-byte character (81-FE 30-39 81-FE 30-39).
  // The printer takes the bytes after a lead byte as the rest of the character whatever they are
  // (Kanji codes are "processed in the order of the first byte and second byte").
  if (at + 1 >= buf.length) return 'incomplete';
  const second = buf[at + 1]!;
  if (second < 0x30 || second > 0x39) return 2;
  return at + 3 >= buf.length ? 'incomplete' : 4;
}

/**
 * Takes one command (or run of printable text) from `buf` at `offset`. `kanji` says whether Kanji
 * (double-byte) mode is on, which decides how printable bytes group into characters.
 * Returns 'incomplete' when the command needs bytes that have not arrived yet.
 */
export function parseCommand(buf: Uint8Array, offset: number, kanji: boolean): ParseStep {
  if (offset >= buf.length) return 'incomplete';
  const b = buf[offset]!;
  if (b >= 0x20) {
    let p = offset;
    while (p < buf.length && buf[p]! >= 0x20) {
      const n = charLength(buf, p, kanji);
      if (n === 'incomplete') break;
      p += n;
    }
    if (p === offset) return 'incomplete';
    const raw = buf.slice(offset, p);
    return { command: { name: 'text', raw, args: [], kanji }, length: p - offset };
  }
  if (b === ESC || b === GS || b === FS) {
    if (offset + 1 >= buf.length) return 'incomplete';
    const code = buf[offset + 1]!;
    if (b === GS) return parseGs(buf, offset, code);
    const shape = (b === ESC ? ESC_TABLE : FS_TABLE)[code];
    if (!shape) return unknown(buf, offset, 2);
    return fromShape(buf, offset, shape, shapeName(buf, offset, shape));
  }
  if (b === DLE) return parseDle(buf, offset);
  const name = CONTROL_NAMES[b] ?? `CTL ${hex2(b)}`;
  return { command: { name, raw: buf.slice(offset, offset + 1), args: [] }, length: 1 };
}

/**
 * Splits a whole byte stream into commands (for tests). Tracks Kanji mode through FS & / FS . /
 * ESC @ (ESC @ returns it to `kanjiAtPowerOn`); trailing incomplete bytes are returned as `rest`.
 */
export function parseAll(
  bytes: Uint8Array,
  kanjiAtPowerOn = false,
): { commands: EscPosCommand[]; rest: Uint8Array } {
  const commands: EscPosCommand[] = [];
  let kanji = kanjiAtPowerOn;
  let offset = 0;
  for (;;) {
    const step = parseCommand(bytes, offset, kanji);
    if (step === 'incomplete') break;
    commands.push(step.command);
    offset += step.length;
    if (step.command.name === 'FS &') kanji = true;
    else if (step.command.name === 'FS .') kanji = false;
    else if (step.command.name === 'ESC @') kanji = kanjiAtPowerOn;
  }
  return { commands, rest: bytes.slice(offset) };
}

/**
 * Finds the real-time commands in the raw received stream, across chunk boundaries. The printer
 * acts on `DLE EOT n` / `DLE ENQ n` when they arrive, wherever they are: even inside another
 * command's data (APG DLE EOT notes: "the printer processes [it] and then continues with the
 * bit-image or other command"). The bytes also stay in the receive buffer for the parser.
 */
export class RealTimeScanner {
  private state: 0 | 1 | 2 = 0; // 0 idle, 1 after DLE, 2 after DLE EOT/ENQ
  private code = 0;

  push(chunk: Uint8Array): Array<{ command: 'DLE EOT' | 'DLE ENQ'; n: number }> {
    const found: Array<{ command: 'DLE EOT' | 'DLE ENQ'; n: number }> = [];
    for (const b of chunk) {
      if (this.state === 2) {
        found.push({ command: this.code === EOT ? 'DLE EOT' : 'DLE ENQ', n: b });
        this.state = 0;
      } else if (this.state === 1 && (b === EOT || b === ENQ)) {
        this.state = 2;
        this.code = b;
      } else {
        this.state = b === DLE ? 1 : 0;
      }
    }
    return found;
  }
}

// ---------------------------------------------------------------------------------------------
// Replies

/** What the printer's sensors and mechanism say at one moment (inputs of every status reply). */
export interface StatusInputs {
  /** Off-line: cover open, stopped at paper end, an error, or put off-line by hand. */
  offline: boolean;
  coverOpen: boolean;
  /** Roll paper near-end sensor sees no paper (bits 2-3 of DLE EOT 4, 0-1 of GS r 1 / ASB 3). */
  nearEndSensor: boolean;
  /** Roll paper end sensor sees no paper. */
  paperEndSensor: boolean;
  /** Printing stopped because of the paper end (DLE EOT 2 bit 5). */
  stoppedAtPaperEnd: boolean;
  drawerPin3High: boolean;
  feedButton: boolean;
  waitingForOnlineRecovery: boolean;
  mechanicalError: boolean;
  autocutterError: boolean;
  unrecoverableError: boolean;
  autoRecoverableError: boolean;
}

const bit = (on: boolean, value: number): number => (on ? value : 0);

/** DLE EOT n (n = 1..4): the one status byte, pattern 0xx1xx10; undefined for any other n
 *  (out of range: the command is ignored). */
export function encodeRealTimeStatus(n: number, s: StatusInputs): number | undefined {
  const fixedBits = 0x12; // bit 1 and bit 4 fixed on
  switch (n) {
    case 1:
      return (
        fixedBits |
        bit(s.drawerPin3High, 0x04) |
        bit(s.offline, 0x08) |
        bit(s.waitingForOnlineRecovery, 0x20) |
        bit(s.feedButton, 0x40)
      );
    case 2: {
      const error =
        s.mechanicalError || s.autocutterError || s.unrecoverableError || s.autoRecoverableError;
      return (
        fixedBits |
        bit(s.coverOpen, 0x04) |
        bit(s.feedButton, 0x08) |
        bit(s.stoppedAtPaperEnd, 0x20) |
        bit(error, 0x40)
      );
    }
    case 3:
      return (
        fixedBits |
        bit(s.mechanicalError, 0x04) |
        bit(s.autocutterError, 0x08) |
        bit(s.unrecoverableError, 0x20) |
        bit(s.autoRecoverableError, 0x40)
      );
    case 4:
      return fixedBits | bit(s.nearEndSensor, 0x0c) | bit(s.paperEndSensor, 0x60);
    default:
      return undefined;
  }
}

/** GS r n: n = 1/49 paper sensor status, 2/50 drawer kick-out connector status (pattern
 *  0xx0xxxx); undefined for any other n. */
export function encodeTransmitStatus(n: number, s: StatusInputs): number | undefined {
  if (n === 1 || n === 49) return bit(s.nearEndSensor, 0x03) | bit(s.paperEndSensor, 0x0c);
  if (n === 2 || n === 50) return bit(s.drawerPin3High, 0x01);
  return undefined;
}

/** The four ASB bytes (GS a): byte 1 pattern 0xx1xx00, bytes 2-4 pattern 0xx0xxxx. */
export function encodeAsb(s: StatusInputs): Uint8Array {
  return Uint8Array.of(
    0x10 |
      bit(s.drawerPin3High, 0x04) |
      bit(s.offline, 0x08) |
      bit(s.coverOpen, 0x20) |
      bit(s.feedButton, 0x40),
    bit(s.mechanicalError, 0x04) |
      bit(s.autocutterError, 0x08) |
      bit(s.unrecoverableError, 0x20) |
      bit(s.autoRecoverableError, 0x40),
    bit(s.nearEndSensor, 0x03) | bit(s.paperEndSensor, 0x0c),
    0x00,
  );
}

/** GS I printer information B (n = 65..69): Header 5FH, 0-80 bytes of information, NUL. When the
 *  information is not prepared (undefined) the printer sends Header + NUL only. */
export function encodePrinterInfoB(info: string | undefined): Uint8Array {
  const body = info === undefined ? new Uint8Array(0) : asciiInfo(info);
  const out = new Uint8Array(body.length + 2);
  out[0] = 0x5f;
  out.set(body, 1);
  out[out.length - 1] = 0x00;
  return out;
}

/** Printer information B is printable text of at most 80 bytes (it must not contain NUL). */
export function asciiInfo(info: string): Uint8Array {
  const bytes = Buffer.from(info, 'latin1');
  if (bytes.length > 80 || !/^[\x20-\x7e]*$/.test(info)) {
    throw new RangeError(`printer information must be 0-80 printable ASCII bytes: ${info}`);
  }
  return new Uint8Array(bytes);
}

/** A one-byte printer ID (GS I 1..3) must have bits 4 and 7 off ("0xx0xxxx"). */
export function checkPrinterIdByte(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff || (value & 0x90) !== 0) {
    throw new RangeError(`${name} must be a byte of the form 0xx0xxxx, got ${value}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Text

const gb18030 = new TextDecoder('gb18030');
const gb18030Fatal = new TextDecoder('gb18030', { fatal: true });

/** Decodes GB18030 bytes; `valid` is false when some sequence is not GB18030 (shown as U+FFFD). */
export function decodeGb18030(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: gb18030Fatal.decode(bytes), valid: true };
  } catch {
    return { text: gb18030.decode(bytes), valid: false };
  }
}

/** Hex dump "1D 49 43" of bytes (for messages and tests). */
export function hex(bytes: Uint8Array | readonly number[]): string {
  return Array.from(bytes, hex2).join(' ');
}
