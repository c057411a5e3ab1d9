// `cashier pinpad-sim`: a PIN pad emulator (any protocol of the registry) on a serial port
// (e.g. one end of a socat pty pair). Display text and commands go to stderr; control it by
// typing on stdin (answered in Chinese and English; src-main/sim/README.md lists the knobs).
import { isPinpadProtocol, PINPAD_PROTOCOL_IDS, pinpadDriver } from '../../devices/pinpad';
import { formatReply, serveControl, untilStopSignal } from '../../sim/control';
import {
  DEFAULT_CARDS,
  EMULATOR_SERIAL_PATTERN,
  PINPAD_CONTROL_HELP,
  applyPinpadControl,
  loadCardsFile,
  startPinpadEmulator,
} from '../../sim/pinpad';
import { CliUsageError, defineCommand, required } from '../command';

const PROTOCOLS = PINPAD_PROTOCOL_IDS.join('|');

const USAGE = `pinpad-sim --protocol ${PROTOCOLS} --port PATH [--pin DIGITS] [--master-key INDEX:HEX[,INDEX:HEX]] [--cards FILE] [--card ID | --no-auto-card] [--serial-number SN]`;

function fail(zh: string, en: string): never {
  throw new CliUsageError(en, zh);
}

export const pinpadSimCommand = defineCommand({
  summary: `密码键盘模拟器 / PIN pad emulator (${PINPAD_PROTOCOL_IDS.join(', ')})\n${formatReply(
    PINPAD_CONTROL_HELP,
  ).replace(/^/gm, '      ')}`,
  usage: USAGE,
  options: {
    protocol: { type: 'string' },
    port: { type: 'string' },
    pin: { type: 'string' },
    'master-key': { type: 'string' },
    cards: { type: 'string' },
    card: { type: 'string' },
    'no-auto-card': { type: 'boolean' },
    'serial-number': { type: 'string' },
  },
  help: [
    `--protocol P        ${PINPAD_PROTOCOL_IDS.join(' or ')}`,
    '--port PATH         the serial port the emulated pad sits on (e.g. one end of a socat pair)',
    '--pin DIGITS        typed automatically at every PIN prompt',
    '--master-key I:HEX  master keys by slot (default: the training key in slots 0 and 1)',
    '--cards FILE        card table (JSON); --card ID presents that card; --no-auto-card none',
    '--serial-number SN  the serial number the pad reports (play a replaced pad)',
  ],
  async run(flags) {
    const protocol = flags.protocol;
    if (!isPinpadProtocol(protocol)) {
      fail(
        `--protocol 须为 ${PINPAD_PROTOCOL_IDS.join(' 或 ')}`,
        `--protocol must be ${PINPAD_PROTOCOL_IDS.join(' or ')}`,
      );
    }
    const port = required(flags.port, '--port');
    const pin = flags.pin;
    if (pin !== undefined && !/^\d{4,12}$/.test(pin))
      fail('--pin 须为4至12位数字', '--pin must be 4-12 digits');
    let masterKeys: Record<number, string> | undefined;
    if (flags['master-key'] !== undefined) {
      masterKeys = {};
      for (const item of flags['master-key'].split(',')) {
        const m = /^(\d{1,2}):((?:[0-9A-Fa-f]{16}){1,3})$/.exec(item.trim());
        const shown = item.replace(/:.*/, ':***');
        if (!m) fail(`--master-key 格式错误："${shown}"`, `bad --master-key "${shown}"`);
        masterKeys[Number(m[1])] = m[2]!;
      }
    }
    let cards;
    try {
      cards = flags.cards ? loadCardsFile(flags.cards) : undefined;
    } catch (err) {
      fail(
        `卡片文件无效：${(err as Error).message}`,
        `invalid cards file: ${(err as Error).message}`,
      );
    }
    const serialNumber = flags['serial-number'];
    if (serialNumber !== undefined && !EMULATOR_SERIAL_PATTERN.test(serialNumber))
      fail(
        '--serial-number 须为1至20位字母、数字或短横线',
        '--serial-number must be 1-20 letters, digits or dashes',
      );
    const cardIds = (cards ?? DEFAULT_CARDS).map((c) => c.id);
    const autoCard = flags['no-auto-card'] ? undefined : (flags.card ?? cardIds[0]);
    if (autoCard && !cardIds.includes(autoCard))
      fail(`没有此卡："${autoCard}"`, `no card "${autoCard}"`);
    // Only a pad with a card reader is handed the card automatically.
    const { magstripe, chip, contactless } = pinpadDriver(protocol).capabilities;
    const presents = !!autoCard && (magstripe || chip || contactless);
    let emulator;
    try {
      emulator = await startPinpadEmulator({
        protocol,
        path: port,
        ...(pin ? { pin } : {}),
        ...(masterKeys ? { masterKeys } : {}),
        ...(cards ? { cards } : {}),
        ...(presents ? { autoCard } : {}),
        ...(serialNumber ? { serialNumber } : {}),
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
      `密码键盘模拟器已启动 / PIN pad emulator (${protocol}) on ${port}` +
        `${pin ? `, PIN typed automatically` : ', interactive PIN'}${presents ? `, card ${autoCard}` : ''}\n` +
        `输入 help 查看控制命令 / type help for control commands; Ctrl+C to stop\n`,
    );
    const pad = emulator;
    const control = serveControl([(line) => applyPinpadControl(pad, line)]);
    await untilStopSignal();
    control.stop();
    await emulator.close();
    return 0;
  },
});
