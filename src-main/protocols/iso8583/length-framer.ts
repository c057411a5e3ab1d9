// Splits a TCP byte stream into frames that carry a 2-byte big-endian length header.
// Pure: the channel feeds chunks in and gets whole frame bodies out.
import { Iso8583Error } from './errors';

export class LengthPrefixedFramer {
  private pending: Buffer = Buffer.alloc(0);

  /** @param maxBody frames announcing more than this are refused (protects memory). */
  constructor(private readonly maxBody = 8192) {}

  /** Adds bytes; returns every frame body now complete (without its length header). */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.pending.length >= 2) {
      const len = this.pending.readUInt16BE(0);
      if (len > this.maxBody) {
        this.pending = Buffer.alloc(0);
        throw new Iso8583Error('ISO_BAD_LENGTH', `frame length ${len} exceeds ${this.maxBody}`);
      }
      if (this.pending.length < 2 + len) break;
      out.push(Buffer.from(this.pending.subarray(2, 2 + len)));
      this.pending = this.pending.subarray(2 + len);
    }
    return out;
  }

  /** Bytes of an incomplete frame still waiting; non-zero at close means a cut frame. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  reset(): void {
    this.pending = Buffer.alloc(0);
  }
}
