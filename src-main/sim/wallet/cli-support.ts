// What `cashier host-sim --wallet-port N` needs from the wallet simulator: start it with the
// training defaults, print a banner and every "sent" SMS code, and take fault commands typed on
// stdin (the same idea as the printer emulator's control commands).
import { isWalletSimErrorCode } from './host-errors';
import { TRAINING_WALLET_TERMINAL } from './accounts';
import type { WalletSimulator } from './server';
import { startTrainingWalletSimulator } from './training';
import { TRAINING_WALLET_TLS } from './training-tls';

export const WALLET_CONTROL_HELP = [
  'wallet codes               列出已发送的验证码 / list SMS codes sent',
  'wallet delay <ms>          应答延迟 / delay every answer',
  'wallet drop on|off         读完请求后断开连接 / cut the connection instead of answering',
  'wallet badsig on|off       应答签名错误 / sign answers with a wrong key',
  'wallet error <CODE>|off    强制返回错误码 / refuse everything with CODE (e.g. SYSTEM_ERROR)',
  'wallet clear               清除所有故障 / clear all faults',
].join('\n');

function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/**
 * Starts the training wallet simulator and reports through `log` (one line per call): a banner
 * with the URL, terminal id and certificate fingerprint, then each code as it is "sent".
 */
export async function startWalletHostSim(options: {
  port: number;
  host?: string;
  log: (line: string) => void;
}): Promise<WalletSimulator> {
  const sim = await startTrainingWalletSimulator({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    onCodeSent: (sent) =>
      options.log(
        `短信验证码 / SMS code to ${maskPhone(sent.phone)} (account ${sent.account}): ${sent.code}`,
      ),
  });
  options.log(
    `钱包主机模拟器已启动 / Wallet host simulator on ${sim.url} ` +
      `(terminal ${TRAINING_WALLET_TERMINAL.terminalId}, TLS SHA-256 ${TRAINING_WALLET_TLS.sha256Fingerprint})`,
  );
  return sim;
}

/**
 * Applies one typed control line starting with `wallet`; returns the reply to print, or
 * undefined when the line is not a wallet command (so other simulators can try it).
 */
export function applyWalletControlCommand(sim: WalletSimulator, line: string): string | undefined {
  const [word, command, arg] = line.trim().split(/\s+/);
  if (word !== 'wallet') return undefined;
  const faults = sim.faults();
  const onOff = arg === 'on' ? true : arg === 'off' ? false : undefined;
  switch (command) {
    case 'codes': {
      const codes = sim.sentCodes();
      if (codes.length === 0) return '尚未发送验证码 / no codes sent yet';
      return codes
        .map((c) => `${new Date(c.at).toISOString()} ${maskPhone(c.phone)} ${c.account} ${c.code}`)
        .join('\n');
    }
    case 'delay': {
      const ms = Number(arg);
      if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
        return '延迟无效 / bad delay (0-600000 ms)';
      if (ms === 0) delete faults.delayMs;
      else faults.delayMs = ms;
      break;
    }
    case 'drop':
    case 'badsig': {
      if (onOff === undefined) return '请用 on 或 off / use on or off';
      const key = command === 'drop' ? 'dropConnection' : 'badResponseSignature';
      if (onOff) faults[key] = true;
      else delete faults[key];
      break;
    }
    case 'error': {
      if (arg === 'off') delete faults.forceErrorCode;
      else if (isWalletSimErrorCode(arg)) faults.forceErrorCode = arg;
      else return `未知错误码 / unknown error code: ${arg ?? ''}`;
      break;
    }
    case 'clear':
      sim.setFaults({});
      return '钱包模拟器故障已清除 / wallet faults cleared';
    default:
      return WALLET_CONTROL_HELP;
  }
  sim.setFaults(faults);
  return `钱包模拟器故障 / wallet faults: ${JSON.stringify(faults)}`;
}
