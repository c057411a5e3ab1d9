// Generic table-driven packer / unpacker for a one-bitmap ISO 8583 dialect with BCD MTI,
// BCD length prefixes and BCD numeric fields.
import { Iso8583Error } from './errors';
import type { FieldSpec, FieldTable } from './field-spec';
import type { FieldValue, IsoMessage } from './message';

const DIGITS = /^\d*$/;
const TRACK = /^[\d=]*$/;
// an/ans travel one byte per character. Anything a byte can carry is accepted (hosts put
// punctuation into "an" fields and GBK text into some "ans" ones), so every value the unpacker
// returns can be packed again; callers that need printable text check it themselves.
function fitsOneByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false;
  return true;
}

function bcdEncode(digits: string, justify: 'left' | 'right'): Buffer {
  const hex = digits.length % 2 === 0 ? digits : justify === 'left' ? digits + '0' : '0' + digits;
  return Buffer.from(hex, 'hex');
}

/** Decodes `nDigits` digits from `byteLen` bytes; 'z' also allows D (as '='). */
function bcdDecode(
  buf: Buffer,
  start: number,
  byteLen: number,
  nDigits: number,
  justify: 'left' | 'right',
  type: 'n' | 'z',
  field: number,
): string {
  const hex = buf.toString('hex', start, start + byteLen);
  const odd = nDigits % 2 === 1;
  const body = !odd ? hex : justify === 'left' ? hex.slice(0, -1) : hex.slice(1);
  if (odd) {
    const pad = justify === 'left' ? hex[hex.length - 1] : hex[0];
    // The pad nibble is 0 in this dialect; F is tolerated because some terminals send it.
    if (pad !== '0' && pad !== 'f') {
      throw new Iso8583Error('ISO_NOT_BCD', 'pad nibble is not 0 or F', field);
    }
  }
  if (type === 'z') {
    const out = body.replace(/d/g, '=');
    if (!TRACK.test(out))
      throw new Iso8583Error('ISO_NOT_BCD', 'non-BCD nibble in track data', field);
    return out;
  }
  if (!DIGITS.test(body)) throw new Iso8583Error('ISO_NOT_BCD', 'non-BCD nibble', field);
  return body;
}

function readBcdNumber(buf: Buffer, offset: number, bytes: number, field: number): number {
  if (offset + bytes > buf.length) {
    throw new Iso8583Error('ISO_TRUNCATED', 'frame ends inside a length prefix', field);
  }
  const hex = buf.toString('hex', offset, offset + bytes);
  if (!DIGITS.test(hex)) throw new Iso8583Error('ISO_NOT_BCD', 'length prefix is not BCD', field);
  return Number(hex);
}

export class Iso8583Packager {
  constructor(readonly fields: FieldTable) {}

  spec(field: number): FieldSpec | undefined {
    return this.fields[field];
  }

  /** MTI + bitmap + fields, in field order. */
  pack(message: IsoMessage): Buffer {
    if (!/^\d{4}$/.test(message.mti)) throw new Iso8583Error('ISO_BAD_MTI', 'MTI must be 4 digits');
    const numbers = [...message.fields.keys()].sort((a, b) => a - b);
    const bitmap = Buffer.alloc(8);
    const parts: Buffer[] = [Buffer.from(message.mti, 'hex'), bitmap];
    for (const n of numbers) {
      const spec = this.fields[n];
      if (n < 2 || n > 64 || !spec) {
        throw new Iso8583Error('ISO_UNDEFINED_FIELD', 'field is not defined in this dialect', n);
      }
      bitmap[(n - 1) >> 3]! |= 0x80 >> ((n - 1) & 7);
      this.packField(n, spec, message.fields.get(n)!, parts);
    }
    return Buffer.concat(parts);
  }

  private packField(n: number, spec: FieldSpec, value: FieldValue, parts: Buffer[]): void {
    const variable = spec.lengthKind !== 'fixed';
    let body: Buffer;
    let count: number;
    if (spec.type === 'b') {
      if (!Buffer.isBuffer(value)) throw new Iso8583Error('ISO_BAD_VALUE', 'expects bytes', n);
      body = value;
      count = value.length;
    } else {
      if (typeof value !== 'string') throw new Iso8583Error('ISO_BAD_VALUE', 'expects text', n);
      count = value.length;
      if (spec.type === 'n' || spec.type === 'z') {
        const ok = spec.type === 'n' ? DIGITS.test(value) : TRACK.test(value);
        if (!ok) throw new Iso8583Error('ISO_BAD_VALUE', 'expects digits', n);
        const digits = spec.type === 'z' ? value.replace(/=/g, 'D') : value;
        body = bcdEncode(digits, spec.justify);
      } else {
        if (!fitsOneByte(value)) {
          throw new Iso8583Error('ISO_BAD_VALUE', 'expects one-byte characters', n);
        }
        body = Buffer.from(
          !variable && value.length < spec.length ? value.padEnd(spec.length, ' ') : value,
          'latin1',
        );
        count = body.length;
      }
    }
    if (variable) {
      if (count > spec.length) {
        throw new Iso8583Error('ISO_LENGTH_EXCEEDS_MAX', `length ${count} > max ${spec.length}`, n);
      }
      const prefix = count.toString().padStart(spec.lengthKind === 'LL' ? 2 : 4, '0');
      parts.push(Buffer.from(prefix, 'hex'));
    } else if (spec.type === 'an' || spec.type === 'ans') {
      if (count !== spec.length) {
        throw new Iso8583Error('ISO_BAD_LENGTH', `length must be ${spec.length}`, n);
      }
    } else if (count !== spec.length) {
      throw new Iso8583Error('ISO_BAD_LENGTH', `length must be ${spec.length}`, n);
    }
    parts.push(body);
  }

  /** Inverse of pack; `buf` must hold exactly one message. */
  unpack(buf: Buffer): IsoMessage {
    if (buf.length < 10) throw new Iso8583Error('ISO_TRUNCATED', 'shorter than MTI and bitmap');
    const mti = buf.toString('hex', 0, 2);
    if (!DIGITS.test(mti)) throw new Iso8583Error('ISO_BAD_MTI', 'MTI is not BCD');
    const bitmap = buf.subarray(2, 10);
    if (bitmap[0]! & 0x80) {
      throw new Iso8583Error(
        'ISO_SECONDARY_BITMAP',
        'secondary bitmap is not used in this dialect',
      );
    }
    const fields = new Map<number, FieldValue>();
    let offset = 10;
    for (let n = 2; n <= 64; n++) {
      if (!(bitmap[(n - 1) >> 3]! & (0x80 >> ((n - 1) & 7)))) continue;
      const spec = this.fields[n];
      if (!spec)
        throw new Iso8583Error('ISO_UNDEFINED_FIELD', 'bitmap names an undefined field', n);
      offset = this.unpackField(buf, offset, n, spec, fields);
    }
    if (offset !== buf.length) {
      throw new Iso8583Error('ISO_TRAILING_BYTES', `${buf.length - offset} bytes after last field`);
    }
    return { mti, fields };
  }

  private unpackField(
    buf: Buffer,
    start: number,
    n: number,
    spec: FieldSpec,
    out: Map<number, FieldValue>,
  ): number {
    let offset = start;
    let count = spec.length;
    if (spec.lengthKind !== 'fixed') {
      const prefixBytes = spec.lengthKind === 'LL' ? 1 : 2;
      count = readBcdNumber(buf, offset, prefixBytes, n);
      offset += prefixBytes;
      if (count > spec.length) {
        throw new Iso8583Error('ISO_LENGTH_EXCEEDS_MAX', `length ${count} > max ${spec.length}`, n);
      }
    }
    const bcd = spec.type === 'n' || spec.type === 'z';
    const byteLen = bcd ? (count + 1) >> 1 : count;
    if (offset + byteLen > buf.length) {
      throw new Iso8583Error('ISO_TRUNCATED', 'frame ends inside the field', n);
    }
    if (bcd) {
      out.set(n, bcdDecode(buf, offset, byteLen, count, spec.justify, spec.type as 'n' | 'z', n));
    } else if (spec.type === 'b') {
      out.set(n, Buffer.from(buf.subarray(offset, offset + byteLen)));
    } else {
      out.set(n, buf.toString('latin1', offset, offset + byteLen));
    }
    return offset + byteLen;
  }

  /**
   * The MAC block: bytes from the MTI through the last field before 64, i.e. the packed
   * message without its trailing 8-byte F64.
   */
  static macBlock(packed: Buffer): Buffer {
    return packed.subarray(0, packed.length - 8);
  }

  /**
   * Packs a message whose F64 is computed over its own MAB: F64 is reserved (bit set, 8 zero
   * bytes), the MAB is signed, and the MAC is written into the last 8 bytes.
   */
  packWithMac(message: IsoMessage, mac: (mab: Buffer) => Buffer): Buffer {
    const fields = new Map(message.fields);
    fields.set(64, Buffer.alloc(8));
    const packed = this.pack({ mti: message.mti, fields });
    const value = mac(Iso8583Packager.macBlock(packed));
    if (value.length !== 8) throw new Iso8583Error('ISO_BAD_VALUE', 'MAC must be 8 bytes', 64);
    value.copy(packed, packed.length - 8);
    return packed;
  }
}
