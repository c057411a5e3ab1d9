// Clean-room codec for the UnionPay-style POS ISO 8583 dialect, written only from
// shared/reference/cup-pos-8583.md (see README.md in this folder for the line behind each rule).
//
// Frame on TCP: LEN(2, binary big-endian, counts the bytes after itself) | TPDU(5) | HEADER(6 BCD)
//               | MTI(2 BCD) | BITMAP(8, primary only) | fields
//
// Field values, as this codec decodes them:
//   n  -> string of digits          z  -> string of digits and '=' (nibble D on the wire)
//   an / ans -> string (ASCII, kept exactly as received, trailing spaces included)
//   b  -> Buffer

export type FieldType = 'n' | 'z' | 'an' | 'ans' | 'b';
export type LengthKind = 'fixed' | 'LL' | 'LLL';

export interface FieldSpec {
  readonly type: FieldType;
  readonly length: LengthKind;
  /** fixed: exact length; LL/LLL: maximum. Digits for n/z, bytes (characters) for an/ans/b. */
  readonly max: number;
  /** Fixed odd-length n field packed right-justified (leading 0 nibble) instead of left. */
  readonly rightJustify?: boolean;
  readonly name: string;
}

export type FieldValue = string | Buffer;
export type FieldMap = Record<number, FieldValue>;

export interface IsoMessage {
  mti: string;
  fields: FieldMap;
}

/** The fields of the dialect (primary bitmap only). */
export const FIELDS: Readonly<Record<number, FieldSpec>> = {
  2: { type: 'n', length: 'LL', max: 19, name: 'PAN' },
  3: { type: 'n', length: 'fixed', max: 6, name: 'processing code' },
  4: { type: 'n', length: 'fixed', max: 12, name: 'amount' },
  11: { type: 'n', length: 'fixed', max: 6, name: 'trace (STAN)' },
  12: { type: 'n', length: 'fixed', max: 6, name: 'local time hhmmss' },
  13: { type: 'n', length: 'fixed', max: 4, name: 'local date MMDD' },
  14: { type: 'n', length: 'fixed', max: 4, name: 'expiry YYMM' },
  15: { type: 'n', length: 'fixed', max: 4, name: 'settlement date MMDD' },
  22: { type: 'n', length: 'fixed', max: 3, name: 'POS entry mode' },
  23: { type: 'n', length: 'fixed', max: 3, rightJustify: true, name: 'card sequence number' },
  25: { type: 'n', length: 'fixed', max: 2, name: 'POS condition code' },
  26: { type: 'n', length: 'fixed', max: 2, name: 'PIN capture code' },
  32: { type: 'n', length: 'LL', max: 11, name: 'acquiring institution' },
  35: { type: 'z', length: 'LL', max: 37, name: 'track 2' },
  36: { type: 'z', length: 'LLL', max: 104, name: 'track 3' },
  37: { type: 'an', length: 'fixed', max: 12, name: 'RRN' },
  38: { type: 'an', length: 'fixed', max: 6, name: 'authorization code' },
  39: { type: 'an', length: 'fixed', max: 2, name: 'response code' },
  41: { type: 'ans', length: 'fixed', max: 8, name: 'terminal ID' },
  42: { type: 'ans', length: 'fixed', max: 15, name: 'merchant ID' },
  44: { type: 'an', length: 'LL', max: 25, name: 'additional response data' },
  48: { type: 'n', length: 'LLL', max: 322, name: 'additional data' },
  49: { type: 'an', length: 'fixed', max: 3, name: 'currency' },
  52: { type: 'b', length: 'fixed', max: 8, name: 'PIN block' },
  53: { type: 'n', length: 'fixed', max: 16, name: 'security control' },
  54: { type: 'an', length: 'LLL', max: 120, name: 'balances' },
  55: { type: 'b', length: 'LLL', max: 255, name: 'chip data' },
  58: { type: 'ans', length: 'LLL', max: 100, name: 'e-purse data' },
  60: { type: 'n', length: 'LLL', max: 17, name: 'reserved private 60' },
  61: { type: 'n', length: 'LLL', max: 29, name: 'original message' },
  62: { type: 'b', length: 'LLL', max: 512, name: 'reserved private 62' },
  63: { type: 'ans', length: 'LLL', max: 163, name: 'reserved private 63' },
  64: { type: 'b', length: 'fixed', max: 8, name: 'MAC' },
};

export class IsoCodecError extends Error {
  constructor(
    message: string,
    /** What was decoded before the error (for logs and error answers). */
    readonly partial?: { mti?: string; fields: FieldMap },
  ) {
    super(message);
    this.name = 'IsoCodecError';
  }
}

// ---------------------------------------------------------------------------------------------
// BCD

const Z_SEPARATOR = 0xd; // '=' in track data

/** Packs digits (and '=' when `z`) into BCD. Odd counts get a 0 nibble: trailing, or leading if right-justified. */
export function packBcd(
  digits: string,
  opts: { rightJustify?: boolean; z?: boolean } = {},
): Buffer {
  const allowed = opts.z ? /^[0-9=]*$/ : /^[0-9]*$/;
  if (!allowed.test(digits)) throw new IsoCodecError(`not BCD-packable: ${JSON.stringify(digits)}`);
  let s = digits;
  if (s.length % 2 === 1) s = opts.rightJustify ? `0${s}` : `${s}0`;
  const out = Buffer.alloc(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (nibble(s[2 * i]!) << 4) | nibble(s[2 * i + 1]!);
  }
  return out;
}

function nibble(c: string): number {
  return c === '=' ? Z_SEPARATOR : c.charCodeAt(0) - 0x30;
}

/** Unpacks `count` digits from BCD bytes; the pad nibble of an odd count must be 0. */
export function unpackBcd(
  bytes: Buffer,
  count: number,
  opts: { rightJustify?: boolean; z?: boolean } = {},
): string {
  const nibbles: number[] = [];
  for (const b of bytes) nibbles.push(b >> 4, b & 0x0f);
  let digits = nibbles;
  if (count % 2 === 1) {
    const pad = opts.rightJustify ? nibbles[0] : nibbles[nibbles.length - 1];
    if (pad !== 0) {
      throw new IsoCodecError(`odd-length BCD pad nibble is ${pad?.toString(16)}, expected 0`);
    }
    digits = opts.rightJustify ? nibbles.slice(1) : nibbles.slice(0, count);
  }
  let s = '';
  for (const n of digits) {
    if (n <= 9) s += String(n);
    else if (opts.z && n === Z_SEPARATOR) s += '=';
    else throw new IsoCodecError(`invalid BCD nibble ${n.toString(16).toUpperCase()}`);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Fields

function isAsciiPrintable(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

/** Encodes one field, length prefix included. */
export function encodeField(no: number, value: FieldValue): Buffer {
  const spec = FIELDS[no];
  if (!spec) throw new IsoCodecError(`field ${no} is not part of this dialect`);
  const where = `field ${no} (${spec.name})`;
  let data: Buffer;
  let units: number;
  if (spec.type === 'b') {
    if (!Buffer.isBuffer(value)) throw new IsoCodecError(`${where}: binary field needs a Buffer`);
    data = value;
    units = value.length;
  } else {
    if (typeof value !== 'string') throw new IsoCodecError(`${where}: needs a string`);
    if (spec.type === 'n' || spec.type === 'z') {
      units = value.length;
      if (spec.length === 'fixed' && units !== spec.max) {
        throw new IsoCodecError(`${where}: needs exactly ${spec.max} digits, got ${units}`);
      }
      data = packBcd(value, { rightJustify: spec.rightJustify, z: spec.type === 'z' });
    } else {
      if (!isAsciiPrintable(value)) throw new IsoCodecError(`${where}: not printable ASCII`);
      const text = spec.length === 'fixed' ? value.padEnd(spec.max, ' ') : value;
      data = Buffer.from(text, 'ascii');
      units = data.length;
    }
  }
  if (spec.length === 'fixed') {
    if (units !== spec.max) {
      throw new IsoCodecError(`${where}: needs exactly ${spec.max}, got ${units}`);
    }
    return data;
  }
  if (units > spec.max) throw new IsoCodecError(`${where}: ${units} exceeds maximum ${spec.max}`);
  const prefix =
    spec.length === 'LL'
      ? packBcd(String(units).padStart(2, '0'))
      : packBcd(String(units).padStart(4, '0'));
  return Buffer.concat([prefix, data]);
}

/** Decodes one field at `offset`; returns the value and the offset after it. */
export function decodeField(
  no: number,
  buf: Buffer,
  offset: number,
): { value: FieldValue; next: number } {
  const spec = FIELDS[no];
  if (!spec) throw new IsoCodecError(`field ${no} is not part of this dialect`);
  const where = `field ${no} (${spec.name})`;
  let pos = offset;
  let units = spec.max;
  if (spec.length !== 'fixed') {
    const prefixBytes = spec.length === 'LL' ? 1 : 2;
    need(buf, pos, prefixBytes, where);
    units = Number(unpackBcd(buf.subarray(pos, pos + prefixBytes), prefixBytes * 2));
    pos += prefixBytes;
    if (units > spec.max) {
      throw new IsoCodecError(`${where}: length ${units} exceeds maximum ${spec.max}`);
    }
  }
  const numeric = spec.type === 'n' || spec.type === 'z';
  const bytes = numeric ? Math.ceil(units / 2) : units;
  need(buf, pos, bytes, where);
  const raw = buf.subarray(pos, pos + bytes);
  let value: FieldValue;
  if (spec.type === 'b') {
    value = Buffer.from(raw);
  } else if (numeric) {
    try {
      value = unpackBcd(raw, units, { rightJustify: spec.rightJustify, z: spec.type === 'z' });
    } catch (e) {
      throw new IsoCodecError(`${where}: ${(e as Error).message}`);
    }
  } else {
    value = raw.toString('latin1');
    if (!isAsciiPrintable(value)) throw new IsoCodecError(`${where}: not printable ASCII`);
  }
  return { value, next: pos + bytes };
}

function need(buf: Buffer, pos: number, n: number, where: string): void {
  if (pos + n > buf.length) {
    throw new IsoCodecError(
      `${where}: needs ${n} bytes at offset ${pos}, message ends at ${buf.length}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Message body: MTI | BITMAP | fields

/** Field numbers present in an 8-byte primary bitmap, ascending. */
export function bitmapFields(bitmap: Buffer): number[] {
  const out: number[] = [];
  for (let i = 1; i <= 64; i++) {
    if (bitmap[(i - 1) >> 3]! & (0x80 >> ((i - 1) & 7))) out.push(i);
  }
  return out;
}

export function buildBitmap(fieldNos: Iterable<number>): Buffer {
  const bm = Buffer.alloc(8);
  for (const i of fieldNos) {
    if (i < 2 || i > 64) throw new IsoCodecError(`field ${i} cannot be in a primary bitmap`);
    bm[(i - 1) >> 3]! |= 0x80 >> ((i - 1) & 7);
  }
  return bm;
}

function sortedFieldNos(fields: FieldMap): number[] {
  return Object.keys(fields)
    .map(Number)
    .sort((a, b) => a - b);
}

/** MTI + bitmap + fields. */
export function encodeBody(msg: IsoMessage): Buffer {
  if (!/^\d{4}$/.test(msg.mti)) throw new IsoCodecError(`bad MTI ${msg.mti}`);
  const nos = sortedFieldNos(msg.fields);
  const parts = [packBcd(msg.mti), buildBitmap(nos)];
  for (const no of nos) parts.push(encodeField(no, msg.fields[no]!));
  return Buffer.concat(parts);
}

export interface DecodedBody extends IsoMessage {
  bitmap: Buffer;
  /** Offset (within the body) where each field starts, prefix included. */
  offsets: Record<number, number>;
}

export function decodeBody(body: Buffer): DecodedBody {
  if (body.length < 10)
    throw new IsoCodecError(`message body of ${body.length} bytes is too short`);
  const mti = unpackBcd(body.subarray(0, 2), 4);
  const bitmap = Buffer.from(body.subarray(2, 10));
  const fields: FieldMap = {};
  const offsets: Record<number, number> = {};
  if (bitmap[0]! & 0x80) {
    throw new IsoCodecError('secondary bitmap flagged; this dialect uses the primary only', {
      mti,
      fields,
    });
  }
  let pos = 10;
  for (const no of bitmapFields(bitmap)) {
    offsets[no] = pos;
    try {
      const { value, next } = decodeField(no, body, pos);
      fields[no] = value;
      pos = next;
    } catch (e) {
      throw new IsoCodecError((e as Error).message, { mti, fields });
    }
  }
  if (pos !== body.length) {
    throw new IsoCodecError(`${body.length - pos} bytes left after the last field`, {
      mti,
      fields,
    });
  }
  return { mti, fields, bitmap, offsets };
}

// ---------------------------------------------------------------------------------------------
// Frame: LEN | TPDU | HEADER | body

export interface Frame {
  tpdu: Buffer;
  header: Buffer;
  body: Buffer;
}

export function encodeFrame(frame: Frame): Buffer {
  if (frame.tpdu.length !== 5) throw new IsoCodecError('TPDU must be 5 bytes');
  if (frame.header.length !== 6) throw new IsoCodecError('header must be 6 bytes');
  const len = 5 + 6 + frame.body.length;
  if (len > 0xffff) throw new IsoCodecError('frame too long');
  const out = Buffer.alloc(2 + len);
  out.writeUInt16BE(len, 0);
  frame.tpdu.copy(out, 2);
  frame.header.copy(out, 7);
  frame.body.copy(out, 13);
  return out;
}

/** Splits one complete frame (LEN included) into its parts. */
export function splitFrame(buf: Buffer): Frame {
  if (buf.length < 2) throw new IsoCodecError('frame shorter than its length prefix');
  const len = buf.readUInt16BE(0);
  if (len !== buf.length - 2) {
    throw new IsoCodecError(`LEN says ${len}, frame carries ${buf.length - 2} bytes`);
  }
  if (len < 11 + 10) throw new IsoCodecError(`frame of ${len} bytes is too short`);
  return {
    tpdu: Buffer.from(buf.subarray(2, 7)),
    header: Buffer.from(buf.subarray(7, 13)),
    body: Buffer.from(buf.subarray(13)),
  };
}

/** TPDU as a host answers it: destination and source swapped. */
export function swapTpdu(tpdu: Buffer): Buffer {
  return Buffer.concat([tpdu.subarray(0, 1), tpdu.subarray(3, 5), tpdu.subarray(1, 3)]);
}

/** Accumulates stream bytes and yields whole frames (LEN included). */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    while (this.pending.length >= 2) {
      const total = 2 + this.pending.readUInt16BE(0);
      if (this.pending.length < total) break;
      frames.push(Buffer.from(this.pending.subarray(0, total)));
      this.pending = this.pending.subarray(total);
    }
    return frames;
  }
}

// ---------------------------------------------------------------------------------------------
// F54 balances

export interface Balance {
  accountType: string;
  amountType: string;
  currency: string;
  signedFen: number;
}

/** One F54 entry: account type n2 + amount type n2 + currency n3 + C/D + amount n12 (fen). */
export function formatBalance(b: Balance): string {
  if (!/^\d{2}$/.test(b.accountType) || !/^\d{2}$/.test(b.amountType)) {
    throw new IsoCodecError('F54 account and amount types are n2');
  }
  if (!/^\d{3}$/.test(b.currency)) throw new IsoCodecError('F54 currency is n3');
  if (!Number.isSafeInteger(b.signedFen) || Math.abs(b.signedFen) > 999_999_999_999) {
    throw new IsoCodecError('F54 amount must be an integer of at most 12 digits');
  }
  const sign = b.signedFen < 0 ? 'D' : 'C';
  return `${b.accountType}${b.amountType}${b.currency}${sign}${String(Math.abs(b.signedFen)).padStart(12, '0')}`;
}

export function parseBalances(f54: string): Balance[] {
  if (f54.length % 20 !== 0) {
    throw new IsoCodecError(`F54 length ${f54.length} is not a multiple of 20`);
  }
  const out: Balance[] = [];
  for (let i = 0; i < f54.length; i += 20) {
    const e = f54.slice(i, i + 20);
    const m = /^(\d{2})(\d{2})(\d{3})([CD])(\d{12})$/.exec(e);
    if (!m)
      throw new IsoCodecError(`F54 entry ${JSON.stringify(e)} does not match n2 n2 n3 C/D n12`);
    const amount = Number(m[5]);
    out.push({
      accountType: m[1]!,
      amountType: m[2]!,
      currency: m[3]!,
      signedFen: m[4] === 'D' ? -amount : amount,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// small helpers

export function hex(b: Buffer): string {
  return b.toString('hex').toUpperCase();
}

export function fromHex(s: string): Buffer {
  const clean = s.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`not hex: ${s}`);
  return Buffer.from(clean, 'hex');
}
