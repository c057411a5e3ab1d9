// `cashier host-sim`: the UnionPay-style bank host simulator on TCP (or TLS), optionally with
// the wallet host beside it. Fault knobs are set by typing commands on stdin (answered in
// Chinese and English; src-main/sim/README.md lists them); one line per request goes to stderr
// (no card numbers).
import { readFileSync } from 'node:fs';
import { keyCheckValue } from '../../crypto/kcv';
import { formatReply, serveControl, untilStopSignal, type ControlApply } from '../../sim/control';
import {
  applyHostControl,
  defaultHostSimConfig,
  HOST_CONTROL_HELP,
  HostSimConfigError,
  loadHostSimConfig,
  startHostSimulator,
  type HostSimulator,
} from '../../sim/host';
import {
  applyWalletControl,
  startWalletHostSim,
  WALLET_CONTROL_HELP,
  type WalletSimulator,
} from '../../sim/wallet';
import { defineCommand, integer } from '../command';

const USAGE =
  'host-sim --port N [--wallet-port N] [--config FILE] [--host ADDR] [--tls-key PEM --tls-cert PEM] [--quiet]';

const indent = (text: string) => text.replace(/^/gm, '      ');

export const hostSimCommand = defineCommand({
  summary: `银行主机模拟器（银联POS 8583）/ Bank host simulator (UnionPay-style ISO 8583)\n${indent(
    `stdin:\n${formatReply(HOST_CONTROL_HELP)}\n${formatReply(WALLET_CONTROL_HELP)}`,
  )}`,
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
    let sim: HostSimulator;
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
    const { host: address, port: boundPort } = sim.address;
    // The TMK itself is never printed, only its check value.
    const kcv = keyCheckValue(Buffer.from(config.tmk, 'hex'), '3des').toString('hex');
    process.stderr.write(
      `银行主机模拟器已启动 / Host simulator listening on ${tls ? 'tls' : 'tcp'}:${address}:${boundPort}\n` +
        `主密钥校验值 / TMK check value ${kcv.toUpperCase()}, ${config.cards.length} cards\n` +
        `输入 help 查看控制命令 / type help for control commands; Ctrl+C to stop\n`,
    );
    process.stdout.write(`${boundPort}\n`);
    // The payment institution's wallet host, over HTTPS with the training certificate.
    let wallet: WalletSimulator | undefined;
    const walletPort = integer(flags['wallet-port'], '--wallet-port', 0, 65535);
    if (walletPort !== undefined) {
      wallet = await startWalletHostSim({
        port: walletPort,
        host: address,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      // The second stdout line, so a script can start both on port 0 and read them back.
      process.stdout.write(`${wallet.address.port}\n`);
    }
    const applies: ControlApply[] = [(line) => applyHostControl(sim, line)];
    if (wallet) {
      const w = wallet;
      applies.unshift((line) => applyWalletControl(w, line));
    }
    const control = serveControl(applies);
    await untilStopSignal();
    control.stop();
    await wallet?.close();
    await sim.close();
    return 0;
  },
});
