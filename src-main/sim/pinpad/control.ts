// Text commands that drive a running emulator: used by `cashier pinpad-sim` on stdin, handy
// for an engineer at a terminal (the table of every simulator's knobs is ../README.md). The
// training UI calls the emulator methods directly.
import { KEYPAD_KEYS } from '../../common';
import {
  errorReply,
  helpReply,
  planReply,
  plain,
  reply,
  type HelpRow,
  type Reply,
} from '../control';
import type { EmulatorFaults, EmulatorKey } from './base';
import type { PinpadEmulator } from './emulators';

const FAULT_USAGE =
  'fault corrupt N | noack N | noresponse N | slow MS | unplug-on CMD | cancel | timeout [MS] | clear';

const HELP: readonly HelpRow[] = [
  ['key 0-9|enter|clear|cancel', '按一个键', 'press one key'],
  ['type DIGITS', '输入数字后按确认', 'type digits then ENTER'],
  ['swipe|insert|tap CARD_ID', '刷卡 / 插卡 / 挥卡', 'present a card'],
  ['remove', '取出芯片卡', 'take the chip card out'],
  ['cards', '列出卡片', 'list card ids'],
  ['fault corrupt N', '下 N 帧校验错误', 'damage the check of the next N frames sent'],
  ['fault noack N', '忽略下 N 条命令', 'ignore the next N commands'],
  ['fault noresponse N', '确认但不应答下 N 条命令', 'acknowledge but never answer the next N'],
  ['fault slow MS', '每字节间隔 MS 毫秒', 'MS ms between the bytes sent'],
  ['fault unplug-on CMD', '收到命令 CMD 时拔线', 'unplug when command CMD arrives'],
  ['fault cancel', '下次提示时持卡人按取消', 'the cardholder presses CANCEL at the next prompt'],
  ['fault timeout [MS]', '持卡人不操作，提示超时', 'the cardholder never acts; prompts time out'],
  ['fault clear | clear', '清除故障', 'clear faults'],
  ['faults', '显示当前故障', 'show the faults in force'],
  ['unplug | replug', '拔出 / 插回连接线', 'pull / restore the cable'],
  [
    'replace SERIAL',
    '换上序列号为 SERIAL 的另一台',
    'another pad (serial number SERIAL) takes its place',
  ],
  ['help', '显示本帮助', 'this help'],
];

export const PINPAD_CONTROL_HELP: Reply = helpReply(HELP);

const KEYS = new Set<string>(KEYPAD_KEYS);

const NAME = { zh: '密码键盘', en: 'PIN pad' };

function faultsReply(emulator: PinpadEmulator): Reply {
  const json = JSON.stringify(emulator.faults.current());
  return reply(`好：密码键盘故障 ${json}`, `ok: faults ${json}`);
}

/** The knob a `fault` command sets, or a usage reply. */
function faultPatch(arg: string | undefined, value: string | undefined): EmulatorFaults | Reply {
  switch (arg) {
    case 'corrupt':
      return { corruptCheck: Number(value ?? 1) };
    case 'noack':
      return { noAck: Number(value ?? 1) };
    case 'noresponse':
      return { noResponse: Number(value ?? 1) };
    case 'slow':
      return { slowBytesMs: Number(value ?? 5) };
    case 'unplug-on':
      if (!value) return plain('fault unplug-on CMD');
      return { unplugOn: value.toUpperCase() };
    case 'cancel':
      return { cardholderCancel: true };
    case 'timeout':
      return { timeout: true, promptTimeoutMs: Number(value ?? 60_000) };
    default:
      return plain(FAULT_USAGE);
  }
}

/** Applies one control line; undefined for an unknown command. */
export async function applyPinpadControl(
  emulator: PinpadEmulator,
  line: string,
): Promise<Reply | undefined> {
  const [word = '', ...rest] = line.trim().split(/\s+/);
  const arg = rest[0];
  try {
    switch (word) {
      case 'help':
        return PINPAD_CONTROL_HELP;
      case 'key':
        if (!arg || !KEYS.has(arg)) return plain('key 0-9|enter|clear|cancel');
        emulator.pressKey(arg as EmulatorKey);
        return arg === 'enter' || arg === 'clear' || arg === 'cancel'
          ? reply(`好：${{ enter: '确认', clear: '清除', cancel: '取消' }[arg]}`, `ok: ${arg}`)
          : reply('好：数字', 'ok: digit');
      case 'type':
        if (!arg || !/^\d+$/.test(arg)) return plain('type DIGITS');
        for (const d of arg) emulator.pressKey(d as EmulatorKey);
        emulator.pressKey('enter');
        return reply(`好：${arg.length} 位数字 + 确认`, `ok: ${arg.length} digits + enter`);
      case 'swipe':
      case 'insert':
      case 'tap': {
        if (!arg) return plain(`${word} CARD_ID`);
        emulator.presentCard(arg, word);
        const how = { swipe: '刷卡', insert: '插卡', tap: '挥卡' }[word];
        return reply(`好：${how} ${arg}`, `ok: ${word} ${arg}`);
      }
      case 'remove':
        emulator.removeCard();
        return reply('好：已取卡', 'ok: card removed');
      case 'cards':
        return plain(
          emulator.cardList.map((c) => `${c.id} (${c.kinds.join(', ')}) ${c.maskedPan}`).join('\n'),
        );
      case 'unplug':
        await emulator.unplug();
        return reply('好：已拔出', 'ok: unplugged');
      case 'replug':
        await emulator.replug();
        return reply('好：已插回', 'ok: plugged in');
      case 'replace':
        if (!arg) return plain('replace SERIAL');
        await emulator.replace(arg);
        return reply(`好：已换上序列号 ${arg} 的密码键盘`, `ok: replaced by the pad ${arg}`);
      case 'faults':
        return planReply(NAME, emulator.faults.current());
      case 'clear':
        emulator.faults.clear();
        return faultsReply(emulator);
      case 'fault': {
        if (arg === 'clear') {
          emulator.faults.clear();
          return faultsReply(emulator);
        }
        const patch = faultPatch(arg, rest[1]);
        if ('en' in patch) return patch;
        emulator.faults.update(patch);
        return faultsReply(emulator);
      }
      default:
        return undefined;
    }
  } catch (err) {
    return errorReply(err);
  }
}
