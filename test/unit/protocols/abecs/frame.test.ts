import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AbecsFrameParser,
  crc16Xmodem,
  encodeFrame,
  escapePktData,
  frameCrc,
  type AbecsFrameEvent,
} from '../../../../src-main/protocols/abecs';

interface VectorFile {
  frames: Array<{ pktdata_ascii: string; frame?: string; crc?: string }>;
}
const vectors = JSON.parse(
  readFileSync(path.resolve(process.cwd(), 'test/fixtures/vectors/abecs-frames.json'), 'utf8'),
) as VectorFile;

describe('ABECS CRC and framing vectors', () => {
  for (const v of vectors.frames) {
    it(`reproduces ${v.pktdata_ascii}`, () => {
      const pkt = Buffer.from(v.pktdata_ascii, 'latin1');
      const crc = frameCrc(pkt).toString(16).toUpperCase().padStart(4, '0');
      if (v.crc) expect(crc).toBe(v.crc);
      if (v.frame) {
        expect(encodeFrame(pkt).toString('hex').toUpperCase()).toBe(v.frame);
        const events = new AbecsFrameParser().push(Buffer.from(v.frame, 'hex'));
        expect(events).toEqual([{ type: 'frame', data: pkt }]);
      }
    });
  }

  it('computes CRC-16/XMODEM check value 31C3 for "123456789"', () => {
    expect(crc16Xmodem(Buffer.from('123456789'))).toBe(0x31c3);
  });
});

describe('escaping', () => {
  it('escapes 13h, 16h, 17h as DC3 + byte+20h and nothing else', () => {
    expect(escapePktData(Buffer.from([0x41, 0x13, 0x16, 0x17, 0x06, 0x18])).toString('hex')).toBe(
      '411333133613370618',
    );
  });

  it('does not escape CRC bytes even when they are control values', () => {
    // Search for a payload whose CRC contains 16h/17h/13h and check the tail stays raw.
    let found: Buffer | undefined;
    for (let i = 0; i < 5000 && !found; i++) {
      const pkt = Buffer.from(`CMD${i}`);
      const crc = frameCrc(pkt);
      if ([crc >> 8, crc & 0xff].some((b) => b === 0x13 || b === 0x16 || b === 0x17)) found = pkt;
    }
    expect(found).toBeDefined();
    const frame = encodeFrame(found!);
    const crc = frameCrc(found!);
    expect([...frame.subarray(-2)]).toEqual([crc >> 8, crc & 0xff]);
    expect(new AbecsFrameParser().push(frame)).toEqual([{ type: 'frame', data: found }]);
  });
});

describe('streaming parser', () => {
  it('reassembles a frame delivered one byte at a time', () => {
    const parser = new AbecsFrameParser();
    const frame = encodeFrame(Buffer.from([0x43, 0x45, 0x58, 0x00, 0x06, 0x13, 0x16, 0x17]));
    const events: AbecsFrameEvent[] = [];
    for (const b of frame) events.push(...parser.push(Buffer.of(b)));
    expect(events).toEqual([
      { type: 'frame', data: Buffer.from([0x43, 0x45, 0x58, 0x00, 0x06, 0x13, 0x16, 0x17]) },
    ]);
  });

  it('reports control bytes, garbage and a bad CRC as typed events', () => {
    const good = encodeFrame(Buffer.from('OPN000'));
    const bad = Buffer.from(good);
    bad[bad.length - 1]! ^= 0xff;
    const events = new AbecsFrameParser().push(
      Buffer.concat([Buffer.of(0x06), Buffer.from('xyz'), Buffer.of(0x15, 0x04, 0x18), bad, good]),
    );
    expect(events).toEqual([
      { type: 'ack' },
      { type: 'garbage', bytes: Buffer.from('xyz') },
      { type: 'nak' },
      { type: 'eot' },
      { type: 'can' },
      { type: 'bad-frame', reason: 'crc' },
      { type: 'frame', data: Buffer.from('OPN000') },
    ]);
  });

  it('treats control byte values inside PKTDATA as data', () => {
    const pkt = Buffer.from([0x43, 0x45, 0x58, 0x06, 0x15, 0x04, 0x18]);
    expect(new AbecsFrameParser().push(encodeFrame(pkt))).toEqual([{ type: 'frame', data: pkt }]);
  });

  it('reports a frame interrupted by a new SYN and keeps the new frame', () => {
    const good = encodeFrame(Buffer.from('GIN000'));
    const events = new AbecsFrameParser().push(
      Buffer.concat([Buffer.from([0x16, 0x41, 0x42]), good]),
    );
    expect(events).toEqual([
      { type: 'bad-frame', reason: 'interrupted' },
      { type: 'frame', data: Buffer.from('GIN000') },
    ]);
  });

  it('rejects a bad escape and swallows the rest of that frame', () => {
    const events = new AbecsFrameParser().push(
      Buffer.from([0x16, 0x41, 0x13, 0x41, 0x06, 0x17, 0x00, 0x00, 0x04]),
    );
    expect(events).toEqual([{ type: 'bad-frame', reason: 'escape' }, { type: 'eot' }]);
  });

  it('rejects PKTDATA over 2049 bytes', () => {
    const events = new AbecsFrameParser().push(
      Buffer.concat([Buffer.of(0x16), Buffer.alloc(2100, 0x41)]),
    );
    expect(events).toEqual([{ type: 'bad-frame', reason: 'too-long' }]);
    expect(() => encodeFrame(Buffer.alloc(2050, 0x41))).toThrow(/exceeds/);
  });

  it('reset() drops a half frame (inter-byte timeout)', () => {
    const parser = new AbecsFrameParser();
    parser.push(Buffer.from([0x16, 0x41]));
    expect(parser.inFrame).toBe(true);
    parser.reset();
    expect(parser.inFrame).toBe(false);
    expect(parser.push(encodeFrame(Buffer.from('OPN')))).toEqual([
      { type: 'frame', data: Buffer.from('OPN') },
    ]);
  });

  it('round-trips any PKTDATA split at any points', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(400), { maxLength: 5 }),
        (data, cuts) => {
          const frame = encodeFrame(data);
          const points = [...new Set(cuts.map((c) => c % frame.length))].sort((a, b) => a - b);
          const parser = new AbecsFrameParser();
          const events: AbecsFrameEvent[] = [];
          let last = 0;
          for (const p of [...points, frame.length]) {
            events.push(...parser.push(frame.subarray(last, p)));
            last = p;
          }
          expect(events).toEqual([{ type: 'frame', data: Buffer.from(data) }]);
        },
      ),
    );
  });
});
