// `cashier printer-sim`: the receipt printer emulator on a serial port or raw TCP. Printed
// lines go to stdout (and --out FILE); faults are set by typing commands on stdin (answered in
// Chinese and English; src-main/sim/README.md lists them).
import { formatReply, serveControl, untilStopSignal } from '../../sim/control';
import { applyPrinterControl, PRINTER_CONTROL_HELP, startPrinterEmulator } from '../../sim/printer';
import { CliUsageError, defineCommand, integer } from '../command';

const USAGE = 'printer-sim (--port PATH | --tcp PORT) [--out FILE] [--paper 58|80] [--baud N]';

export const printerSimCommand = defineCommand({
  summary: `打印机模拟器，打印内容输出到终端 / Receipt printer emulator, printed text to stdout\n${formatReply(
    PRINTER_CONTROL_HELP,
  ).replace(/^/gm, '      ')}`,
  usage: USAGE,
  options: {
    port: { type: 'string' },
    tcp: { type: 'string' },
    out: { type: 'string' },
    paper: { type: 'string' },
    baud: { type: 'string' },
  },
  help: [
    '--port PATH    serial port the emulated printer sits on',
    '--tcp PORT     or listen for raw TCP (9100-style) on this port (0 = any free port)',
    '--out FILE     also write the printed text to this file',
    '--paper 58|80  paper width in mm (default 80)',
    '--baud N       serial speed (default 9600)',
  ],
  async run(flags) {
    const serialPath = flags.port;
    const tcpPort = integer(flags.tcp, '--tcp', 0, 65535);
    if ((serialPath === undefined) === (tcpPort === undefined)) {
      throw new CliUsageError('Give one of --port or --tcp', '请指定 --port 或 --tcp 之一');
    }
    if (flags.paper !== undefined && flags.paper !== '58' && flags.paper !== '80') {
      throw new CliUsageError('--paper must be 58 or 80', '--paper 须为 58 或 80');
    }
    const paper = flags.paper === '58' ? 58 : 80;
    const baudRate = integer(flags.baud, '--baud', 1200, 921_600);
    const emulator = await startPrinterEmulator({
      ...(serialPath !== undefined ? { serialPath } : {}),
      ...(tcpPort !== undefined ? { tcpPort } : {}),
      ...(flags.out !== undefined ? { outFile: flags.out } : {}),
      ...(baudRate !== undefined ? { baudRate } : {}),
      paper,
    });
    emulator.onLine((line) => process.stdout.write(`${line}\n`));
    const where =
      emulator.address.kind === 'tcp'
        ? `tcp:${emulator.address.host}:${emulator.address.port}`
        : emulator.address.path;
    process.stderr.write(
      `打印机模拟器已启动 / Printer emulator listening on ${where}\n输入 help 查看控制命令 / type help for control commands; Ctrl+C to stop\n`,
    );
    const control = serveControl([(line) => applyPrinterControl(emulator, line)]);
    await untilStopSignal();
    control.stop();
    await emulator.close();
    return 0;
  },
});
