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
]);

/** Plain-words names of config fields for the Chinese message. */
const FIELD_ZH: Record<string, string> = {
  'merchant.id': '商户号（15位字母或数字）',
  'merchant.name': '商户名称（1至40个字符）',
  'terminal.id': '终端号（8位字母或数字）',
  servicePhone: '服务电话',
  'host.address': '主机地址',
  'host.port': '主机端口（1至65535）',
  'host.pinnedCertSha256': '主机证书指纹（启用TLS时必填）',
  'host.connectTimeoutMs': '连接超时（500至60000毫秒）',
  'host.responseTimeoutMs': '应答超时（1000至120000毫秒）',
  'host.macAlgorithm': 'MAC 算法',
  'security.passwordMaxAgeDays': '密码有效期（0至365天）',
  'security.idleLockMinutes': '无操作锁定时间（0至240分钟）',
};

function invalidSettings(err: ConfigError): ApiError {
  const fields = err.problems.map((p) => p.split(':')[0]!.trim());
  const fieldsZh = [...new Set(fields.map((f) => FIELD_ZH[f] ?? f))].join('、');
  return new ApiError(
    'SETTINGS_INVALID',
    { problems: err.problems, fieldsZh },
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
  after: CashierConfig;
  changed: string[];
  restartNeeded: boolean;
}

export class Settings {
  constructor(
    private readonly dataDir: string,
    /** The config the console runs with now. */
    private readonly running: () => CashierConfig,
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
    const { after, changed } = await named(() => updateConfigFile(this.dataDir, change));
    const running = this.running();
    running.merchant.name = after.merchant.name;
    running.language = after.language;
    running.security.passwordMaxAgeDays = after.security.passwordMaxAgeDays;
    running.security.idleLockMinutes = after.security.idleLockMinutes;
    return { after, changed, restartNeeded: changed.some((f) => !LIVE_FIELDS.has(f)) };
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
    host: {
      address: config.host.address,
      port: config.host.port,
      tls: config.host.tls,
      pinnedCertSha256: config.host.pinnedCertSha256 ?? '',
      connectTimeoutMs: config.host.connectTimeoutMs,
      responseTimeoutMs: config.host.responseTimeoutMs,
      macAlgorithm: config.host.macAlgorithm,
    },
    security: { ...config.security },
  };
}
