// BER-TLV as EMV uses it (ISO 7816-4 tags and lengths): the F55 field and PP_EMVDATA payloads.
import { AbecsMessageError } from './errors';

export interface EmvTag {
  /** Upper-case hex, e.g. "9F26". */
  tag: string;
  value: Buffer;
}

export function encodeEmvTlv(tags: readonly EmvTag[]): Buffer {
  return Buffer.concat(
    tags.map(({ tag, value }) => {
      if (!/^([0-9A-F]{2})+$/i.test(tag))
        throw new AbecsMessageError('ABECS_BAD_TLV', `bad EMV tag "${tag}"`);
      return Buffer.concat([Buffer.from(tag, 'hex'), emvLength(value.length), value]);
    }),
  );
}

function emvLength(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  if (length <= 0xff) return Buffer.of(0x81, length);
  if (length <= 0xffff) return Buffer.of(0x82, length >> 8, length & 0xff);
  throw new AbecsMessageError('ABECS_BAD_TLV', `EMV value of ${length} bytes is too long`);
}

export function decodeEmvTlv(data: Uint8Array): EmvTag[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const tags: EmvTag[] = [];
  let at = 0;
  while (at < buf.length) {
    // 00h and FFh are padding between objects.
    if (buf[at] === 0x00 || buf[at] === 0xff) {
      at++;
      continue;
    }
    const tagStart = at;
    if ((buf[at++]! & 0x1f) === 0x1f) {
      while (at < buf.length && buf[at]! & 0x80) at++;
      at++;
    }
    if (at >= buf.length) throw new AbecsMessageError('ABECS_BAD_TLV', 'truncated EMV tag');
    const tag = buf.subarray(tagStart, at).toString('hex').toUpperCase();
    let length = buf[at++]!;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 2 || at + count > buf.length) {
        throw new AbecsMessageError('ABECS_BAD_TLV', `bad EMV length for ${tag}`);
      }
      length = count === 1 ? buf[at]! : buf.readUInt16BE(at);
      at += count;
    }
    if (at + length > buf.length)
      throw new AbecsMessageError('ABECS_BAD_TLV', `truncated EMV value ${tag}`);
    tags.push({ tag, value: Buffer.from(buf.subarray(at, at + length)) });
    at += length;
  }
  return tags;
}

/** Tag list (SPE_TAGLIST): concatenated tag bytes without lengths. */
export function encodeTagList(tags: readonly string[]): Buffer {
  return Buffer.concat(tags.map((t) => Buffer.from(t, 'hex')));
}

export function decodeTagList(data: Uint8Array): string[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const tags: string[] = [];
  let at = 0;
  while (at < buf.length) {
    const start = at;
    if ((buf[at++]! & 0x1f) === 0x1f) {
      while (at < buf.length && buf[at]! & 0x80) at++;
      at++;
    }
    tags.push(buf.subarray(start, Math.min(at, buf.length)).toString('hex').toUpperCase());
  }
  return tags;
}
