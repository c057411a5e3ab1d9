// Commands typed on `cashier host-sim`'s stdin: fault knobs of the bank host simulator
// (the table of every simulator's knobs is ../README.md).
import { helpReply, plain, planReply, reply, type HelpRow, type Reply } from '../control';
import type { HostSimFaults } from './faults';
import type { HostSimulator } from './server';

const HELP: readonly HelpRow[] = [
  ['delay MS', '延迟 MS 毫秒应答', 'answer MS ms late'],
  ['drop', '不应答', 'read the request, never answer'],
  ['close', '发半帧后断开连接', 'send half an answer, then close the connection'],
  ['stan', '应答流水号（F11）错误', 'answer with another trace number (F11)'],
  ['badmac', '应答 MAC（F64）错误', 'answer with a corrupted MAC (F64)'],
  ['code XX', '强制应答码 XX（F39）', 'answer every request with response code XX (F39)'],
  ['signon', '报文头要求重新签到', 'answer header asks the terminal to sign on again'],
  [
    'once ...',
    '下一个请求生效一次，如 once code 51',
    'for the next request only, e.g. once code 51',
  ],
  ['faults', '显示当前故障', 'show the faults in force'],
  ['clear', '清除故障和密码错误次数', 'clear faults and PIN-try counters'],
  ['stats', '显示计数', 'print counters'],
  ['help', '显示本帮助', 'this help'],
];

export const HOST_CONTROL_HELP: Reply = helpReply(HELP);

const NAME = { zh: '银行主机模拟器', en: 'host simulator' };

/** Applies one control line; undefined when it is not a host simulator command. */
export function applyHostControl(sim: HostSimulator, line: string): Reply | undefined {
  const words = line.trim().split(/\s+/);
  let once = false;
  if (words[0] === 'once') {
    once = true;
    words.shift();
  }
  const [cmd, arg] = words;
  const set = (f: HostSimFaults, zh: string, en: string): Reply => {
    sim.faults.set(once ? { ...f, times: 1 } : f);
    return once ? reply(`${zh}（一次）`, `${en} (once)`) : reply(zh, en);
  };
  switch (cmd) {
    case 'delay': {
      const ms = Number(arg);
      if (!Number.isInteger(ms) || ms < 0) return reply('用法：delay 毫秒数', 'usage: delay MS');
      return set({ delayMs: ms }, `延迟应答 ${ms} 毫秒`, `delay ${ms} ms`);
    }
    case 'drop':
      return set({ drop: true }, '不应答', 'drop answers');
    case 'close':
      return set({ closeMidFrame: true }, '半帧断开', 'close mid-frame');
    case 'stan':
      return set({ wrongStan: true }, '错误流水号', 'wrong STAN');
    case 'badmac':
      return set({ badMac: true }, '错误MAC', 'bad MAC');
    case 'signon':
      return set({ requireSignOn: true }, '要求重新签到', 'header asks for sign-on');
    case 'code':
      if (!arg || !/^[0-9A-Z]{2}$/.test(arg)) return reply('用法：code XX', 'usage: code XX');
      return set({ forceResponseCode: arg }, `强制应答码 ${arg}`, `force response code ${arg}`);
    case 'faults':
      return planReply(NAME, sim.faults.current());
    case 'clear':
      sim.faults.clear();
      sim.resetPinTries();
      return reply('已清除故障', 'faults cleared');
    case 'stats':
      return plain(JSON.stringify(sim.stats));
    case 'help':
      return HOST_CONTROL_HELP;
    default:
      return undefined;
  }
}
