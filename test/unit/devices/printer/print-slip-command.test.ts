// `cashier print-slip --sample --printer tcp:...` run in-process against the emulator: the
// "done when" of the slip issue (at most 1,200 bytes, read back as the expected Chinese slip).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { printSlipCommand } from '../../../../src-main/cli/commands/print-slip';
import { CUT_MARKER } from '../../../../src-main/protocols/escpos';
import { startPrinterEmulator } from '../../../../src-main/sim/printer';
import type { PrinterEmulator, TcpAddress } from '../../../../src-main/sim/printer';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await printSlipCommand.run(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('cashier print-slip', () => {
  let emulator: PrinterEmulator<TcpAddress>;
  let printer: string;
  beforeAll(async () => {
    emulator = await startPrinterEmulator({ tcpPort: 0, paper: 58 });
    printer = `tcp:127.0.0.1:${emulator.address.port}`;
  });
  afterEach(() => emulator.faults.clear());
  afterAll(() => emulator.close());

  it('--sample prints at most 1,200 bytes that read back as the Chinese slip', async () => {
    const before = emulator.lines.length;
    const received = emulator.bytesReceived;
    const result = await run([
      '--sample',
      '--printer',
      printer,
      '--paper',
      '58',
      '--lang',
      'zh-CN',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('打印机正常 / Printer ready');
    const sent = Number(/Printed: (\d+) /.exec(result.out)![1]);
    expect(sent).toBeLessThanOrEqual(1200);
    // on the wire: 4 status queries (12 bytes) + the slip + GS r 1 (3 bytes)
    expect(emulator.bytesReceived - received).toBe(12 + sent + 3);
    const lines = emulator.lines.slice(before);
    expect(lines).toContain('          余额查询凭条');
    expect(lines).toContain('卡号            622202******1234');
    expect(lines).toContain('可用余额              ￥1,234.56');
    expect(lines).toContain(' 本笔为余额查询，不发生资金变动');
    expect(lines.at(-1)).toBe(CUT_MARKER);
  });

  it('--test-page --lang en --paper 80 prints the test page', async () => {
    const before = emulator.lines.length;
    const result = await run([
      '--test-page',
      '--printer',
      printer,
      '--paper',
      '80',
      '--lang',
      'en',
    ]);
    expect(result.code).toBe(0);
    expect(emulator.lines.slice(before)).toContain(
      '123456789012345678901234567890123456789012345678',
    );
  });

  it('a printer with its cover open: exit 1, the Chinese and English reason, nothing printed', async () => {
    emulator.faults.update({ coverOpen: true });
    const before = emulator.lines.length;
    const result = await run(['--sample', '--printer', printer]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('PRINTER_NOT_READY: 打印机未就绪：打印机上盖未关好，请合上盖子');
    expect(result.err).toContain('Printer cover is open');
    expect(emulator.lines.length).toBe(before);
  });

  it('--status reports the status bytes and problems', async () => {
    emulator.faults.update({ paperNearEnd: true });
    const result = await run(['--status', '--printer', printer]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('DLE EOT 1-4): 12 12 12 1e');
    expect(result.out).toContain('PRINTER_PAPER_NEAR_END: 纸卷将尽');
  });

  it('bad arguments: exit 2 with usage', async () => {
    expect((await run(['--sample'])).code).toBe(2);
    expect((await run(['--sample', '--printer', printer, '--paper', '76'])).code).toBe(2);
    const bad = await run(['--sample', '--printer', 'lpt:1']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('PRINTER_TARGET_INVALID');
  });
});
