// Fuzzing the unpacker: random bytes and mutated valid frames must give a value or an
// Iso8583Error, never another exception and never a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cupPosFields,
  cupPosPackager,
  decodeFrame,
  encodeFrame,
  Iso8583Error,
} from '../../../../src-main/protocols/iso8583';
import { hex, loadCryptoVectors } from '../../crypto/vectors';
import { messageArb } from './arbitraries';

const v = loadCryptoVectors();
const seeds = [
  hex(v.signon_response_0810.frame).subarray(13),
  Buffer.concat([hex(v.mac_ecb_des.mab), Buffer.from(v.mac_ecb_des.mac_ascii)]),
];

function tryUnpack(bytes: Buffer): 'ok' | 'typed' {
  let m;
  try {
    m = cupPosPackager.unpack(bytes);
  } catch (e) {
    if (e instanceof Iso8583Error) return 'typed';
    throw e;
  }
  // Whatever unpacks must pack again (a simulator echoes fields) and unpack to the same values.
  const again = cupPosPackager.unpack(cupPosPackager.pack(m));
  expect(again.fields).toEqual(m.fields);
  return 'ok';
}

describe('unpacker fuzz', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), (a) => {
        tryUnpack(Buffer.from(a));
      }),
      { numRuns: 5000 },
    );
  });

  it('random bytes behind a plausible MTI and bitmap', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        (bitmap, rest) => {
          bitmap[0]! &= 0x7f;
          tryUnpack(Buffer.concat([Buffer.from([0x02, 0x10]), bitmap, rest]));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('mutated valid frames (byte flips, cuts, insertions)', () => {
    const mutation = fc.record({
      seed: fc.oneof(
        fc.constantFrom(...seeds),
        messageArb(cupPosFields).map((m) => cupPosPackager.pack(m)),
      ),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      cut: fc.option(fc.nat()),
      insert: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 5 }))),
    });
    let typed = 0;
    fc.assert(
      fc.property(mutation, ({ seed, flips, cut, insert }) => {
        let b = Buffer.from(seed);
        for (const [pos, val] of flips) if (b.length) b[pos % b.length] = val;
        if (insert) {
          const at = insert[0] % (b.length + 1);
          b = Buffer.concat([b.subarray(0, at), Buffer.from(insert[1]), b.subarray(at)]);
        }
        if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
        if (tryUnpack(b) === 'typed') typed++;
      }),
      { numRuns: 4000 },
    );
    // The mutations must actually reach the error paths.
    expect(typed).toBeGreaterThan(100);
  });

  it('whole frames with random length headers', () => {
    const frame = hex(v.signon_response_0810.frame);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        fc.nat({ max: frame.length }),
        (len, cut) => {
          const b = Buffer.from(frame.subarray(0, Math.max(cut, 2)));
          b.writeUInt16BE(len, 0);
          try {
            decodeFrame(b, cupPosPackager);
          } catch (e) {
            expect(e).toBeInstanceOf(Iso8583Error);
          }
        },
      ),
      { numRuns: 2000 },
    );
    expect(() =>
      encodeFrame(
        { tpdu: 'XYZ', header: '00', message: { mti: '0800', fields: new Map() } },
        cupPosPackager,
      ),
    ).toThrow(Iso8583Error);
  });
});
