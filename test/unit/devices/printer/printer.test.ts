// The driver against the printer emulator over real channels: raw TCP on 127.0.0.1 (port 0),
// a socat pty pair as a serial cable, and the same pty opened as a `usb:` device node.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderBalanceSlip, sampleBalanceSlipData } from '../../../../src-main/core/slip';
import { getPrinterStatus, printSlip, PrinterError } from '../../../../src-main/devices/printer';
import type { PrinterTarget } from '../../../../src-main/devices/printer';
import { CUT_MARKER } from '../../../../src-main/protocols/escpos';
import { PAPER_LOADED, startPrinterEmulator } from '../../../../src-main/sim/printer';
import type { PrinterEmulator, TcpAddress } from '../../../../src-main/sim/printer';
import { openPtyPair } from './pty-pair';
import type { TestPtyPair } from './pty-pair';

const slip = renderBalanceSlip(sampleBalanceSlipData(), {
  paper: 58,
  lang: 'zh-CN',
  timeZone: 'Asia/Shanghai',
});
const FAST = { pollIntervalMs: 100, statusTimeoutMs: 1000, completionTimeoutMs: 3000 };

function expectSlipPrinted(lines: readonly string[]): void {
  expect(lines).toContain('卡号            622202******1234');
  expect(lines).toContain('可用余额              ￥1,234.56');
  expect(lines).toContain(' 本笔为余额查询，不发生资金变动');
  expect(lines.at(-1)).toBe(CUT_MARKER);
}

async function rejection(p: Promise<unknown>): Promise<PrinterError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PrinterError);
    return err as PrinterError;
  }
  throw new Error('expected a PrinterError');
}

describe('printing over TCP to the emulator', () => {
  let emulator: PrinterEmulator<TcpAddress>;
  let target: PrinterTarget;

  beforeAll(async () => {
    emulator = await startPrinterEmulator({ tcpPort: 0, paper: 58 });
    target = { kind: 'tcp', host: '127.0.0.1', port: emulator.address.port };
  });
  afterEach(() => emulator.faults.clear());
  afterAll(() => emulator.close());

  it('prints the sample slip: status first, then the slip, confirmed by GS r 1', async () => {
    const before = emulator.lines.length;
    const result = await printSlip(target, slip.bytes, FAST);
    expect(result.bytesSent).toBe(slip.bytes.length);
    expect(result.bytesSent).toBeLessThanOrEqual(1200);
    expect(result.statusBefore.ready).toBe(true);
    expect(result.statusBefore.bytes).toEqual({ 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 });
    expect(result.paperStatus).toBe(0);
    expectSlipPrinted(emulator.lines.slice(before));
  });

  it.each([
    [
      'offline',
      (e: PrinterEmulator) => e.faults.update({ offline: true }),
      'PRINTER_OFFLINE',
      '打印机脱机，请检查纸张和上盖',
    ],
    [
      'cover open',
      (e: PrinterEmulator) => e.faults.update({ coverOpen: true }),
      'PRINTER_COVER_OPEN',
      '打印机上盖未关好，请合上盖子',
    ],
    [
      'paper end',
      (e: PrinterEmulator) => e.faults.update({ paperEnd: true }),
      'PRINTER_PAPER_END',
      '打印机缺纸，请装入新纸卷',
    ],
    [
      'cutter error',
      (e: PrinterEmulator) => e.faults.update({ cutterError: true }),
      'PRINTER_CUTTER_ERROR',
      '切刀卡纸，请打开上盖清除卡纸后合上',
    ],
    [
      'unrecoverable',
      (e: PrinterEmulator) => e.faults.update({ unrecoverableError: true }),
      'PRINTER_UNRECOVERABLE_ERROR',
      '打印机故障，请关机重启；如仍无法使用请联系维修',
    ],
    [
      'overheated',
      (e: PrinterEmulator) => e.faults.update({ overheated: true }),
      'PRINTER_AUTO_RECOVERABLE_ERROR',
      '打印头过热，请稍候再试',
    ],
  ])(
    '%s: status names it and printing is refused before any slip byte is sent',
    async (_name, fault, code, zh) => {
      fault(emulator);
      const status = await getPrinterStatus(target, FAST);
      expect(status.ready).toBe(false);
      expect(status.problems.map((p) => p.code)).toContain(code);
      const before = emulator.lines.length;
      const received = emulator.bytesReceived;
      const err = await rejection(printSlip(target, slip.bytes, FAST));
      expect(err.code).toBe('PRINTER_NOT_READY');
      expect(err.problems.map((p) => p.code)).toContain(code);
      expect(err.messageZh).toContain(status.problems[0]!.messageZh);
      expect(err.messageZh.startsWith('打印机未就绪')).toBe(true);
      if (code !== 'PRINTER_OFFLINE')
        expect(err.problems.some((p) => p.messageZh === zh)).toBe(true);
      else expect(err.messageZh).toContain(zh);
      expect(emulator.bytesReceived - received).toBe(12); // four DLE EOT queries only
      expect(emulator.lines.length).toBe(before);
    },
  );

  it('a roll reaching its near-end mark during the slip is reported from the GS r 1 answer', async () => {
    const off = emulator.onLine((line) => {
      if (line === CUT_MARKER) emulator.faults.update({ paperNearEnd: true });
    });
    const result = await printSlip(target, slip.bytes, FAST).finally(off);
    expect(result.statusBefore.flags.paperNearEnd).toBe(false);
    expect(result.paperStatus).toBe(0x03);
    expect(result.warnings.map((w) => w.code)).toEqual(['PRINTER_PAPER_NEAR_END']);
  });

  it('two slips sent at once come out one after the other, each complete', async () => {
    const before = emulator.lines.length;
    const [a, b] = await Promise.all([
      printSlip(target, slip.bytes, FAST),
      printSlip(target, slip.bytes, FAST),
    ]);
    expect(a.bytesSent + b.bytesSent).toBe(2 * slip.bytes.length);
    const lines = emulator.lines.slice(before);
    const cut = lines.indexOf(CUT_MARKER);
    expect(lines.slice(0, cut + 1)).toEqual(lines.slice(cut + 1));
    expectSlipPrinted(lines.slice(0, cut + 1));
  });

  it('paper near end still prints and comes back as a warning', async () => {
    emulator.faults.update({ paperNearEnd: true });
    const result = await printSlip(target, slip.bytes, FAST);
    expect(result.warnings.map((w) => w.code)).toEqual(['PRINTER_PAPER_NEAR_END']);
    expect(result.paperStatus! & 0x03).toBe(0x03);
  });

  it('paper running out mid-slip is reported as not printed; after a new roll a reprint works', async () => {
    const before = emulator.lines.length;
    emulator.faults.update({ paperEndAfterBytes: 300 });
    const err = await rejection(printSlip(target, slip.bytes, FAST));
    expect(err.code).toBe('PRINTER_PAPER_OUT_DURING_PRINT');
    expect(err.printed).toBe(false);
    expect(err.messageZh).toBe('打印中途缺纸，请装入新纸卷后重新打印凭条');
    const partial = emulator.lines.slice(before);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial).not.toContain(CUT_MARKER);
    expect(emulator.status().stoppedAtPaperEnd).toBe(true);

    emulator.faults.update(PAPER_LOADED); // the rest of the stopped slip comes out, as on a real printer
    const reprintFrom = emulator.lines.length;
    const result = await printSlip(target, slip.bytes, FAST);
    expect(result.bytesSent).toBe(slip.bytes.length);
    expectSlipPrinted(emulator.lines.slice(reprintFrom));
  });

  it('without GS r confirmation (printers lacking it): sent and status checked after', async () => {
    const before = emulator.lines.length;
    const result = await printSlip(target, slip.bytes, { ...FAST, confirmCompletion: false });
    expect(result.paperStatus).toBeUndefined();
    expectSlipPrinted(emulator.lines.slice(before));
    emulator.faults.update({ paperEndAfterBytes: 300 });
    const err = await rejection(
      printSlip(target, slip.bytes, { ...FAST, confirmCompletion: false }),
    );
    expect(err.code).toBe('PRINTER_PAPER_OUT_DURING_PRINT');
  });

  it('cover opened mid-slip is reported as stopped, with the cover message', async () => {
    let count = 0;
    const off = emulator.onLine(() => {
      if (++count === 5) emulator.faults.update({ coverOpen: true });
    });
    const err = await rejection(printSlip(target, slip.bytes, FAST).finally(off));
    expect(err.code).toBe('PRINTER_STOPPED_DURING_PRINT');
    expect(err.messageZh).toContain('打印机上盖未关好');
  });
});

describe('connection failures', () => {
  it('nothing listening: PRINTER_NOT_CONNECTED', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const err = await rejection(getPrinterStatus({ kind: 'tcp', host: '127.0.0.1', port }));
    expect(err.code).toBe('PRINTER_NOT_CONNECTED');
    expect(err.messageZh).toContain('无法连接打印机');
  });

  it('a device that never answers status: PRINTER_NO_REPLY', async () => {
    const srv = createServer((s) => s.on('data', () => undefined));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as AddressInfo).port;
    const err = await rejection(
      printSlip({ kind: 'tcp', host: '127.0.0.1', port }, slip.bytes, { statusTimeoutMs: 300 }),
    );
    expect(err.code).toBe('PRINTER_NO_REPLY');
    srv.close();
  });

  it('a missing device node: PRINTER_NOT_CONNECTED', async () => {
    const err = await rejection(
      getPrinterStatus({ kind: 'usb', path: '/tmp/no-such-printer-lp9' }),
    );
    expect(err.code).toBe('PRINTER_NOT_CONNECTED');
  });
});

describe('printing over a pty pair (serial and usb-style device node)', () => {
  let pty: TestPtyPair;
  let emulator: PrinterEmulator;

  beforeAll(async () => {
    pty = await openPtyPair('slip-print');
    emulator = await startPrinterEmulator({ serialPath: pty.devicePath, paper: 58 });
  });
  afterAll(async () => {
    await emulator.close();
    await pty.close();
  });

  it('serial: prints the slip and reports status', async () => {
    const target: PrinterTarget = { kind: 'serial', path: pty.hostPath, baudRate: 9600 };
    const status = await getPrinterStatus(target, FAST);
    expect(status.ready).toBe(true);
    const before = emulator.lines.length;
    const result = await printSlip(target, slip.bytes, FAST);
    expect(result.bytesSent).toBe(slip.bytes.length);
    expectSlipPrinted(emulator.lines.slice(before));
  });

  it('serial: cover open is refused with its message', async () => {
    emulator.faults.update({ coverOpen: true });
    const target: PrinterTarget = { kind: 'serial', path: pty.hostPath, baudRate: 9600 };
    const err = await rejection(printSlip(target, slip.bytes, FAST));
    expect(err.code).toBe('PRINTER_NOT_READY');
    expect(err.problems.map((p) => p.code)).toContain('PRINTER_COVER_OPEN');
    emulator.faults.clear();
  });

  it('serial: after a stopped job finishes unattended, the next job is judged on its own answers', async () => {
    const target: PrinterTarget = { kind: 'serial', path: pty.hostPath, baudRate: 9600 };
    emulator.faults.update({ paperEndAfterBytes: 300 });
    expect((await rejection(printSlip(target, slip.bytes, FAST))).code).toBe(
      'PRINTER_PAPER_OUT_DURING_PRINT',
    );
    emulator.faults.update(PAPER_LOADED); // finishes the old slip and answers its GS r 1 while nobody listens
    await new Promise((r) => setTimeout(r, 200));
    emulator.faults.update({ paperEndAfterBytes: 300 });
    // a stale GS r 1 answer from the old job must not make this one look printed
    expect((await rejection(printSlip(target, slip.bytes, FAST))).code).toBe(
      'PRINTER_PAPER_OUT_DURING_PRINT',
    );
    emulator.faults.clear();
  });

  it('usb: the non-blocking device-node transport prints the slip', async () => {
    const before = emulator.lines.length;
    const result = await printSlip({ kind: 'usb', path: pty.hostPath }, slip.bytes, FAST);
    expect(result.statusBefore.ready).toBe(true);
    expectSlipPrinted(emulator.lines.slice(before));
  });
});
