// Removes ESC/POS commands that set a printer state to the value it already has.
// ReceiptLine repeats every text setting before every column (about 50 bytes a line);
// on a 9600-baud serial printer those bytes cost more time than the text itself.
// Only settings that persist until changed or ESC @ are tracked; after ESC @ every state is
// treated as unknown, so the first setting (e.g. FS & for Chinese) is always kept.
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

export function optimizeEscPos(bytes: Uint8Array): Uint8Array {
  const parsed = new EscPosParser().push(bytes);
  const state = new Map<string, string>();
  const kept: Uint8Array[] = [];
  let offset = 0;
  let atLineStart = true;
  for (const { token, length } of parsed) {
    const raw = bytes.subarray(offset, offset + length);
    offset += length;
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
