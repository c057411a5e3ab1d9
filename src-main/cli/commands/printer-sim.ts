// `cashier printer-sim`: the receipt printer emulator on a serial port or raw TCP. Printed
// lines go to stdout (and --out FILE); faults are set by typing commands on stdin.
import { createInterface } from 'node:readline';
import { applyControlCommand, CONTROL_HELP, startPrinterEmulator } from '../../sim/printer';
import { parseFlags, type CliCommand } from '../command';

const USAGE = 'printer-sim (--port PATH | --tcp PORT) [--out FILE] [--paper 58|80] [--baud N]';

export const printerSimCommand: CliCommand = {
  name: ['printer-sim'],
  summary: `打印机模拟器，打印内容输出到终端 / Receipt printer emulator, printed text to stdout\n${CONTROL_HELP.split(
    '\n',
  )
    .map((l) => `      ${l}`)
    .join('\n')}`,
  usage: USAGE,
  async run(args) {
    const flags = parseFlags(args);
    const serialPath = typeof flags.port === 'string' ? flags.port : undefined;
    const tcpPort = typeof flags.tcp === 'string' ? Number(flags.tcp) : undefined;
    if ((serialPath === undefined) === (tcpPort === undefined)) {
      process.stderr.write(
        `请指定 --port 或 --tcp 之一 / Give one of --port or --tcp\nUsage: cashier ${USAGE}\n`,
      );
      return 2;
    }
    if (tcpPort !== undefined && (!Number.isInteger(tcpPort) || tcpPort < 0 || tcpPort > 65535)) {
      process.stderr.write(`端口无效 / Invalid port: ${String(flags.tcp)}\n`);
      return 2;
    }
    const paper = flags.paper === '58' ? 58 : 80;
    const emulator = await startPrinterEmulator({
      ...(serialPath !== undefined ? { serialPath } : {}),
      ...(tcpPort !== undefined ? { tcpPort } : {}),
      ...(typeof flags.out === 'string' ? { outFile: flags.out } : {}),
      ...(typeof flags.baud === 'string' ? { baudRate: Number(flags.baud) } : {}),
      paper,
    });
    emulator.onLine((line) => process.stdout.write(`${line}\n`));
    const where = serialPath ?? `tcp:127.0.0.1:${emulator.tcpPort}`;
    process.stderr.write(
      `打印机模拟器已启动 / Printer emulator listening on ${where}\n输入 help 查看控制命令 / type help for control commands; Ctrl+C to stop\n`,
    );
    const rl = createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (line) => {
      if (line.trim() === '') return;
      const reply = applyControlCommand(emulator, line);
      process.stderr.write(`${reply ?? `未知命令 / unknown command: ${line.trim()} (help)`}\n`);
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    rl.close();
    await emulator.close();
    return 0;
  },
};
