// Clean-room ABECS 2.12 codec: link-level framing (spec §2.2.1, §7.2) and application-level
// message formats (§1.3, §2.3, §3.1.3). Pure functions only: no I/O, no timers.
// Written from the specification text alone (see README.md in this folder).

/** Control bytes, spec §2.2 (table of «EOT» … «CAN»), plus «DC2» from §2.3 (secure packets). */
export const EOT = 0x04;
export const ACK = 0x06;
export const DC2 = 0x12;
export const DC3 = 0x13;
export const NAK = 0x15;
export const SYN = 0x16;
export const ETB = 0x17;
export const CAN = 0x18;

/** §2.2.1: the "original" PKTDATA (before DC3 substitution) may have at most 2049 bytes. */
export const MAX_PKTDATA = 2049;
/** §2.3.1 / §2.3.2: each CMD_BLKn / RSP_BLKn has at most 999 bytes (CMD_LENn is N3). */
export const MAX_BLOCK = 999;
/** §3.1.3.1 / §3.1.3.2: CMD_PARLEN / RSP_DATLEN "até 995 (03E3h)". */
export const MAX_TLV_VALUE = 995;

/**
 * CRC-16 as printed in spec §7.2 (`CRC_Calc`): polynomial 1021h, initial value 0000h, MSB first,
 * no reflection, no final XOR. The link computes it over the unescaped PKTDATA followed by ETB.
 */
export function crc16(data: Uint8Array, initial = 0): number {
  let crc = initial & 0xffff;
  for (const byte of data) {
    let w = (byte << 8) & 0xffff;
    for (let i = 0; i < 8; i++, w = (w << 1) & 0xffff) {
      if ((crc ^ w) & 0x8000) crc = ((crc << 1) ^ 0x1021) & 0xffff;
      else crc = (crc << 1) & 0xffff;
    }
  }
  return crc;
}

/** CRC of a frame: over PKTDATA (unescaped) and PKTSTOP (ETB), spec §2.2.1 (PKTCRC). */
export function frameCrc(pktdata: Uint8Array): number {
  return crc16(Uint8Array.of(ETB), crc16(pktdata));
}

/** §2.2.1 substitution rule: 13h → 13h 33h, 16h → 13h 36h, 17h → 13h 37h. */
export function escapePktdata(pktdata: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of pktdata) {
    if (b === DC3 || b === SYN || b === ETB) out.push(DC3, b + 0x20);
    else out.push(b);
  }
  return Buffer.from(out);
}

/**
 * Reverse of the substitution: a DC3 makes the next byte "minus 20h" (flowcharts §2.2.3 and
 * §6.2.1: "Subtrai 20h do byte recebido"). A DC3 as the last byte is a format error.
 */
export function unescapePktdata(escaped: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    const b = escaped[i]!;
    if (b === DC3) {
      if (i + 1 >= escaped.length) throw new AbecsFormatError('DC3 at end of PKTDATA');
      out.push((escaped[++i]! - 0x20) & 0xff);
    } else out.push(b);
  }
  return Buffer.from(out);
}

/** Whole packet, §2.2.1: SYN | escaped PKTDATA | ETB | CRC (2 bytes, most significant first). */
export function encodeFrame(pktdata: Uint8Array): Buffer {
  if (pktdata.length > MAX_PKTDATA) {
    throw new AbecsFormatError(`PKTDATA of ${pktdata.length} bytes exceeds ${MAX_PKTDATA}`);
  }
  const crc = frameCrc(pktdata);
  return Buffer.concat([
    Buffer.of(SYN),
    escapePktdata(pktdata),
    Buffer.of(ETB, crc >> 8, crc & 0xff),
  ]);
}

/**
 * Decodes one complete frame (SYN … ETB CRC CRC). Throws AbecsFormatError on a bad frame.
 * Within PKTDATA only DC3 is special while decoding; a raw SYN/ETB cannot appear there.
 */
export function decodeFrame(frame: Uint8Array): Buffer {
  if (frame.length < 4 || frame[0] !== SYN) throw new AbecsFormatError('frame must start with SYN');
  const etb = frame.length - 3;
  if (frame[etb] !== ETB) throw new AbecsFormatError('frame must end with ETB + 2 CRC bytes');
  const escaped = frame.subarray(1, etb);
  if (escaped.includes(ETB) || escaped.includes(SYN)) {
    throw new AbecsFormatError('unescaped SYN/ETB inside PKTDATA');
  }
  const pktdata = unescapePktdata(escaped);
  if (pktdata.length > MAX_PKTDATA) throw new AbecsFormatError('PKTDATA too long');
  const crc = (frame[etb + 1]! << 8) | frame[etb + 2]!;
  if (crc !== frameCrc(pktdata)) throw new AbecsFormatError('CRC mismatch');
  return pktdata;
}

export class AbecsFormatError extends Error {
  override name = 'AbecsFormatError';
}

// ---------------------------------------------------------------------------------------------
// Field formats, spec §1.3

/** Latin-1 (ISO 8859-1, §7.3.2) bytes of a string. */
export function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Format "A"/"S": left-aligned, padded with spaces (20h) on the right; longer text is cut. */
export function fieldA(text: string, size: number): Buffer {
  const b = latin1(text);
  if (b.length >= size) return b.subarray(0, size);
  return Buffer.concat([b, Buffer.alloc(size - b.length, 0x20)]);
}

/** Format "N": right-aligned, padded with "0" on the left. Throws if it does not fit. */
export function fieldN(value: number | string, size: number): Buffer {
  const s = typeof value === 'number' ? String(Math.trunc(value)) : value;
  if (!/^[0-9]*$/.test(s) || s.length > size) {
    throw new AbecsFormatError(`"${s}" does not fit format N${size}`);
  }
  return latin1(s.padStart(size, '0'));
}

/** Format "X": binary, most significant byte first, right-aligned. */
export function fieldX(value: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  if (v !== 0) throw new AbecsFormatError(`${value} does not fit format X${size}`);
  return out;
}

/** Reads an "X" field (binary, MSB first). */
export function readX(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

export function isDigits(bytes: Uint8Array | string): boolean {
  const s = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
  return /^[0-9]+$/.test(s);
}

// ---------------------------------------------------------------------------------------------
// Application level, spec §2.3

/**
 * Splits the part after CMD_ID (or after RSP_ID + RSP_STAT) into its blocks: a sequence of
 * LEN (N3, "000" to "999") + BLK. Throws AbecsFormatError if the structure is broken.
 */
export function splitBlocks(data: Uint8Array): Buffer[] {
  const blocks: Buffer[] = [];
  let i = 0;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  while (i < buf.length) {
    if (i + 3 > buf.length) throw new AbecsFormatError('truncated block length');
    const lenText = buf.toString('latin1', i, i + 3);
    if (!isDigits(lenText)) throw new AbecsFormatError(`block length "${lenText}" is not N3`);
    const len = Number(lenText);
    i += 3;
    if (i + len > buf.length) throw new AbecsFormatError('block shorter than its length');
    blocks.push(Buffer.from(buf.subarray(i, i + len)));
    i += len;
  }
  return blocks;
}

/** Joins blocks as LEN (N3) + BLK each. */
export function joinBlocks(blocks: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const b of blocks) {
    if (b.length > MAX_BLOCK) throw new AbecsFormatError(`block of ${b.length} bytes exceeds 999`);
    parts.push(fieldN(b.length, 3), Buffer.from(b));
  }
  return Buffer.concat(parts);
}

/** PKTDATA of a command, §2.3.1: CMD_ID (A3) + [CMD_LENn (N3) + CMD_BLKn]... */
export function buildCommand(id: string, blocks: readonly Uint8Array[] = []): Buffer {
  if (!/^[\x20-\x7e]{3}$/.test(id)) throw new AbecsFormatError(`bad command id "${id}"`);
  return Buffer.concat([latin1(id), joinBlocks(blocks)]);
}

/** PKTDATA of a response, §2.3.2: RSP_ID (A3) + RSP_STAT (N3) + [RSP_LENn + RSP_BLKn]... */
export function buildResponse(
  id: string,
  status: string,
  blocks: readonly Uint8Array[] = [],
): Buffer {
  if (!/^[0-9]{3}$/.test(status)) throw new AbecsFormatError(`bad status "${status}"`);
  if (status !== '000' && blocks.length > 0) {
    // §2.3.2 "Erro de execução": "Se RSP_STAT ≠ “000”, a resposta nunca deve conter dados!"
    throw new AbecsFormatError('an error response never carries data');
  }
  return Buffer.concat([latin1(id), latin1(status), joinBlocks(blocks)]);
}

export interface ParsedCommand {
  id: string;
  blocks: Buffer[];
}

export function parseCommand(pktdata: Uint8Array): ParsedCommand {
  const buf = Buffer.from(pktdata);
  if (buf.length < 3) throw new AbecsFormatError('PKTDATA shorter than CMD_ID');
  return { id: buf.toString('latin1', 0, 3), blocks: splitBlocks(buf.subarray(3)) };
}

export interface ParsedResponse {
  id: string;
  status: string;
  blocks: Buffer[];
}

export function parseResponse(pktdata: Uint8Array): ParsedResponse {
  const buf = Buffer.from(pktdata);
  if (buf.length < 6) throw new AbecsFormatError('response shorter than RSP_ID + RSP_STAT');
  const status = buf.toString('latin1', 3, 6);
  if (!isDigits(status)) throw new AbecsFormatError(`RSP_STAT "${status}" is not N3`);
  return { id: buf.toString('latin1', 0, 3), status, blocks: splitBlocks(buf.subarray(6)) };
}

// ---------------------------------------------------------------------------------------------
// "Comandos Abecs" parameters, §3.1.3: ID (X2) + LEN (X2, up to 995) + value, inside blocks.

export type TlvEntry = [id: number, value: Buffer];

/** One parameter / return datum: ID X2 + LEN X2 + value. */
export function tlv(id: number, value: Uint8Array | string): Buffer {
  const v = typeof value === 'string' ? latin1(value) : Buffer.from(value);
  if (v.length > MAX_TLV_VALUE) throw new AbecsFormatError(`TLV ${id.toString(16)} too long`);
  return Buffer.concat([fieldX(id, 2), fieldX(v.length, 2), v]);
}

/** Parses one block as a list of ID/LEN/value entries (in order, duplicates kept). */
export function parseTlvEntries(block: Uint8Array): TlvEntry[] {
  const buf = Buffer.from(block);
  const out: TlvEntry[] = [];
  let i = 0;
  while (i < buf.length) {
    if (i + 4 > buf.length) throw new AbecsFormatError('truncated TLV header');
    const id = buf.readUInt16BE(i);
    const len = buf.readUInt16BE(i + 2);
    i += 4;
    if (i + len > buf.length) throw new AbecsFormatError(`TLV ${id.toString(16)} overruns block`);
    out.push([id, Buffer.from(buf.subarray(i, i + len))]);
    i += len;
  }
  return out;
}

/**
 * Parses every block of an Abecs command/response into one map. §6.2.2: when an ID repeats,
 * the first value counts and the others are ignored.
 */
export function parseTlvBlocks(blocks: readonly Uint8Array[]): Map<number, Buffer> {
  const map = new Map<number, Buffer>();
  for (const block of blocks) {
    for (const [id, value] of parseTlvEntries(block)) if (!map.has(id)) map.set(id, value);
  }
  return map;
}

/**
 * Packs encoded TLV entries into as few blocks of at most 999 bytes as possible, never splitting
 * an entry (§3.1.3.1 / §3.1.3.2 "Regras de composição").
 */
export function packTlvBlocks(entries: readonly Uint8Array[]): Buffer[] {
  const blocks: Buffer[] = [];
  let current: Buffer[] = [];
  let size = 0;
  for (const e of entries) {
    if (size + e.length > MAX_BLOCK && current.length > 0) {
      blocks.push(Buffer.concat(current));
      current = [];
      size = 0;
    }
    current.push(Buffer.from(e));
    size += e.length;
  }
  if (current.length > 0) blocks.push(Buffer.concat(current));
  return blocks;
}

/** Commands whose parameters use the §3.1.3 ID/LEN format (their chapter-3 tables use "Presença"). */
export const ABECS_TLV_COMMANDS: ReadonlySet<string> = new Set([
  'CEX',
  'CLX',
  'DMF',
  'DSI',
  'EBX',
  'FCX',
  'GCD',
  'GCX',
  'GED',
  'GIX',
  'GOX',
  'GTK',
  'LMF',
  'MLE',
  'MLI',
  'MLR',
  'MNU',
]);

/**
 * Commands the specification calls "blocantes" (they wait for the cardholder, §2.2.2): the host
 * then waits indefinitely for the response and the pad may send NTM notifications (§2.3.3).
 * The check-mark columns of the chapter-3 tables are lost in the transcription; this list comes
 * from the commands' descriptions (each waits for a key, a card or a PIN).
 */
export const BLOCKING_COMMANDS: ReadonlySet<string> = new Set([
  'CEX',
  'CKE',
  'GCD',
  'GCR',
  'GCX',
  'GKY',
  'GOC',
  'GOX',
  'GPN',
  'MNU',
  'RMC',
  'CHP',
  'FCX',
]);
