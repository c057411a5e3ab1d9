// `cashier host-sim`: the UnionPay-style bank host simulator on TCP (or TLS). Fault knobs are
// set by typing commands on stdin; one line per request goes to stderr (no card numbers).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { keyCheckValue } from '../../crypto/kcv';
import {
  defaultHostSimConfig,
  HostSimConfigError,
  loadHostSimConfig,
  startHostSimulator,
  type HostSimFaults,
  type HostSimulatorHandle,
} from '../../sim/host';
import type { WalletSimulator } from '../../sim/wallet';
import { applyWalletControlCommand, startWalletHostSim } from '../../sim/wallet/cli-support';
import { defineCommand, integer } from '../command';

const USAGE =
  'host-sim --port N [--wallet-port N] [--config FILE] [--host ADDR] [--tls-key PEM --tls-cert PEM] [--quiet]';

const CONTROL_HELP = [
  'delay MS | drop | close | stan | badmac | code XX | signon | clear | stats | help',
  '(a fault applies to every request until "clear"; prefix with "once" for one request)',
].join('\n');

/** Applies one stdin control line; returns the reply to print. */
export function applyHostSimCommand(sim: HostSimulatorHandle, line: string): string | undefined {
  const words = line.trim().split(/\s+/);
  let once = false;
  if (words[0] === 'once') {
    once = true;
    words.shift();
  }
  const [cmd, arg] = words;
  const set = (f: HostSimFaults, text: string): string => {
    sim.setFaults(once ? { ...f, times: 1 } : f);
    return `${text}${once ? ' (once)' : ''}`;
  };
  switch (cmd) {
    case 'delay': {
      const ms = Number(arg);
      if (!Number.isInteger(ms) || ms < 0) return '用法 / usage: delay MS';
      return set({ delayMs: ms }, `延迟应答 / delay ${ms} ms`);
    }
    case 'drop':
      return set({ drop: true }, '不应答 / drop answers');
    case 'close':
      return set({ closeMidFrame: true }, '半帧断开 / close mid-frame');
    case 'stan':
      return set({ wrongStan: true }, '错误流水号 / wrong STAN');
    case 'badmac':
      return set({ badMac: true }, '错误MAC / bad MAC');
    case 'signon':
      return set({ requireSignOn: true }, '要求重新签到 / header asks for sign-on');
    case 'code':
      if (!arg || !/^[0-9A-Z]{2}$/.test(arg)) return '用法 / usage: code XX';
      return set({ forceResponseCode: arg }, `强制应答码 / force response code ${arg}`);
    case 'clear':
      sim.setFaults(undefined);
      sim.resetPinTries();
      return '已清除故障 / faults cleared';
    case 'stats':
      return JSON.stringify(sim.stats);
    case 'help':
      return CONTROL_HELP;
    default:
      return undefined;
  }
}

export const hostSimCommand = defineCommand({
  name: ['host-sim'],
  summary: `银行主机模拟器（银联POS 8583）/ Bank host simulator (UnionPay-style ISO 8583)\n      stdin: ${CONTROL_HELP.replace(/\n/g, '\n      ')}`,
  usage: USAGE,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    config: { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-cert': { type: 'string' },
    'wallet-port': { type: 'string' },
    quiet: { type: 'boolean' },
  },
  help: [
    '--port N           TCP port of the bank host (0 = any free port, printed on stdout)',
    '--host ADDR        address to listen on (default 127.0.0.1)',
    '--config FILE      TMK, key scheme and cards (default: the training configuration)',
    '--tls-key FILE --tls-cert FILE   serve TLS with this key and certificate (PEM)',
    '--wallet-port N    also serve the wallet host (HTTPS, training certificate) on this port',
    'stdout: the bank host port, then (with --wallet-port) the wallet host port, one per line',
    '--quiet            do not log each request',
  ],
  async run(flags) {
    const port = integer(flags.port ?? '', '--port', 0, 65535)!;
    let config;
    try {
      config = flags.config ? loadHostSimConfig(flags.config) : defaultHostSimConfig();
    } catch (e) {
      if (e instanceof HostSimConfigError) {
        process.stderr.write(`${e.messageZh}\n${e.message}\n`);
        return 2;
      }
      throw e;
    }
    let tls: { key: Buffer; cert: Buffer } | undefined;
    if (flags['tls-key'] && flags['tls-cert']) {
      tls = { key: readFileSync(flags['tls-key']), cert: readFileSync(flags['tls-cert']) };
    }
    const quiet = flags.quiet === true;
    let sim: HostSimulatorHandle;
    try {
      sim = await startHostSimulator({
        port,
        host: flags.host ?? '127.0.0.1',
        config,
        ...(tls ? { tls } : {}),
        ...(quiet ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
      });
    } catch (e) {
      process.stderr.write(`无法启动模拟器 / Cannot start: ${(e as Error).message}\n`);
      return 1;
    }
    // The TMK itself is never printed, only its check value.
    const kcv = keyCheckValue(Buffer.from(config.tmk, 'hex'), '3des').toString('hex');
    process.stderr.write(
      `银行主机模拟器已启动 / Host simulator listening on ${tls ? 'tls' : 'tcp'}:${sim.host}:${sim.port}\n` +
        `主密钥校验值 / TMK check value ${kcv.toUpperCase()}, ${config.cards.length} cards\n` +
        `输入 help 查看控制命令 / type help for control commands; Ctrl+C to stop\n`,
    );
    process.stdout.write(`${sim.port}\n`);
    // The payment institution's wallet host, over HTTPS with the training certificate.
    let wallet: WalletSimulator | undefined;
    const walletPort = integer(flags['wallet-port'], '--wallet-port', 0, 65535);
    if (walletPort !== undefined) {
      wallet = await startWalletHostSim({
        port: walletPort,
        host: sim.host,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      // The second stdout line, so a script can start both on port 0 and read them back.
      process.stdout.write(`${wallet.port}\n`);
    }
    const rl = createInterface({ input: process.stdin, terminal: false });
    rl.on('line', (line) => {
      if (line.trim() === '') return;
      const reply =
        (wallet ? applyWalletControlCommand(wallet, line) : undefined) ??
        applyHostSimCommand(sim, line);
      process.stderr.write(`${reply ?? `未知命令 / unknown command: ${line.trim()} (help)`}\n`);
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    rl.close();
    await wallet?.close();
    await sim.close();
    return 0;
  },
});
