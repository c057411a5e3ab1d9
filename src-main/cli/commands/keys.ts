// `cashier keys load-tmk`: key injection at installation. The terminal master key goes into
// the software key store (encrypted at rest) for PIN pads that cannot hold it (ABECS has no
// key loading; MACs are computed on the PC). It is read from stdin or --tmk and never printed.
import path from 'node:path';
import { SoftwareKeyStore } from '../../host';
import { keyCheckValue } from '../../crypto';
import { openStore } from '../../store';
import { defaultDataDir } from '../../core/data-dir';
import { parseFlags, type CliCommand } from '../command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const keysLoadTmkCommand: CliCommand = {
  name: ['keys', 'load-tmk'],
  summary: 'Load the terminal master key (hex, from --tmk or stdin); prints only its check value.',
  usage: 'keys load-tmk [--data-dir DIR] [--tmk HEX]',
  async run(args) {
    const flags = parseFlags(args);
    const dataDir = typeof flags['data-dir'] === 'string' ? flags['data-dir'] : defaultDataDir();
    const hex = (typeof flags.tmk === 'string' ? flags.tmk : await readStdin()).trim();
    if (!/^([0-9A-Fa-f]{32}|[0-9A-Fa-f]{48})$/.test(hex)) {
      process.stderr.write('主密钥须为32或48位十六进制 / The TMK must be 32 or 48 hex digits\n');
      return 2;
    }
    const tmk = Buffer.from(hex, 'hex');
    new SoftwareKeyStore(path.join(dataDir, 'keys')).setMasterKey(tmk);
    const kcv = keyCheckValue(tmk, '3des').toString('hex').toUpperCase();
    const store = await openStore(dataDir);
    await store.audit.record({ kind: 'key-load', detail: { key: 'TMK', kcv, source: 'cli' } });
    await store.close();
    process.stdout.write(`主密钥已装载 / TMK loaded, check value ${kcv}\n`);
    tmk.fill(0);
    return 0;
  },
};
