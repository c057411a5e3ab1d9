// The device model fed hand-written byte streams: what prints, what is answered, and how paper,
// cover and errors stop it (see README.md for the spec page behind each rule).
import { describe, expect, it } from 'vitest';
import { PeerEscPosPrinter, type PeerPrinterOptions } from './printer.js';

const b = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const ascii = (s: string): number[] => Array.from(Buffer.from(s, 'latin1'));

// GB2312 codes: 余 D3E0, 额 B6EE, 查 B2E9, 询 D1AF, 卡 BFA8, 号 BAC5, ￥ A3A4.
const YU_E = [0xd3, 0xe0, 0xb6, 0xee];
const CHA_XUN = [0xb2, 0xe9, 0xd1, 0xaf];
const KA_HAO = [0xbf, 0xa8, 0xba, 0xc5];
const YEN = [0xa3, 0xa4];

function start(options: PeerPrinterOptions = {}): { p: PeerEscPosPrinter; sent: number[] } {
  const p = new PeerEscPosPrinter(options);
  const sent: number[] = [];
  p.setOutput((bytes) => sent.push(...bytes));
  return { p, sent };
}

/** A slip as a driver would send it: initialise, Kanji on, centred double-size title, body, cut. */
const SLIP = b(
  ...[0x1b, 0x40], // ESC @
  ...[0x1c, 0x26], // FS &
  ...[0x1b, 0x61, 0x01], // ESC a 1
  ...[0x1d, 0x21, 0x11], // GS ! 11h (double width and height)
  ...YU_E,
  ...CHA_XUN,
  0x0a,
  ...[0x1d, 0x21, 0x00],
  ...[0x1b, 0x61, 0x00],
  ...KA_HAO,
  ...ascii(': 6222****1234'),
  0x0a,
  ...YU_E,
  ...ascii(': '),
  ...YEN,
  ...ascii('1,234.56'),
  0x0a,
  ...[0x1b, 0x64, 0x03], // ESC d 3
  ...[0x1d, 0x56, 0x42, 0x00], // GS V 66 0: feed and partial cut
);

describe('printing', () => {
  it('collects GB18030 text by line with its style, and the cut', () => {
    const { p } = start();
    p.receive(SLIP);
    expect(p.lines).toEqual(['余额查询', '卡号: 6222****1234', '余额: ￥1,234.56']);
    expect(p.printed[0]).toMatchObject({ kind: 'line', align: 'center', width: 2, height: 2 });
    expect(p.printed[1]).toMatchObject({ kind: 'line', align: 'left', width: 1, height: 1 });
    expect(p.cuts).toEqual([{ kind: 'cut', mode: 'partial', by: 'GS V', feed: 0 }]);
    expect(p.slips).toHaveLength(1);
    expect(p.slips[0]).toMatchObject({ cut: true, text: p.text });
    expect(p.notes).toEqual([]);
    expect(p.state.pendingBytes).toBe(0);
  });

  it('takes the stream however it is split into reads', () => {
    const { p } = start();
    for (const byte of SLIP) p.receive(b(byte));
    expect(p.lines).toEqual(['余额查询', '卡号: 6222****1234', '余额: ￥1,234.56']);
    expect(p.cuts).toHaveLength(1);
  });

  it('without FS & the Chinese bytes are code-page characters (Kanji mode is off at power-on)', () => {
    const { p } = start();
    p.receive(b(0x1b, 0x40, ...YU_E, 0x0a));
    expect(p.lines).toEqual(['\uFFFD\uFFFD\uFFFD\uFFFD']);
    expect(p.notes.join('\n')).toMatch(/outside Kanji mode/);
  });

  it('a printer that starts in Kanji mode prints them, and ESC @ returns to that mode', () => {
    const { p } = start({ kanjiAtPowerOn: true });
    p.receive(b(...YU_E, 0x0a, 0x1c, 0x2e, 0x1b, 0x40, ...YU_E, 0x0a));
    expect(p.lines).toEqual(['余额', '余额']);
  });

  it('FS . leaves Kanji mode', () => {
    const { p } = start();
    p.receive(b(0x1c, 0x26, ...YU_E, 0x1c, 0x2e, ...YU_E, 0x0a));
    expect(p.lines).toEqual(['余额\uFFFD\uFFFD\uFFFD\uFFFD']);
  });

  it('notes a four-byte GB18030 character (the half-width ¥ many printers get wrong)', () => {
    const { p } = start();
    p.receive(b(0x1c, 0x26, 0x81, 0x30, 0x84, 0x36, 0x0a));
    expect(p.lines).toEqual(['¥']);
    expect(p.notes.join('\n')).toMatch(/four-byte GB18030 character 81 30 84 36/);
  });

  it('notes a line wider than the paper: 25 Chinese characters are 600 dots > 576', () => {
    const { p } = start();
    const row = Array.from({ length: 12 }, () => YU_E).flat(); // 24 characters
    p.receive(b(0x1c, 0x26, ...row, 0x0a, ...row, ...YEN, 0x0a));
    expect(p.printed.map((i) => (i.kind === 'line' ? i.dots : 0))).toEqual([576, 600]);
    expect(p.notes).toHaveLength(1);
    expect(p.notes[0]).toMatch(/600 dots wide > 576/);
  });

  it('GS V is ignored when not at the beginning of a line', () => {
    const { p } = start();
    p.receive(b(...ascii('END'), 0x1d, 0x56, 0x01, 0x0a, 0x1d, 0x56, 0x00));
    expect(p.cuts).toEqual([{ kind: 'cut', mode: 'full', by: 'GS V' }]);
    expect(p.notes.join('\n')).toMatch(/GS V ignored \(not at the beginning of a line\)/);
  });

  it('GS v 0 prints a raster image; ignored while the print buffer holds text', () => {
    const { p } = start();
    const image = [0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x02, 0x00, 0x80, 0x01];
    p.receive(b(...image, ...ascii('x'), ...image, 0x0a));
    expect(p.printed.filter((i) => i.kind === 'image')).toEqual([
      { kind: 'image', mode: 0, widthDots: 8, heightDots: 2, data: b(0x80, 0x01) },
    ]);
    expect(p.lines).toEqual(['x']);
  });

  it('GS ( k stores and prints a QR Code', () => {
    const { p } = start();
    const data = ascii('https://pay.example.cn/r/1');
    p.receive(
      b(
        ...[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06],
        ...[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31],
        ...[0x1d, 0x28, 0x6b, data.length + 3, 0x00, 0x31, 0x50, 0x30, ...data],
        ...[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30],
      ),
    );
    expect(p.printed).toEqual([
      {
        kind: 'qr',
        data: b(...data),
        text: 'https://pay.example.cn/r/1',
        moduleSize: 6,
        errorLevel: 'M',
      },
    ]);
  });

  it('reports unknown commands', () => {
    const { p } = start();
    p.receive(b(0x1b, 0x7f, 0x0a));
    expect(p.notes).toEqual(['unknown command 1B 7F: its parameters, if any, print as text']);
  });
});

describe('DLE EOT real-time status', () => {
  it('answers at once, one byte each, following paper / cover / off-line state', () => {
    const { p, sent } = start();
    p.receive(b(0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x03, 0x10, 0x04, 0x04));
    expect(sent).toEqual([0x12, 0x12, 0x12, 0x12]);
    sent.length = 0;
    p.setPaper('near-end');
    p.receive(b(0x10, 0x04, 0x04, 0x10, 0x04, 0x01));
    expect(sent).toEqual([0x1e, 0x12]); // near end keeps printing: still on-line
    sent.length = 0;
    p.setCover('open');
    p.receive(b(0x10, 0x04, 0x01, 0x10, 0x04, 0x02));
    expect(sent).toEqual([0x1a, 0x16]);
    sent.length = 0;
    p.setCover('closed');
    p.setOffline(true);
    p.receive(b(0x10, 0x04, 0x01, 0x10, 0x04, 0x02));
    expect(sent).toEqual([0x1a, 0x12]);
  });

  it('paper out: DLE EOT 4 → 7E (both sensors), DLE EOT 2 → 32 (paper-end stop), 1 → 1A', () => {
    const { p, sent } = start({ paper: 'out' });
    p.receive(b(0x10, 0x04, 0x04, 0x10, 0x04, 0x02, 0x10, 0x04, 0x01));
    expect(sent).toEqual([0x7e, 0x32, 0x1a]);
  });

  it('paper out seen by the end sensor only: DLE EOT 4 → 72', () => {
    const { p, sent } = start({ paper: 'out', nearEndSensorWhenOut: false });
    p.receive(b(0x10, 0x04, 0x04));
    expect(sent).toEqual([0x72]);
  });

  it('errors: DLE EOT 3 names them, DLE EOT 2 sets bit 6; DLE ENQ 1 recovers a cutter error', () => {
    const { p, sent } = start();
    p.setError('autocutter', true);
    p.receive(b(0x10, 0x04, 0x03, 0x10, 0x04, 0x02, 0x10, 0x04, 0x01));
    expect(sent).toEqual([0x1a, 0x52, 0x1a]);
    sent.length = 0;
    p.receive(b(0x10, 0x05, 0x01, 0x10, 0x04, 0x03));
    expect(sent).toEqual([0x12]);
    expect(p.state.errors).toEqual([]);
    p.setError('unrecoverable', true);
    p.receive(b(0x10, 0x05, 0x01, 0x10, 0x04, 0x03));
    expect(sent).toEqual([0x12, 0x32]);
  });

  it('is answered even inside raster data (the bytes stay image data)', () => {
    const { p, sent } = start();
    p.receive(b(0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x03, 0x00, 0x10, 0x04, 0x04));
    expect(sent).toEqual([0x12]);
    expect(p.printed).toEqual([
      { kind: 'image', mode: 0, widthDots: 8, heightDots: 3, data: b(0x10, 0x04, 0x04) },
    ]);
  });

  it('ignores n out of range', () => {
    const { p, sent } = start();
    p.receive(b(0x10, 0x04, 0x05, 0x10, 0x04, 0x00));
    expect(sent).toEqual([]);
  });
});

describe('paper end', () => {
  it('stops printing and keeps the data; GS r is not answered until paper is back', () => {
    const { p, sent } = start();
    p.receive(b(0x1c, 0x26, ...YU_E, 0x0a));
    p.setPaper('out');
    p.receive(b(...KA_HAO, 0x0a, 0x1d, 0x56, 0x00, 0x1d, 0x72, 0x01, 0x10, 0x04, 0x04));
    expect(p.lines).toEqual(['余额']);
    expect(p.cuts).toEqual([]);
    expect(sent).toEqual([0x7e]); // only the real-time reply
    expect(p.state).toMatchObject({ paper: 'out', offline: true, stoppedAtPaperEnd: true });
    expect(p.state.pendingBytes).toBe(14);

    p.setPaper('ok');
    expect(p.lines).toEqual(['余额', '卡号']);
    expect(p.cuts).toHaveLength(1);
    expect(sent).toEqual([0x7e, 0x00]); // GS r 1 answered when processed: paper adequate
    expect(p.state).toMatchObject({ offline: false, stoppedAtPaperEnd: false, pendingBytes: 0 });
  });

  it('the DLE EOT kept in the buffer is not answered a second time', () => {
    const { p, sent } = start({ paper: 'out' });
    p.receive(b(0x10, 0x04, 0x02));
    p.setPaper('ok');
    expect(sent).toEqual([0x32]);
    expect(p.commands.map((c) => c.name)).toEqual(['DLE EOT']);
  });

  it('GS r 1 reports near end (03h) while printing continues', () => {
    const { p, sent } = start({ paper: 'near-end' });
    p.receive(b(...ascii('A'), 0x0a, 0x1d, 0x72, 0x01, 0x1d, 0x72, 0x31, 0x1d, 0x72, 0x02));
    expect(p.lines).toEqual(['A']);
    expect(sent).toEqual([0x03, 0x03, 0x00]);
    expect(p.replies.map((r) => r.to)).toEqual(['GS r 1', 'GS r 49', 'GS r 2']);
  });

  it('an open cover stops processing too', () => {
    const { p, sent } = start({ cover: 'open' });
    p.receive(b(0x1d, 0x49, 0x01));
    expect(sent).toEqual([]);
    p.setCover('closed');
    expect(sent).toEqual([0x20]);
  });
});

describe('GS I printer ID and printer information B', () => {
  const ask = (p: PeerEscPosPrinter, n: number): void => p.receive(b(0x1d, 0x49, n));

  it('n = 1..3 / 49..51: one byte each; n = 65..69: 5F + text + 00', () => {
    const { p, sent } = start();
    for (const n of [1, 2, 3, 49, 50, 51]) ask(p, n);
    expect(sent).toEqual([0x20, 0x03, 0x01, 0x20, 0x03, 0x01]);
    sent.length = 0;
    ask(p, 0x43);
    expect(sent).toEqual([0x5f, 0x50, 0x45, 0x45, 0x52, 0x2d, 0x38, 0x30, 0x00]); // "PEER-80"
    sent.length = 0;
    for (const n of [65, 66, 68, 69]) ask(p, n);
    expect(Buffer.from(sent).toString('latin1')).toBe(
      '_1.00\u0000_PEER\u0000_PEER00000001\u0000_CHINA GB18030\u0000',
    );
  });

  it('a different printer answers with its own identity; "not prepared" is 5F 00', () => {
    const { p, sent } = start({
      identity: { modelId: 0x0d, maker: 'XPRINTER', model: 'XP-Q80', serialNumber: undefined },
    });
    ask(p, 1);
    ask(p, 66);
    ask(p, 68);
    expect(Buffer.from(sent).toString('latin1')).toBe('\u000d_XPRINTER\u0000_\u0000');
    sent.length = 0;
    p.setIdentity({ model: 'TM-T88V', firmware: undefined });
    ask(p, 67);
    ask(p, 65);
    expect(Buffer.from(sent).toString('latin1')).toBe('_TM-T88V\u0000_\u0000');
  });

  it('other n are ignored (no reply)', () => {
    const { p, sent } = start();
    for (const n of [0, 4, 33, 64, 70, 112]) ask(p, n);
    expect(sent).toEqual([]);
  });

  it('refuses an identity a printer could not send', () => {
    expect(() => new PeerEscPosPrinter({ identity: { modelId: 0x10 } })).toThrow(/0xx0xxxx/);
    expect(() => new PeerEscPosPrinter({ identity: { typeId: 0x80 } })).toThrow(/0xx0xxxx/);
    expect(() => new PeerEscPosPrinter({ identity: { model: '打印机' } })).toThrow(RangeError);
  });
});

describe('automatic status back (GS a)', () => {
  it('sends the status when enabled, then on every change of an enabled group', () => {
    const { p, sent } = start();
    p.receive(b(0x1d, 0x61, 0x0a)); // on-line/off-line + roll paper sensor
    expect(sent).toEqual([0x10, 0x00, 0x00, 0x00]);
    sent.length = 0;
    p.setPaper('near-end');
    expect(sent).toEqual([0x10, 0x00, 0x03, 0x00]);
    sent.length = 0;
    p.setPaper('out');
    expect(sent).toEqual([0x18, 0x00, 0x0f, 0x00]);
    sent.length = 0;
    p.setDrawerPin3(true); // drawer group not enabled
    expect(sent).toEqual([]);
    p.receive(b(0x10, 0x04, 0x01)); // real-time still answered while stopped
    expect(sent).toEqual([0x1e]);
  });
});

describe('smaller rules', () => {
  it('ESC @ drops unprinted text; CR is ignored; ESC a in mid-line applies from the next line', () => {
    const { p } = start();
    p.receive(b(...ascii('lost'), 0x1b, 0x40, ...ascii('A'), 0x0d, 0x0a));
    p.receive(b(...ascii('B'), 0x1b, 0x61, 0x02, ...ascii('C'), 0x0a, ...ascii('D'), 0x0a));
    expect(p.lines).toEqual(['A', 'BC', 'D']);
    expect(p.printed.map((i) => (i.kind === 'line' ? i.align : ''))).toEqual([
      'left',
      'left',
      'right',
    ]);
    expect(p.notes).toEqual([
      'ESC @ cleared unprinted text from the print buffer',
      'ESC a 2 in mid-line: applies from the next line',
    ]);
  });

  it('DLE ENQ 2 recovers a cutter error after clearing the receive and print buffers', () => {
    const { p, sent } = start();
    p.receive(b(...ascii('kept?')));
    p.setError('autocutter', true);
    p.receive(b(...ascii('waiting'), 0x0a));
    expect(p.state.pendingBytes).toBe(8);
    p.receive(b(0x10, 0x05, 0x02, 0x10, 0x04, 0x03));
    expect(sent).toEqual([0x12]);
    expect(p.state).toMatchObject({ errors: [], offline: false, pendingBytes: 0 });
    p.receive(b(0x0a));
    expect(p.lines).toEqual(['']);
  });

  it('replies with nothing connected are recorded as dropped', () => {
    const p = new PeerEscPosPrinter();
    p.receive(b(0x10, 0x04, 0x01));
    expect(p.replies).toEqual([{ to: 'DLE EOT 1', bytes: b(0x12), dropped: true }]);
  });

  it('waitFor resolves on a later change and rejects on timeout', async () => {
    const { p } = start({ paper: 'out' });
    p.receive(b(...ascii('late'), 0x0a));
    const done = p.waitFor((q) => q.lines.includes('late'));
    p.setPaper('ok');
    await done;
    await expect(p.waitFor((q) => q.cuts.length > 0, 50)).rejects.toThrow(/not met within 50 ms/);
  });
});
