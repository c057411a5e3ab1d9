import { describe, expect, it } from 'vitest';
import {
  CUT_MARKER,
  EscPosParser,
  EscPosTextRenderer,
  optimizeEscPos,
} from '../../../../src-main/protocols/escpos';

const gb = (hex: string): number[] => Array.from(Buffer.from(hex, 'hex'));

function render(bytes: Uint8Array, columns = 32, chunk = bytes.length): string[] {
  const parser = new EscPosParser();
  const renderer = new EscPosTextRenderer(columns);
  for (let i = 0; i < bytes.length; i += chunk) {
    for (const { token } of parser.push(bytes.subarray(i, i + chunk))) renderer.consume(token);
  }
  return renderer.lines;
}

describe('EscPosParser and EscPosTextRenderer', () => {
  // ESC @, FS &, "余额" (D3 E0 B6 EE), ￥ (A3 A4), "12", LF, GS V B 0
  const sample = Uint8Array.from([
    0x1b,
    0x40,
    0x1c,
    0x26,
    ...gb('d3e0b6ee'),
    0x20,
    ...gb('a3a4'),
    0x31,
    0x32,
    0x0a,
    0x1d,
    0x56,
    0x42,
    0x00,
  ]);

  it('decodes GB18030 text after FS & and marks the cut', () => {
    expect(render(sample)).toEqual(['余额 ￥12', CUT_MARKER]);
  });

  it('gives the same result when the bytes arrive one at a time', () => {
    expect(render(sample, 32, 1)).toEqual(['余额 ￥12', CUT_MARKER]);
  });

  it('without FS & the same bytes are not Chinese (so the slip must send it)', () => {
    const noKanji = sample.filter((_, i) => i !== 2 && i !== 3);
    expect(render(Uint8Array.from(noKanji))[0]).not.toContain('余额');
  });

  it('reads a four-byte GB18030 sequence (half-width ¥ is 81 30 84 36)', () => {
    const bytes = Uint8Array.from([0x1c, 0x26, ...gb('81308436'), 0x0a]);
    expect(render(bytes)).toEqual(['\u00a5']);
  });

  it('recognises real-time status and GS r requests', () => {
    const tokens = new EscPosParser().push(Uint8Array.from([0x10, 0x04, 0x02, 0x1d, 0x72, 0x01]));
    expect(tokens.map((t) => t.token)).toEqual([
      { kind: 'realtime-status', n: 2 },
      { kind: 'transmit-status', n: 1 },
    ]);
  });

  it('skips a raster image as one token, even when its data contains DLE EOT', () => {
    const raster = [0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x03, 0x00, 0x10, 0x04, 0x01];
    const tokens = new EscPosParser().push(Uint8Array.from(raster));
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.token).toMatchObject({ kind: 'raster', widthDots: 8, heightDots: 3 });
  });

  it('notes a native QR code with its data', () => {
    const data = Buffer.from('RRN332113000123');
    const store = [0x1d, 0x28, 0x6b, data.length + 3, 0, 0x31, 0x50, 0x30, ...data];
    const print = [0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30];
    expect(render(Uint8Array.from([...store, ...print]))).toEqual(['[QR: RRN332113000123]']);
  });

  it('places text by absolute position and centre alignment', () => {
    const bytes = Uint8Array.from([
      0x1b,
      0x61,
      0x01,
      0x41,
      0x42,
      0x0a, // centred "AB" on 32 columns
      0x1b,
      0x61,
      0x00,
      0x1b,
      0x24,
      120,
      0,
      0x43,
      0x0a, // "C" at dot 120 = column 10
    ]);
    expect(render(bytes)).toEqual([`${' '.repeat(15)}AB`, `${' '.repeat(10)}C`]);
  });
});

describe('optimizeEscPos', () => {
  it('drops settings that repeat the current value but keeps the first FS & after ESC @', () => {
    const bold = [0x1b, 0x45, 0x01];
    const bytes = Uint8Array.from([
      0x1b,
      0x40,
      0x1c,
      0x26,
      ...bold,
      0x41,
      0x0a,
      0x1c,
      0x26,
      ...bold,
      0x42,
      0x0a,
      0x1b,
      0x40,
      0x1c,
      0x26,
      0x43,
      0x0a,
    ]);
    const out = Array.from(optimizeEscPos(bytes));
    expect(out).toEqual([
      0x1b,
      0x40,
      0x1c,
      0x26,
      ...bold,
      0x41,
      0x0a,
      0x42,
      0x0a,
      0x1b,
      0x40,
      0x1c,
      0x26,
      0x43,
      0x0a,
    ]);
  });

  it('keeps a setting that changes the state', () => {
    const bytes = Uint8Array.from([0x1b, 0x45, 0x01, 0x41, 0x1b, 0x45, 0x00, 0x42, 0x0a]);
    expect(Array.from(optimizeEscPos(bytes))).toEqual(Array.from(bytes));
  });

  const plain = [0x1b, 0x2d, 0, 0x1c, 0x2d, 0, 0x1d, 0x42, 0, 0x1b, 0x20, 0, 0x1d, 0x21, 0];

  it('turns a long run of padding spaces into one relative move and drops trailing spaces', () => {
    const text = Buffer.from('AB' + ' '.repeat(10) + 'C   ');
    const out = optimizeEscPos(Uint8Array.from([...plain, ...text, 0x0a]));
    expect(Array.from(out)).toEqual([...plain, 0x41, 0x42, 0x1b, 0x5c, 120, 0, 0x43, 0x0a]);
    expect(render(out)).toEqual(['AB          C']);
  });

  it('keeps spaces that would show: underline on', () => {
    const underlined = [...plain, 0x1b, 0x2d, 1, ...Buffer.from('A' + ' '.repeat(8) + 'B'), 0x0a];
    expect(Array.from(optimizeEscPos(Uint8Array.from(underlined)))).toEqual(underlined);
  });
});
