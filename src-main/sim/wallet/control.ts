// Commands typed on `cashier host-sim --wallet-port N`'s stdin, prefixed with `wallet` because
// the bank host simulator reads the same stdin (the table of every simulator's knobs is
// ../README.md).
import { helpReply, planReply, plain, reply, type HelpRow, type Reply } from '../control';
import { isWalletSimErrorCode } from './host-errors';
import type { WalletSimulator } from './server';
import { maskPhone } from '../../common';

const HELP: readonly HelpRow[] = [
  ['wallet codes', '列出已发送的验证码', 'list SMS codes sent'],
  ['wallet delay MS', '延迟 MS 毫秒应答（0 取消）', 'delay every answer by MS ms (0: off)'],
  ['wallet drop on|off', '读完请求后断开连接', 'cut the connection instead of answering'],
  ['wallet badsig on|off', '应答签名错误', 'sign answers with a wrong key'],
  [
    'wallet error CODE|off',
    '强制返回错误码（如 SYSTEM_ERROR）',
    'refuse everything with CODE (e.g. SYSTEM_ERROR)',
  ],
  ['wallet faults', '显示当前故障', 'show the faults in force'],
  ['wallet clear', '清除所有故障', 'clear all faults'],
];

export const WALLET_CONTROL_HELP: Reply = helpReply(HELP);

const NAME = { zh: '钱包模拟器', en: 'wallet' };

/**
 * Applies one typed control line starting with `wallet`; undefined when the line is not a
 * wallet command (so the other simulator on the same stdin can try it).
 */
export function applyWalletControl(sim: WalletSimulator, line: string): Reply | undefined {
  const [word, command, arg] = line.trim().split(/\s+/);
  if (word !== 'wallet') return undefined;
  const onOff = arg === 'on' ? true : arg === 'off' ? false : undefined;
  switch (command) {
    case 'codes': {
      const codes = sim.sentCodes();
      if (codes.length === 0) return reply('尚未发送验证码', 'no codes sent yet');
      return plain(
        codes
          .map(
            (c) => `${new Date(c.at).toISOString()} ${maskPhone(c.phone)} ${c.account} ${c.code}`,
          )
          .join('\n'),
      );
    }
    case 'delay': {
      const ms = Number(arg);
      if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
        return reply('延迟无效（0-600000 毫秒）', 'bad delay (0-600000 ms)');
      sim.faults.update({ delayMs: ms === 0 ? undefined : ms });
      break;
    }
    case 'drop':
    case 'badsig': {
      if (onOff === undefined) return reply('请用 on 或 off', 'use on or off');
      sim.faults.update(
        command === 'drop' ? { dropConnection: onOff } : { badResponseSignature: onOff },
      );
      break;
    }
    case 'error': {
      if (arg === 'off') sim.faults.update({ forceErrorCode: undefined });
      else if (isWalletSimErrorCode(arg)) sim.faults.update({ forceErrorCode: arg });
      else return reply(`未知错误码：${arg ?? ''}`, `unknown error code: ${arg ?? ''}`);
      break;
    }
    case 'faults':
      break;
    case 'clear':
      sim.faults.clear();
      return reply('钱包模拟器故障已清除', 'wallet faults cleared');
    default:
      return WALLET_CONTROL_HELP;
  }
  return planReply(NAME, sim.faults.current());
}
