import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Iso8583Error,
  LengthPrefixedFramer,
  withLengthHeader,
} from '../../../../src-main/protocols/iso8583';

describe('2-byte length framer', () => {
  it('gives back the same frames however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 50 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map((b) => withLengthHeader(Buffer.from(b))));
          const framer = new LengthPrefixedFramer();
          const out: Buffer[] = [];
          let pos = 0;
          let i = 0;
          while (pos < stream.length) {
            const n = cuts[i++ % cuts.length]!;
            out.push(...framer.push(stream.subarray(pos, pos + n)));
            pos += n;
          }
          expect(out.map((b) => b.toString('hex'))).toEqual(
            bodies.map((b) => Buffer.from(b).toString('hex')),
          );
          expect(framer.bufferedBytes).toBe(0);
        },
      ),
    );
  });

  it('reports a cut frame and refuses an oversized length with a typed error', () => {
    const framer = new LengthPrefixedFramer(100);
    expect(framer.push(Buffer.from('000501', 'hex'))).toEqual([]);
    expect(framer.bufferedBytes).toBe(3);
    const big = new LengthPrefixedFramer(100);
    expect(() => big.push(Buffer.from('0065', 'hex'))).toThrow(Iso8583Error);
    expect(big.bufferedBytes).toBe(0);
  });
});
