// `cashier print-slip`: prints the sample balance slip (or the printer test page) on a real
// or emulated printer and reports the printer status and what was sent. Diagnostics and tests.
import { writeFileSync } from 'node:fs';
import { renderBalanceSlip, renderTestPage, sampleBalanceSlipData } from '../../core/slip';
import type { PaperWidth, SlipLanguage } from '../../core/slip';
import {
  formatPrinterTarget,
  getPrinterStatus,
  parsePrinterTarget,
  printSlip,
  PrinterError,
} from '../../devices/printer';
import type { PrinterStatusReport } from '../../devices/printer';
import { CliUsageError, defineCommand, required } from '../command';

const USAGE =
  'print-slip (--sample | --test-page | --status) --printer serial:PATH[@BAUD]|tcp:HOST:PORT|usb:PATH [--paper 58|80] [--lang zh-CN|en] [--copy customer|merchant] [--qr TEXT] [--svg FILE]';

function describeStatus(status: PrinterStatusReport): string {
  const hex = [1, 2, 3, 4].map((n) => status.bytes[n as 1].toString(16).padStart(2, '0'));
  const lines = [`状态字节 / Status bytes (DLE EOT 1-4): ${hex.join(' ')}`];
  if (status.problems.length === 0) lines.push('打印机正常 / Printer ready');
  for (const p of status.problems)
    lines.push(`[${p.severity}] ${p.code}: ${p.messageZh} / ${p.message}`);
  return `${lines.join('\n')}\n`;
}

function usageError(zh: string, en: string): never {
  throw new CliUsageError(en, zh);
}

export const printSlipCommand = defineCommand({
  summary:
    '打印示例余额凭条或测试页并报告打印机状态 / Print a sample balance slip or test page and report printer status',
  usage: USAGE,
  options: {
    sample: { type: 'boolean' },
    'test-page': { type: 'boolean' },
    status: { type: 'boolean' },
    printer: { type: 'string' },
    paper: { type: 'string' },
    lang: { type: 'string' },
    copy: { type: 'string' },
    qr: { type: 'string' },
    svg: { type: 'string' },
  },
  help: [
    '--sample | --test-page | --status   what to do',
    '--printer TARGET   serial:PATH[@BAUD], tcp:HOST:PORT or usb:PATH',
    '--paper 58|80      paper width in mm (default 80)',
    '--lang zh-CN|en    slip language (default zh-CN)',
    '--copy customer|merchant, --qr TEXT, --svg FILE (write the preview)',
  ],
  async run(flags) {
    const printer = required(flags.printer, '--printer');
    const paper = Number(flags.paper ?? 80);
    if (paper !== 58 && paper !== 80)
      usageError(`纸宽无效：${String(flags.paper)}`, `Invalid --paper: ${String(flags.paper)}`);
    const lang = flags.lang ?? 'zh-CN';
    if (lang !== 'zh-CN' && lang !== 'en')
      usageError(`语言无效：${String(flags.lang)}`, `Invalid --lang: ${String(flags.lang)}`);
    const copy = flags.copy ?? 'customer';
    if (copy !== 'customer' && copy !== 'merchant')
      usageError(`存根无效：${copy}`, `Invalid --copy: ${copy}`);
    if (!flags.sample && !flags['test-page'] && !flags.status) {
      usageError(
        '请指定 --sample、--test-page 或 --status',
        'Give --sample, --test-page or --status',
      );
    }
    try {
      const target = parsePrinterTarget(printer);
      process.stdout.write(`打印机 / Printer: ${formatPrinterTarget(target)}\n`);
      if (flags.status) {
        const status = await getPrinterStatus(target);
        process.stdout.write(describeStatus(status));
        return status.ready ? 0 : 1;
      }
      const options = { paper: paper as PaperWidth, lang: lang as SlipLanguage };
      const rendered = flags['test-page']
        ? renderTestPage(options)
        : renderBalanceSlip(
            {
              ...sampleBalanceSlipData(),
              dateTime: new Date(),
              copy,
              ...(flags.qr !== undefined ? { qr: flags.qr } : {}),
            },
            options,
          );
      if (flags.svg !== undefined) writeFileSync(flags.svg, rendered.svg);
      const result = await printSlip(target, rendered.bytes);
      process.stdout.write(describeStatus(result.statusBefore));
      for (const w of result.warnings)
        process.stdout.write(`注意 / Note: ${w.messageZh} / ${w.message}\n`);
      process.stdout.write(
        `已打印 / Printed: ${result.bytesSent} 字节 / bytes, ${result.elapsedMs} ms` +
          ` (9600 baud: ${((result.bytesSent * 10) / 9600).toFixed(2)} s on the wire)\n`,
      );
      return 0;
    } catch (err) {
      if (err instanceof PrinterError) {
        process.stderr.write(`${err.code}: ${err.messageZh} / ${err.message}\n`);
        for (const p of err.problems) process.stderr.write(`  - ${p.messageZh} / ${p.message}\n`);
        return 1;
      }
      throw err;
    }
  },
});
