// `cashier pinpad-sim`: an ABECS or Chinese EPP PIN pad emulator on a serial port (e.g. one end
// of a socat pty pair). Display text and commands go to stderr; control it by typing on stdin.
import { createInterface } from 'node:readline';
import {
  DEFAULT_CARDS,
  PINPAD_CONTROL_HELP,
  applyPinpadControl,
  loadCardsFile,
  startPinpadEmulator,
  type EmulatorFaults,
} from '../../sim/pinpad';
import { parseFlags, type CliCommand } from '../command';

const USAGE =
  'pinpad-sim --protocol abecs|cn-epp --port PATH [--pin DIGITS] [--master-key INDEX:HEX[,INDEX:HEX]] [--cards FILE] [--card ID | --no-auto-card]';

function fail(message: string): number {
  process.stderr.write(`${message}\nUsage: cashier ${USAGE}\n`);
  return 2;
}

export const pinpadSimCommand: CliCommand = {
  name: ['pinpad-sim'],
  summary: `密码键盘模拟器 / PIN pad emulator (ABECS or Chinese EPP)\n${PINPAD_CONTROL_HELP.split(
    '\n',
  )
    .map((l) => `      ${l}`)
    .join('\n')}`,
  usage: USAGE,
  async run(args) {
    const flags = parseFlags(args);
    const protocol = flags.protocol;
    if (protocol !== 'abecs' && protocol !== 'cn-epp')
      return fail('--protocol 须为 abecs 或 cn-epp / --protocol must be abecs or cn-epp');
    if (typeof flags.port !== 'string') return fail('请指定 --port / Give --port PATH');
    const pin = typeof flags.pin === 'string' ? flags.pin : undefined;
    if (pin !== undefined && !/^\d{4,12}$/.test(pin))
      return fail('--pin 须为4至12位数字 / --pin must be 4-12 digits');
    let masterKeys: Record<number, string> | undefined;
    if (typeof flags['master-key'] === 'string') {
      masterKeys = {};
      for (const item of flags['master-key'].split(',')) {
        const m = /^(\d{1,2}):((?:[0-9A-Fa-f]{16}){1,3})$/.exec(item.trim());
        if (!m)
          return fail(`--master-key 格式错误 / bad --master-key "${item.replace(/:.*/, ':***')}"`);
        masterKeys[Number(m[1])] = m[2]!;
      }
    }
    let cards;
    try {
      cards = typeof flags.cards === 'string' ? loadCardsFile(flags.cards) : undefined;
    } catch (err) {
      return fail(`卡片文件无效 / invalid cards file: ${(err as Error).message}`);
    }
    const cardIds = (cards ?? DEFAULT_CARDS).map((c) => c.id);
    const autoCard = flags['no-auto-card']
      ? undefined
      : typeof flags.card === 'string'
        ? flags.card
        : cardIds[0];
    if (autoCard && !cardIds.includes(autoCard)) return fail(`没有此卡 / no card "${autoCard}"`);
    let emulator;
    try {
      emulator = await startPinpadEmulator({
        protocol,
        path: flags.port,
        ...(pin ? { pin } : {}),
        ...(masterKeys ? { masterKeys } : {}),
        ...(cards ? { cards } : {}),
        ...(autoCard && protocol === 'abecs' ? { autoCard } : {}),
      });
    } catch (err) {
      process.stderr.write(
        `模拟器无法启动 / emulator could not start: ${(err as Error).message}\n`,
      );
      return 1;
    }
    emulator.on('display', ({ lines }) =>
      process.stderr.write(`[display] ${lines[0]} | ${lines[1]}\n`),
    );
    emulator.on('command', ({ name }) => process.stderr.write(`[command] ${name}\n`));
    emulator.on(
      'prompt',
      ({ kind }) => kind !== 'none' && process.stderr.write(`[prompt] ${kind}\n`),
    );
    emulator.on('pinProgress', ({ digits }) =>
      process.stderr.write(`[pin] ${'*'.repeat(digits)}\n`),
    );
    process.stderr.write(
      `密码键盘模拟器已启动 / PIN pad emulator (${protocol}) on ${flags.port}` +
        `${pin ? `, PIN typed automatically` : ', interactive PIN'}${autoCard && protocol === 'abecs' ? `, card ${autoCard}` : ''}\n` +
        `输入 help 查看控制命令 / type help for control commands; Ctrl+C to stop\n`,
    );
    const faults: EmulatorFaults = {};
    const rl = createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (line) => {
      if (line.trim() === '') return;
      void applyPinpadControl(emulator, line, faults).then((reply) =>
        process.stderr.write(`${reply ?? `未知命令 / unknown command: ${line.trim()} (help)`}\n`),
      );
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    rl.close();
    await emulator.stop();
    return 0;
  },
};
