// `cashier pinpad info`: open a PIN pad and print what it says about itself as JSON. Without
// --port it lists the serial ports and which PIN pad protocol answers on each.
import { existsSync } from 'node:fs';
import {
  createPinpad,
  detectPinpadProtocol,
  isPinpadError,
  isPinpadProtocol,
  PINPAD_PROTOCOL_IDS,
} from '../../devices/pinpad';
import { listPorts } from '../../devices/serial';
import { CliUsageError, defineCommand } from '../command';

const USAGE = `pinpad info [--protocol ${PINPAD_PROTOCOL_IDS.join('|')}] [--port PATH] [--watch PATH[,PATH]]`;

export const pinpadInfoCommand = defineCommand({
  summary:
    '显示密码键盘信息（JSON），不指定端口时列出串口并识别协议 / Print PIN pad info as JSON; without --port, list ports and detect protocols',
  usage: USAGE,
  options: {
    protocol: { type: 'string' },
    port: { type: 'string' },
    watch: { type: 'string' },
  },
  help: [
    `--protocol P      ${PINPAD_PROTOCOL_IDS.join(' or ')} (default: detected)`,
    '--port PATH       the serial port of the PIN pad (default: list every port)',
    '--watch PATH,...  also look at these paths when listing (e.g. socat links)',
  ],
  async run(flags) {
    const protocolFlag = flags.protocol;
    if (protocolFlag !== undefined && !isPinpadProtocol(protocolFlag)) {
      throw new CliUsageError(
        `--protocol must be ${PINPAD_PROTOCOL_IDS.join(' or ')}`,
        `--protocol 须为 ${PINPAD_PROTOCOL_IDS.join(' 或 ')}`,
      );
    }
    if (flags.port === undefined) {
      const extraPaths = flags.watch ? flags.watch.split(',') : [];
      const ports = await listPorts({ extraPaths });
      const out = [];
      for (const port of ports) {
        const protocol = await detectPinpadProtocol(port, { timeoutMs: 800 }).catch(
          () => undefined,
        );
        out.push({ ...port, protocol: protocol ?? null });
      }
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    const port = flags.port;
    if (!existsSync(port) && !/^COM\d+$/i.test(port)) {
      process.stderr.write(`找不到串口：${port}\nNo such serial port: ${port}\n`);
      return 1;
    }
    const protocol = protocolFlag ?? (await detectPinpadProtocol(port).catch(() => undefined));
    if (!protocol) {
      process.stderr.write(`无法识别密码键盘协议 / no PIN pad protocol answers on ${port}\n`);
      return 1;
    }
    const pad = createPinpad({ protocol, path: port });
    try {
      const info = await pad.open();
      process.stdout.write(`${JSON.stringify({ path: port, ...info }, null, 2)}\n`);
      return 0;
    } catch (err) {
      if (isPinpadError(err)) {
        process.stderr.write(`${err.messageZh} / ${err.message}\n`);
        process.stdout.write(
          `${JSON.stringify({ path: port, protocol, error: { code: err.code, message: err.message, messageZh: err.messageZh } }, null, 2)}\n`,
        );
        return 1;
      }
      throw err;
    } finally {
      await pad.close().catch(() => undefined);
    }
  },
});
