// Removes ESC/POS commands that set a printer state to the value it already has.
// ReceiptLine repeats every text setting before every column (about 50 bytes a line);
// on a 9600-baud serial printer those bytes cost more time than the text itself.
// Only settings that persist until changed or ESC @ are tracked; after ESC @ every state is
// treated as unknown, so the first setting (e.g. FS & for Chinese) is always kept.
// Runs of padding spaces become one relative move (ESC \, 4 bytes) when nothing would show
// in the gap (no underline, no inverse, normal width), and spaces before a line feed go.
import { EscPosParser } from './parser';
import type { EscPosToken } from './parser';

/** The persistent state a command sets, as [state key, value], or null if not tracked. */
function stateOf(token: EscPosToken): [string, string] | null {
  if (token.kind === 'kanji') return ['kanji', token.on ? '1' : '0'];
  if (token.kind !== 'command') return null;
  const value = Array.from(token.params).join(',');
  switch (token.name) {
    case 'ESC -':
    case 'FS -':
    case 'ESC E':
    case 'GS B':
    case 'GS !':
    case 'GS L':
    case 'GS W':
    case 'ESC a':
    case 'ESC t':
    case 'ESC M':
    case 'ESC {':
    case 'ESC  ':
    case 'FS S':
    case 'ESC !':
      return [token.name, value];
    case 'ESC 2':
      return ['line spacing', 'default'];
    case 'ESC 3':
      return ['line spacing', value];
    default:
      return null;
  }
}

function isNoOpMove(token: EscPosToken, atLineStart: boolean): boolean {
  if (token.kind !== 'command') return false;
  const zero = token.params[0] === 0 && token.params[1] === 0;
  // ESC $ 0 at the start of a line, or ESC \ 0 anywhere, moves nowhere.
  return (token.name === 'ESC $' && zero && atLineStart) || (token.name === 'ESC \\' && zero);
}

const SPACE = 0x20;
const DOTS_PER_SPACE = 12; // font A, no extra character spacing (ESC SP 0)
const MIN_RUN = 5; // ESC \ nL nH is 4 bytes

/** Spaces are blank, 12 dots wide: no underline, inverse, width scaling or extra spacing. */
function spacesAreInvisible(state: Map<string, string>): boolean {
  const is = (key: string, value: string): boolean => state.get(key) === value;
  const gsBang = Number(state.get('GS !') ?? NaN);
  return (
    is('ESC -', '0') &&
    is('FS -', '0') &&
    is('GS B', '0') &&
    is('ESC  ', '0') &&
    (state.get('ESC !') ?? '0') === '0' &&
    (gsBang & 0x70) === 0
  );
}

function relativeMove(dots: number): Uint8Array {
  return Uint8Array.of(0x1b, 0x5c, dots & 255, (dots >> 8) & 255);
}

/** Text with long space runs replaced by moves; a trailing run is dropped when asked. */
function compressSpaces(text: Uint8Array, dropTrailing: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== SPACE) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] === SPACE) j++;
    const trailing = j === text.length;
    if ((trailing && dropTrailing) || j - i >= MIN_RUN) {
      if (i > start) out.push(text.subarray(start, i));
      if (!(trailing && dropTrailing)) out.push(relativeMove((j - i) * DOTS_PER_SPACE));
      start = j;
    }
    i = j;
  }
  if (start < text.length) out.push(text.subarray(start));
  return out;
}

export function optimizeEscPos(bytes: Uint8Array): Uint8Array {
  const parsed = new EscPosParser().push(bytes);
  const state = new Map<string, string>();
  const kept: Uint8Array[] = [];
  let offset = 0;
  let atLineStart = true;
  for (let k = 0; k < parsed.length; k++) {
    const { token, length } = parsed[k]!;
    const raw = bytes.subarray(offset, offset + length);
    offset += length;
    if (token.kind === 'text' && spacesAreInvisible(state)) {
      // In GB18030 every byte of a double-byte character is >= 0x30, so 0x20 is always a space.
      const pieces = compressSpaces(raw, parsed[k + 1]?.token.kind === 'lf');
      if (pieces.length > 0) {
        kept.push(...pieces);
        atLineStart = false;
      }
      continue;
    }
    if (token.kind === 'init') state.clear();
    const setting = stateOf(token);
    if (setting) {
      if (state.get(setting[0]) === setting[1]) continue;
      state.set(setting[0], setting[1]);
    } else if (isNoOpMove(token, atLineStart)) {
      continue;
    }
    if (token.kind === 'lf' || token.kind === 'cut' || token.kind === 'init') atLineStart = true;
    else if (token.kind === 'text' || token.kind === 'raster') atLineStart = false;
    kept.push(raw);
  }
  // Bytes the parser could not finish (should not happen for our own output) stay as they are.
  kept.push(bytes.subarray(offset));
  return Buffer.concat(kept);
}
