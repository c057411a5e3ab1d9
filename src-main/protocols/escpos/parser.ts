// Incremental ESC/POS tokenizer: splits a byte stream into printable text, line feeds and
// commands with their parameters. The emulator feeds it whatever arrives on the wire, so it
// keeps incomplete commands until their remaining bytes come in.

export type EscPosToken =
  | { kind: 'text'; bytes: Uint8Array; kanji: boolean }
  | { kind: 'lf' }
  | { kind: 'cr' }
  | { kind: 'init' }
  | { kind: 'kanji'; on: boolean }
  | { kind: 'realtime-status'; n: number }
  | { kind: 'transmit-status'; n: number }
  /** GS I n: transmit printer ID (identity.ts). */
  | { kind: 'transmit-id'; n: number }
  | { kind: 'cut' }
  | { kind: 'raster'; widthDots: number; heightDots: number; data: Uint8Array }
  /** GS ( k for QR (cn 49): `data` is every byte after fn (for fn 80: m, then the QR data). */
  | { kind: 'qr'; fn: number; data: Uint8Array }
  | { kind: 'command'; name: string; params: Uint8Array }
  | { kind: 'unknown'; bytes: Uint8Array };

/** A token plus how many input bytes it took (the emulator counts paper use from this). */
export interface ParsedToken {
  token: EscPosToken;
  length: number;
}

const ESC_ZERO = new Set(['@', '2', '<']);
const ESC_ONE = new Set([
  '!',
  '-',
  '3',
  'E',
  'G',
  'J',
  'M',
  'R',
  'U',
  'V',
  'a',
  'd',
  't',
  '{',
  ' ',
]);
const ESC_TWO = new Set(['$', '\\']);
const FS_ONE = new Set(['!', '-', 'C', 'W']);
const GS_ONE = new Set(['!', 'B', 'H', 'L', 'W', 'a', 'b', 'f', 'h', 'w', 'r']);

/** `GS L` and `GS W` take two bytes although their name letters are in GS_ONE's list. */
const GS_TWO = new Set(['L', 'W']);

function name(prefix: string, byte: number): string {
  return `${prefix} ${String.fromCharCode(byte)}`;
}

/** Length of the text run starting at i: printable bytes until a control byte. */
function textRunLength(buf: Uint8Array, i: number, kanji: boolean): number | null {
  let j = i;
  while (j < buf.length) {
    const b = buf[j]!;
    if (b < 0x20 || b === 0x7f) break;
    if (kanji && b >= 0x81 && b <= 0xfe) {
      // GB18030: two bytes, or four when the second byte is a digit.
      if (j + 1 >= buf.length) return j > i ? j - i : null;
      const second = buf[j + 1]!;
      const size = second >= 0x30 && second <= 0x39 ? 4 : 2;
      if (j + size > buf.length) return j > i ? j - i : null;
      j += size;
      continue;
    }
    j++;
  }
  return j - i;
}

export class EscPosParser {
  private pending = new Uint8Array(0);
  private kanji = false;

  /** Whether the stream is currently in Chinese (Kanji) mode. */
  get kanjiMode(): boolean {
    return this.kanji;
  }

  /** Feeds bytes; returns every token completed so far. */
  push(chunk: Uint8Array): ParsedToken[] {
    const buf = new Uint8Array(this.pending.length + chunk.length);
    buf.set(this.pending, 0);
    buf.set(chunk, this.pending.length);
    const out: ParsedToken[] = [];
    let i = 0;
    while (i < buf.length) {
      const parsed = this.parseOne(buf, i);
      if (!parsed) break;
      out.push(parsed);
      i += parsed.length;
    }
    this.pending = buf.slice(i);
    return out;
  }

  private parseOne(buf: Uint8Array, i: number): ParsedToken | null {
    const b = buf[i]!;
    const have = buf.length - i;
    const need = (n: number): boolean => have >= n;
    const at = (k: number): number => buf[i + k]!;
    const slice = (from: number, to: number): Uint8Array => buf.slice(i + from, i + to);
    const command = (cmdName: string, total: number, paramsFrom: number): ParsedToken | null =>
      need(total)
        ? {
            token: { kind: 'command', name: cmdName, params: slice(paramsFrom, total) },
            length: total,
          }
        : null;

    if (b >= 0x20 && b !== 0x7f) {
      const len = textRunLength(buf, i, this.kanji);
      if (len === null) return null;
      return { token: { kind: 'text', bytes: slice(0, len), kanji: this.kanji }, length: len };
    }
    switch (b) {
      case 0x0a:
        return { token: { kind: 'lf' }, length: 1 };
      case 0x0d:
        return { token: { kind: 'cr' }, length: 1 };
      case 0x10: {
        // DLE EOT n / DLE ENQ n / DLE DC4 fn m t
        if (!need(2)) return null;
        const c = at(1);
        if (c === 0x04 || c === 0x05) {
          if (!need(3)) return null;
          if (c === 0x04) return { token: { kind: 'realtime-status', n: at(2) }, length: 3 };
          return command('DLE ENQ', 3, 2);
        }
        if (c === 0x14) return command('DLE DC4', 5, 2);
        return { token: { kind: 'unknown', bytes: slice(0, 1) }, length: 1 };
      }
      case 0x1b:
        return this.parseEsc(buf, i);
      case 0x1c: {
        if (!need(2)) return null;
        const c = at(1);
        if (c === 0x26) {
          this.kanji = true;
          return { token: { kind: 'kanji', on: true }, length: 2 };
        }
        if (c === 0x2e) {
          this.kanji = false;
          return { token: { kind: 'kanji', on: false }, length: 2 };
        }
        if (c === 0x53) return command('FS S', 4, 2);
        if (c === 0x70) return command('FS p', 4, 2);
        if (c === 0x28) {
          if (!need(5)) return null;
          return command(name('FS (', at(2)), 5 + at(3) + at(4) * 256, 5);
        }
        if (FS_ONE.has(String.fromCharCode(c))) return command(name('FS', c), 3, 2);
        return { token: { kind: 'unknown', bytes: slice(0, 2) }, length: 2 };
      }
      case 0x1d:
        return this.parseGs(buf, i);
      default:
        return { token: { kind: 'unknown', bytes: slice(0, 1) }, length: 1 };
    }
  }

  private parseEsc(buf: Uint8Array, i: number): ParsedToken | null {
    if (buf.length - i < 2) return null;
    const c = buf[i + 1]!;
    const ch = String.fromCharCode(c);
    const fixed = (n: number): ParsedToken | null =>
      buf.length - i >= 2 + n
        ? {
            token: { kind: 'command', name: name('ESC', c), params: buf.slice(i + 2, i + 2 + n) },
            length: 2 + n,
          }
        : null;
    if (c === 0x40) {
      this.kanji = false; // our model: ESC @ leaves Chinese mode, so FS & must follow it
      return { token: { kind: 'init' }, length: 2 };
    }
    if (ESC_ZERO.has(ch)) return fixed(0);
    if (ESC_ONE.has(ch)) return fixed(1);
    if (ESC_TWO.has(ch)) return fixed(2);
    if (ch === 'p') return fixed(3);
    if (ch === 'c') return fixed(2);
    if (ch === '*') {
      if (buf.length - i < 5) return null;
      const m = buf[i + 2]!;
      const dots = buf[i + 3]! + buf[i + 4]! * 256;
      return fixed(3 + dots * (m < 2 ? 1 : 3));
    }
    return { token: { kind: 'unknown', bytes: buf.slice(i, i + 2) }, length: 2 };
  }

  private parseGs(buf: Uint8Array, i: number): ParsedToken | null {
    const have = buf.length - i;
    if (have < 2) return null;
    const c = buf[i + 1]!;
    const ch = String.fromCharCode(c);
    const at = (k: number): number => buf[i + k]!;
    if (ch === 'V') {
      if (have < 3) return null;
      const m = at(2);
      const total = m === 0 || m === 1 || m === 48 || m === 49 ? 3 : 4;
      return have >= total ? { token: { kind: 'cut' }, length: total } : null;
    }
    if (ch === 'r') {
      if (have < 3) return null;
      return { token: { kind: 'transmit-status', n: at(2) }, length: 3 };
    }
    if (ch === 'I') {
      // GS I n: transmit printer ID (answered in order, like GS r).
      if (have < 3) return null;
      return { token: { kind: 'transmit-id', n: at(2) }, length: 3 };
    }
    if (ch === 'v') {
      // GS v 0 m xL xH yL yH d1..dk
      if (have < 8) return null;
      const widthBytes = at(4) + at(5) * 256;
      const heightDots = at(6) + at(7) * 256;
      const total = 8 + widthBytes * heightDots;
      if (have < total) return null;
      return {
        token: {
          kind: 'raster',
          widthDots: widthBytes * 8,
          heightDots,
          data: buf.slice(i + 8, i + total),
        },
        length: total,
      };
    }
    if (ch === '(') {
      // GS ( k pL pH cn fn ...  (and other GS ( x functions with the same length rule)
      if (have < 5) return null;
      const total = 5 + at(3) + at(4) * 256;
      if (have < total) return null;
      if (at(2) === 0x6b && at(5) === 49 && total >= 7) {
        return {
          token: { kind: 'qr', fn: at(6), data: buf.slice(i + 7, i + total) },
          length: total,
        };
      }
      return {
        token: { kind: 'command', name: name('GS (', at(2)), params: buf.slice(i + 3, i + total) },
        length: total,
      };
    }
    if (ch === '8') {
      // GS 8 L p1 p2 p3 p4 ...
      if (have < 7) return null;
      const total = 7 + at(3) + at(4) * 256 + at(5) * 65536 + at(6) * 16777216;
      if (have < total) return null;
      return {
        token: { kind: 'command', name: 'GS 8 L', params: buf.slice(i + 3, i + total) },
        length: total,
      };
    }
    if (ch === 'k') {
      if (have < 3) return null;
      const m = at(2);
      if (m <= 6) {
        const end = buf.indexOf(0, i + 3);
        if (end < 0) return null;
        return {
          token: { kind: 'command', name: 'GS k', params: buf.slice(i + 2, end + 1) },
          length: end + 1 - i,
        };
      }
      if (have < 4) return null;
      const total = 4 + at(3);
      if (have < total) return null;
      return {
        token: { kind: 'command', name: 'GS k', params: buf.slice(i + 2, i + total) },
        length: total,
      };
    }
    const n = GS_TWO.has(ch) ? 2 : GS_ONE.has(ch) ? 1 : -1;
    if (n < 0) return { token: { kind: 'unknown', bytes: buf.slice(i, i + 2) }, length: 2 };
    if (have < 2 + n) return null;
    return {
      token: { kind: 'command', name: name('GS', c), params: buf.slice(i + 2, i + 2 + n) },
      length: 2 + n,
    };
  }
}
