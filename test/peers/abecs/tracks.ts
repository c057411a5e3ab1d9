// Card track handling from spec §5.4 ("Criptografia End-to-End") and §6.3.4.1, plus the nibble
// encoding of PP_TRACK2 / PP_TRACK3 / PP_ENCPAN (§3.1.3.2, "Lista de dados de retorno previstos").

/**
 * PP_TRK1INC (§5.4.1): walk track 1 left to right and cut seven positions after the SECOND "^"
 * (5Eh); when that is not possible, the first 19 positions. §6.3.4.1 says the same ("até o 7º
 * dígito depois do segundo separador") and names the fallback case: "Na impossibilidade de se
 * identificar os separadores". So a track with both separators but fewer than seven characters
 * after the second one is returned whole (the separators were identified).
 */
export function incompleteTrack1(track1: string): string {
  const first = track1.indexOf('^');
  const second = first < 0 ? -1 : track1.indexOf('^', first + 1);
  if (second < 0) return track1.slice(0, 19);
  return track1.slice(0, second + 1 + 7);
}

/** PP_TRK2INC (§5.4.1): cut seven positions after the "=" (3Dh); else the first 19 positions. */
export function incompleteTrack2(track2: string): string {
  const sep = track2.indexOf('=');
  if (sep < 0) return track2.slice(0, 19);
  return track2.slice(0, sep + 1 + 7);
}

/** PP_TRK3INC (§5.4.1): always the first 19 positions. */
export function incompleteTrack3(track3: string): string {
  return track3.slice(0, 19);
}

/**
 * SPE_PANMASK "eedd" (§3.1.3.1, §5.4.1): the PAN is the first run of consecutive numeric
 * characters from the left of the field, spaces inside it ignored; "ee" digits stay clear on the
 * left, "dd" on the right, the other digits become "*" (2Ah); spaces are kept and not counted.
 * When ee + dd exceeds the PAN's digit count, nothing is masked.
 */
export function maskPan(field: string, panmask: string): string {
  if (!/^[0-9]{4}$/.test(panmask)) throw new Error(`SPE_PANMASK "${panmask}" is not N4`);
  const ee = Number(panmask.slice(0, 2));
  const dd = Number(panmask.slice(2, 4));
  const start = field.search(/[0-9]/);
  if (start < 0) return field;
  let end = start;
  while (end < field.length && /[0-9 ]/.test(field[end]!)) end++;
  const digitPositions: number[] = [];
  for (let i = start; i < end; i++) if (field[i] !== ' ') digitPositions.push(i);
  if (ee + dd > digitPositions.length) return field;
  const chars = [...field];
  digitPositions.forEach((pos, n) => {
    if (n >= ee && n < digitPositions.length - dd) chars[pos] = '*';
  });
  return chars.join('');
}

const NIBBLE_OF: Record<string, number> = {
  ':': 0xa,
  ';': 0xb,
  '<': 0xc,
  '=': 0xd,
  '>': 0xe,
  '?': 0xf,
};

/**
 * PP_TRACK2 / PP_TRACK3 / PP_ENCPAN: each symbol is one nibble, 0h-9h = "0"-"9", Ah ":",
 * Bh ";", Ch "<", Dh "=", Eh ">", Fh "?"; left-aligned, padded on the right with Fh.
 */
export function packNibbles(symbols: string): Buffer {
  const nibbles = [...symbols].map((c) => {
    if (c >= '0' && c <= '9') return c.charCodeAt(0) - 0x30;
    const n = NIBBLE_OF[c];
    if (n === undefined) throw new Error(`"${c}" cannot be nibble-encoded`);
    return n;
  });
  if (nibbles.length % 2 === 1) nibbles.push(0xf);
  const out = Buffer.alloc(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  return out;
}

/** Reverse of packNibbles; trailing Fh fillers are dropped. */
export function unpackNibbles(bytes: Uint8Array): string {
  const symbols = '0123456789:;<=>?';
  let s = '';
  for (const b of bytes) s += symbols[b >> 4]! + symbols[b & 0xf]!;
  return s.replace(/\?+$/, '');
}

/** PAN as the pad reads it from a track: track 2 up to "=", or track 1 from after the format code to "^". */
export function panFromTracks(
  track1: string | undefined,
  track2: string | undefined,
): string | undefined {
  if (track2) {
    const m = /^([0-9]{1,19})=/.exec(track2);
    if (m) return m[1];
  }
  if (track1) {
    const m = /^[A-Za-z]?([0-9 ]{1,24})\^/.exec(track1);
    if (m) return m[1]!.replace(/ /g, '');
  }
  return undefined;
}
