// The settings as the screens change them: config.json read and written through settings-file.ts,
// problems named field by field in both languages, and the few fields that take effect at once
// copied into the running config.
import { ApiError, type SettingsView } from '../contract';
import { ConfigError, loadConfig, type CashierConfig } from './config';
import { checkConfig, updateConfigFile, type ConfigUpdate } from './settings-file';

/** Fields that take effect at once; any other change applies when the terminal opens again
 *  (Apply now, or the next start): the host client and the devices are built from the config. */
const LIVE_FIELDS = new Set([
  'merchant.name',
  'language',
  'security.passwordMaxAgeDays',
  'security.idleLockMinutes',
  'security.pinTriesPerInquiry',
]);

/** Plain-words names of config fields for the Chinese message. */
const FIELD_ZH: Record<string, string> = {
  'merchant.id': '商户号（15位字母或数字）',
  'merchant.name': '商户名称（1至40个字符）',
  'terminal.id': '终端号（8位字母或数字）',
  servicePhone: '服务电话',
  bankPhone: '银行电话',
  walletPhone: '支付机构电话',
  'host.address': '主机地址',
  'host.port': '主机端口（1至65535）',
  'host.pinnedCertSha256': '主机证书指纹（启用TLS时必填）',
  'host.connectTimeoutMs': '连接超时（500至60000毫秒）',
  'host.responseTimeoutMs': '应答超时（1000至120000毫秒）',
  'host.macAlgorithm': 'MAC 算法',
  'security.passwordMaxAgeDays': '密码有效期（0至365天）',
  'security.idleLockMinutes': '无操作锁定时间（0至240分钟）',
  'security.pinTriesPerInquiry': '本机每次查询的密码输入次数（1至9次）',
  'browserShell.port': '浏览器界面固定端口（1024至65535，留空为自动）',
};

/** The same in English: the cashier reads words, never `terminal.id`. */
const FIELD_EN: Record<string, string> = {
  'merchant.id': 'merchant ID (15 letters or digits)',
  'merchant.name': 'merchant name (1 to 40 characters)',
  'terminal.id': 'terminal ID (8 letters or digits)',
  servicePhone: 'service phone',
  bankPhone: 'bank phone',
  walletPhone: 'payment institution phone',
  'host.address': 'host address',
  'host.port': 'host port (1 to 65535)',
  'host.pinnedCertSha256': 'host certificate fingerprint (needed with TLS)',
  'host.connectTimeoutMs': 'connect timeout (500 to 60000 ms)',
  'host.responseTimeoutMs': 'response timeout (1000 to 120000 ms)',
  'host.macAlgorithm': 'MAC algorithm',
  'security.passwordMaxAgeDays': 'password validity (0 to 365 days)',
  'security.idleLockMinutes': 'idle lock (0 to 240 minutes)',
  'security.pinTriesPerInquiry': "this terminal's PIN tries per inquiry (1 to 9)",
  'browserShell.port': 'fixed port of the browser window (1024 to 65535, or empty for automatic)',
};

function invalidSettings(err: ConfigError): ApiError {
  // An unprotected live link is refused with its reason in both languages.
  if (err.reasons.length > 0) {
    return new ApiError(
      'LINK_UNPROTECTED',
      { reasons: err.reasons },
      { cause: err, details: { problems: err.problems } },
    );
  }
  const fields = err.problems.map((p) => p.split(':')[0]!.trim());
  const fieldsZh = [...new Set(fields.map((f) => FIELD_ZH[f] ?? f))].join('、');
  const fieldsEn = [...new Set(fields.map((f) => FIELD_EN[f] ?? f))].join(', ');
  return new ApiError(
    'SETTINGS_INVALID',
    { problems: err.problems, fieldsZh, fieldsEn },
    { cause: err, details: { problems: err.problems, fields } },
  );
}

async function named<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ConfigError) throw invalidSettings(err);
    throw err;
  }
}

export interface SavedSettings {
  /** The file as it was just before this change (the audit trail says from what to what). */
  before: CashierConfig;
  after: CashierConfig;
  changed: string[];
  restartNeeded: boolean;
}

export class Settings {
  constructor(
    private readonly dataDir: string,
    /** The config the console runs with now. */
    private readonly running: () => CashierConfig,
    /** Tells open windows a change they apply at once (the idle lock time). */
    private readonly onLiveChange: (running: CashierConfig) => void = () => undefined,
  ) {}

  /** config.json as it is now: what the next start (or applying the changes) uses. */
  read(): Promise<CashierConfig> {
    return named(() => loadConfig(this.dataDir));
  }

  /** Checks a whole draft without writing it. */
  check(draft: CashierConfig): Promise<CashierConfig> {
    return named(() => checkConfig(draft, 'config.json'));
  }

  /** Writes a change (checked first; an invalid one never reaches the file) and copies the
   *  fields that take effect at once into the running config. */
  async save(change: (draft: CashierConfig) => void): Promise<SavedSettings> {
    const { before, after, changed } = await named(() => updateConfigFile(this.dataDir, change));
    const running = this.running();
    running.merchant.name = after.merchant.name;
    running.language = after.language;
    running.security.passwordMaxAgeDays = after.security.passwordMaxAgeDays;
    running.security.idleLockMinutes = after.security.idleLockMinutes;
    running.security.pinTriesPerInquiry = after.security.pinTriesPerInquiry;
    if (changed.includes('security.idleLockMinutes')) this.onLiveChange(running);
    return { before, after, changed, restartNeeded: changed.some((f) => !LIVE_FIELDS.has(f)) };
  }

  /** Writes a change that applies only when the terminal opens again (devices); a config the
   *  change would make invalid is a ConfigError. */
  update(change: (draft: CashierConfig) => void): Promise<ConfigUpdate> {
    return updateConfigFile(this.dataDir, change);
  }
}

export function settingsView(config: CashierConfig): SettingsView {
  return {
    mode: config.mode,
    language: config.language,
    merchant: { id: config.merchant.id, name: config.merchant.name },
    terminal: { id: config.terminal.id },
    servicePhone: config.servicePhone,
    bankPhone: config.bankPhone,
    walletPhone: config.walletPhone,
    host: {
      address: config.host.address,
      port: config.host.port,
      tls: config.host.tls,
      pinnedCertSha256: config.host.pinnedCertSha256 ?? '',
      connectTimeoutMs: config.host.connectTimeoutMs,
      responseTimeoutMs: config.host.responseTimeoutMs,
      macAlgorithm: config.host.macAlgorithm,
      privateLine: config.host.privateLine,
    },
    walletLink: config.wallet
      ? { pinned: !!config.wallet.pinnedSha256, privateLine: config.wallet.privateLine ?? false }
      : null,
    security: { ...config.security },
    // 0 or absent: automatic (the port of the last start, else a free one).
    browserShellPort: config.browserShell?.port || null,
  };
}
