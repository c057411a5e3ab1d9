// `cashier keys ...`: key injection at installation. Keys are read from stdin (or a flag, for
// scripts) and never printed: only their check values. Where they go depends on the PIN pad:
// an ABECS pad cannot load keys (its master keys are injected by the maker's tool) and cannot
// MAC, so the TMK goes into the console's key store (encrypted at rest); a Chinese EPP takes
// its master keys itself (command 31h), and the console keeps only their check values.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { keyCheckValue } from '../../crypto';
import { createPinpad, pinpadDriver } from '../../devices/pinpad';
import { SoftwareKeyStore, type FileKeyProtection } from '../../host';
import { CONFIG_FILE_NAME, parseConfig, type CashierConfig } from '../../core/config';
import { defaultDataDir } from '../../core/data-dir';
import { liveKeysDir } from '../../core/terminal';
import { openStore } from '../../store';
import { CliUsageError, defineCommand } from '../command';

let keyProtection: FileKeyProtection | undefined;

/** The Electron shell runs these commands with the OS's sealing (`收银台 --cli keys ...`). */
export function useKeyProtection(protection: FileKeyProtection | undefined): void {
  keyProtection = protection;
}

export function keyProtectionForCli(): FileKeyProtection | undefined {
  return keyProtection;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function secretHex(flag: string | undefined, digits: number[], what: [string, string]) {
  const hex = (flag ?? (await readStdin())).trim();
  if (!digits.some((n) => new RegExp(`^[0-9A-Fa-f]{${n}}$`).test(hex))) {
    const lengths = digits.join('/');
    throw new CliUsageError(
      `The ${what[0]} must be ${lengths} hex digits`,
      `${what[1]}须为${lengths}位十六进制数`,
    );
  }
  return Buffer.from(hex, 'hex');
}

/** The config that says which PIN pad holds the keys: --config, else the data folder's. */
function readConfig(configFile: string | undefined, dataDir: string): CashierConfig | undefined {
  const file = configFile ?? path.join(dataDir, CONFIG_FILE_NAME);
  if (!existsSync(file)) return undefined;
  return parseConfig(readFileSync(file, 'utf8'), file);
}

async function audit(dataDir: string, detail: Record<string, unknown>): Promise<void> {
  const store = await openStore(dataDir);
  try {
    await store.audit.record({ kind: 'key-load', detail: { ...detail, source: 'cli' } });
  } finally {
    await store.close();
  }
}

const DATA_OPTIONS = { 'data-dir': { type: 'string' }, config: { type: 'string' } } as const;
const DATA_HELP = [
  "--data-dir DIR   the console data folder (default: the console's own; with --config, its folder)",
  '--config FILE    the configuration naming the PIN pad (default: config.json in the data folder)',
];

function dataDirOf(flags: { 'data-dir'?: string | undefined; config?: string | undefined }) {
  return flags['data-dir'] ?? (flags.config ? path.dirname(flags.config) : defaultDataDir());
}

export const keysLoadTmkCommand = defineCommand({
  summary:
    '灌装终端主密钥（十六进制，从标准输入或 --tmk），只显示校验值 / Load the terminal master key (hex, from stdin or --tmk); prints only its check value',
  usage: 'keys load-tmk [--config FILE] [--data-dir DIR] [--tmk HEX] [--wallet]',
  options: { ...DATA_OPTIONS, tmk: { type: 'string' }, wallet: { type: 'boolean' } },
  help: [
    ...DATA_HELP,
    '--tmk HEX        the key (32 or 48 hex digits); without it, read from stdin',
    '--wallet         load the wallet master key (payment-password PIN key exchange) instead',
    "ABECS pad: the TMK goes into the console key store (the pad got it from the maker's tool).",
    'Chinese EPP: the key goes into the EPP on the configured port; the console keeps its check value.',
  ],
  async run(flags) {
    const dataDir = dataDirOf(flags);
    const config = readConfig(flags.config, dataDir);
    const which = flags.wallet ? 'wmk' : 'tmk';
    const label = flags.wallet ? 'WMK' : 'TMK';
    const key = await secretHex(
      flags.tmk,
      [32, 48],
      [flags.wallet ? 'wallet master key' : 'TMK', flags.wallet ? '钱包主密钥' : '主密钥'],
    );
    const kcv = keyCheckValue(key, '3des').toString('hex').toUpperCase();
    const keys = new SoftwareKeyStore(liveKeysDir(dataDir), keyProtection);
    try {
      // A pad that loads keys (an EPP) takes them itself; the console keeps their check values.
      const padLoadsKeys =
        config !== undefined && pinpadDriver(config.pinpad.protocol).capabilities.keyLoading;
      if (padLoadsKeys && config.pinpad.port.kind === 'serial') {
        const slot = flags.wallet
          ? config.pinpad.walletMasterKeyIndex
          : config.pinpad.masterKeyIndex;
        const pad = createPinpad({
          protocol: config.pinpad.protocol,
          path: config.pinpad.port.path,
        });
        try {
          await pad.open();
          await pad.loadKeys({
            algorithm: '3des',
            master: { index: slot, key, expectedKcv: Buffer.from(kcv, 'hex') },
          });
        } finally {
          await pad.close().catch(() => undefined);
        }
        keys.recordPadMasterKey(which, kcv);
        await audit(dataDir, { key: label, kcv, into: `${config.pinpad.protocol} slot ${slot}` });
        process.stdout.write(
          `${label} 已装入加密键盘第 ${slot} 号位 / ${label} loaded into EPP slot ${slot}, check value ${kcv}\n`,
        );
        return 0;
      }
      if (flags.wallet) {
        throw new CliUsageError(
          "An ABECS pad takes its wallet master key from the maker's key tool; nothing to load here.",
          'ABECS 密码键盘的钱包主密钥由厂商工具灌装，此处无需装载。',
        );
      }
      keys.setMasterKey(key);
      await audit(dataDir, { key: label, kcv, into: 'key store' });
      process.stdout.write(`主密钥已装载 / TMK loaded, check value ${kcv}\n`);
      return 0;
    } finally {
      key.fill(0);
    }
  },
});

export const keysLoadWalletKeyCommand = defineCommand({
  summary:
    '装载钱包主机签名密钥（64位十六进制，从标准输入或 --key），加密保存 / Install the wallet host signing key (64 hex digits, stdin or --key), encrypted at rest',
  usage: 'keys load-wallet-key [--data-dir DIR] [--key HEX]',
  options: { 'data-dir': { type: 'string' }, key: { type: 'string' } },
  help: [
    "--data-dir DIR   the console data folder (default: the console's own)",
    '--key HEX        the 32-byte signing key as 64 hex digits; without it, read from stdin',
  ],
  async run(flags) {
    const dataDir = flags['data-dir'] ?? defaultDataDir();
    const key = await secretHex(flags.key, [64], ['signing key', '签名密钥']);
    try {
      new SoftwareKeyStore(liveKeysDir(dataDir), keyProtection).setWalletSigningKey(key);
      // A fingerprint the wallet provider can compare with theirs; the key itself never shows.
      const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 8).toUpperCase();
      await audit(dataDir, { key: 'wallet signing key', fingerprint });
      process.stdout.write(
        `钱包签名密钥已装载 / Wallet signing key installed, SHA-256 fingerprint ${fingerprint}\n`,
      );
      return 0;
    } finally {
      key.fill(0);
    }
  },
});

export const keysStatusCommand = defineCommand({
  summary:
    '显示已装载密钥的校验值和保护方式（不显示密钥）/ Show check values of the loaded keys and how they are protected (never the keys)',
  usage: 'keys status [--data-dir DIR]',
  options: { 'data-dir': { type: 'string' } },
  help: ["--data-dir DIR   the console data folder (default: the console's own)"],
  async run(flags) {
    const dir = liveKeysDir(flags['data-dir'] ?? defaultDataDir());
    const protection = SoftwareKeyStore.protectionOf(dir);
    const keys = new SoftwareKeyStore(dir, keyProtection);
    const out = {
      keyFolder: dir,
      protection,
      tmkCheckValue: keys.masterKeyCheckValue() ?? null,
      walletMasterKeyCheckValue: keys.walletMasterKeyCheckValue() ?? null,
      walletSigningKey: keys.walletSigningKey() ? 'installed' : 'missing',
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  },
});
