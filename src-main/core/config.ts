// The terminal's configuration: one JSON file in the user data folder, validated on load.
// A missing file is created with training defaults; a malformed one is reported and left alone,
// because it may hold an engineer's hand edits that a silent rewrite would destroy.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HOST_MAC_ALGORITHMS, messageOf, type ErrorText } from '../common';
import type { LinkProtection } from '../contract';
import { PINPAD_PROTOCOL_IDS } from '../devices/pinpad';
import { walletHostSettingsSchema } from '../host/wallet/settings';
import { PRIVATE_FILE_MODE, tightenMode } from '../system';
import { CONFIG_ERRORS, ConfigError } from './config-error';
import { CONFIG_FILE_NAME, ensureDataDir } from './data-dir';

export { CONFIG_ERRORS, CONFIG_FILE_NAME, ConfigError };

const serialPort = z.object({ kind: z.literal('serial'), path: z.string().min(1) }).strict();

export const configSchema = z
  .object({
    mode: z.enum(['training', 'live']),
    language: z.enum(['zh-CN', 'en']),
    merchant: z
      .object({
        id: z.string().regex(/^[0-9A-Za-z]{15}$/, 'merchant id: 15 letters or digits'),
        name: z.string().min(1).max(40),
      })
      .strict(),
    terminal: z
      .object({ id: z.string().regex(/^[0-9A-Za-z]{8}$/, 'terminal id: 8 letters or digits') })
      .strict(),
    /** Shown in error messages: 请联系银行或POS服务商 (phone); for device and other failures. */
    servicePhone: z.string().max(32),
    /** The bank host's (acquirer's) own service phone, named when the host fails; '' = servicePhone. */
    bankPhone: z.string().max(32).default(''),
    /** The payment institution's own service phone, named when its wallet host fails. */
    walletPhone: z.string().max(32).default(''),
    host: z
      .object({
        address: z.string().min(1),
        port: z.number().int().min(1).max(65535),
        tls: z.boolean(),
        /** SHA-256 fingerprint of the host certificate, hex with or without colons. */
        pinnedCertSha256: z.string().optional(),
        connectTimeoutMs: z.number().int().min(500).max(60_000),
        responseTimeoutMs: z.number().int().min(1_000).max(120_000),
        tpdu: z.string().regex(/^[0-9A-Fa-f]{10}$/, 'tpdu: 10 hex digits'),
        /** The MAC the acquirer asks for: UnionPay POS "ECB" (default), ANSI X9.9 or X9.19. */
        macAlgorithm: z.enum(HOST_MAC_ALGORITHMS).default('ecb'),
        /** A supervisor recorded that the host is reached over a private line or VPN: the only
         *  way live mode accepts a link without TLS (audited; shown in Settings). */
        privateLine: z.boolean().default(false),
      })
      .strict()
      .refine((host) => !host.tls || !!host.pinnedCertSha256, {
        message: 'tls needs pinnedCertSha256 (the SHA-256 fingerprint of the host certificate)',
        path: ['pinnedCertSha256'],
      }),
    pinpad: z
      .object({
        protocol: z.enum(PINPAD_PROTOCOL_IDS),
        port: z.union([serialPort, z.object({ kind: z.literal('simulated') }).strict()]),
        /** Slot of the terminal master key in the PIN pad. */
        masterKeyIndex: z.number().int().min(0).max(99),
        /** Slot of the wallet master key (payment-password PIN key exchange) in the PIN pad. */
        walletMasterKeyIndex: z.number().int().min(0).max(99).default(2),
      })
      .strict(),
    printer: z
      .object({
        /** 'none', 'simulated', 'serial:/dev/ttyUSB0', 'tcp:192.0.2.10:9100', 'usb:/dev/usb/lp0'. */
        target: z.string().min(1),
        paperWidthMm: z.union([z.literal(58), z.literal(80)]),
      })
      .strict(),
    /** Payment institution host for payment accounts; its signing key is in the key store
     *  (`cashier keys load-wallet-key`). */
    wallet: walletHostSettingsSchema.optional(),
    /** The browser shell (`cashier serve`, `start` without Electron): a fixed port for kiosks
     *  (0 or absent: the port of the last start, else any free one); `--port` wins. */
    browserShell: z
      .object({
        port: z
          .number()
          .int()
          .min(0)
          .max(65535)
          // Below 1024 needs root on Linux: a kiosk's till never runs so.
          .refine((port) => port === 0 || port >= 1024, 'port: 0 (automatic) or 1024 to 65535'),
      })
      .strict()
      .optional(),
    security: z
      .object({
        passwordMaxAgeDays: z.number().int().min(0).max(365),
        idleLockMinutes: z.number().int().min(0).max(240),
        /** This till's own limit of PIN tries per card inquiry (the bank's 55 never says how
         *  many the issuer allows; its 75 says the card is locked). */
        pinTriesPerInquiry: z.number().int().min(1).max(9).default(3),
      })
      .strict(),
  })
  .strict()
  .superRefine((config, ctx) => {
    // Live mode refuses an unprotected link outright (no warning that can be clicked away).
    for (const problem of unprotectedLinks(config)) {
      ctx.addIssue({
        code: 'custom',
        path: problem.path,
        message: `${problem.text.en} / ${problem.text.zh}`,
        params: { text: problem.text },
      });
    }
  });

export type CashierConfig = z.infer<typeof configSchema>;

type LinkSettings = {
  mode: 'training' | 'live';
  host: { tls: boolean; pinnedCertSha256?: string | undefined; privateLine: boolean };
  wallet?: { pinnedSha256?: string | undefined; privateLine?: boolean | undefined } | undefined;
};

/** How each link is protected. Training talks to simulators on this PC ('local'). */
export function linkProtection(config: LinkSettings): {
  host: LinkProtection;
  wallet: LinkProtection | null;
} {
  if (config.mode === 'training') return { host: 'local', wallet: 'local' };
  const host: LinkProtection =
    config.host.tls && config.host.pinnedCertSha256
      ? 'tls'
      : config.host.privateLine
        ? 'private-line'
        : 'unprotected';
  const wallet: LinkProtection | null = !config.wallet
    ? null
    : config.wallet.pinnedSha256
      ? 'tls'
      : config.wallet.privateLine
        ? 'private-line'
        : 'unprotected';
  return { host, wallet };
}

/** The links live mode must refuse, each with its reason in both languages. */
export function unprotectedLinks(config: LinkSettings): { path: string[]; text: ErrorText }[] {
  if (config.mode !== 'live') return [];
  const links = linkProtection(config);
  const problems: { path: string[]; text: ErrorText }[] = [];
  if (links.host === 'unprotected') {
    problems.push({
      path: ['host', 'tls'],
      text: messageOf(CONFIG_ERRORS, 'LINK_UNPROTECTED_HOST', undefined).text,
    });
  }
  if (links.wallet === 'unprotected') {
    problems.push({
      path: ['wallet', 'pinnedSha256'],
      text: messageOf(CONFIG_ERRORS, 'LINK_UNPROTECTED_WALLET', undefined).text,
    });
  }
  return problems;
}

/** Training defaults: built-in simulators, so a new install works with no hardware. */
export function defaultConfig(): CashierConfig {
  return {
    mode: 'training',
    language: 'zh-CN',
    merchant: { id: '898440358120001', name: '培训商户 Training Shop' },
    terminal: { id: 'T0000001' },
    servicePhone: '95516',
    bankPhone: '',
    walletPhone: '',
    host: {
      address: '127.0.0.1',
      port: 5000,
      tls: false,
      connectTimeoutMs: 5_000,
      responseTimeoutMs: 30_000,
      tpdu: '6000030000',
      macAlgorithm: 'ecb',
      privateLine: false,
    },
    pinpad: {
      protocol: 'abecs',
      port: { kind: 'simulated' },
      masterKeyIndex: 1,
      walletMasterKeyIndex: 2,
    },
    printer: { target: 'simulated', paperWidthMm: 80 },
    security: { passwordMaxAgeDays: 90, idleLockMinutes: 10, pinTriesPerInquiry: 3 },
  };
}

export function parseConfig(text: string, file: string): CashierConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [`JSON syntax: ${(err as Error).message}`]);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw ConfigError.fromIssues(file, parsed.error.issues);
  return parsed.data;
}

/**
 * Reads the config, creating it with defaults when absent. Never overwrites an existing file.
 * The data folder is made (or tightened to) 0700 and config.json 0600 on POSIX.
 */
export async function loadConfig(dataDir: string): Promise<CashierConfig> {
  const file = path.join(dataDir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const config = defaultConfig();
    await ensureDataDir(dataDir);
    // 'wx' fails if another process created the file meanwhile: then we read theirs.
    try {
      await fs.writeFile(file, `${JSON.stringify(config, null, 2)}\n`, {
        flag: 'wx',
        mode: PRIVATE_FILE_MODE,
      });
      return config;
    } catch (writeErr) {
      if ((writeErr as NodeJS.ErrnoException).code !== 'EEXIST') throw writeErr;
      text = await fs.readFile(file, 'utf8');
    }
  }
  // An existing folder and file from before are tightened too.
  await ensureDataDir(dataDir);
  await tightenMode(file);
  return parseConfig(text, file);
}
