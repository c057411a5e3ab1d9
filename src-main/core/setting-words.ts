// What each setting is called, in both languages, for the audit trail (a settings change reads
// 设置已更改：密码有效期 30 → 60 天, never `security.passwordMaxAgeDays`) and its CSV. One table:
// every leaf of config.json (core/config.ts) and every review threshold (contract review
// channel) has words here; test/unit/core/setting-words.test.ts walks both schemas, so a new
// setting without words fails it. The renderer's own Settings labels cannot be imported by the
// core (the dependency rule), so the audit trail has this table; the words follow them.
import type { Bilingual, ReviewRule } from '../contract';

type Unit = 'days' | 'minutes' | 'ms' | 'mm' | 'tries' | 'points' | 'inquiries' | 'times';

export interface SettingWords extends Bilingual {
  /** The unit a number is in. */
  unit?: Unit;
  /** Words for the values of an enumeration or a flag. */
  values?: Record<string, Bilingual>;
}

const ON_OFF: Record<string, Bilingual> = {
  true: { en: 'on', zh: '开启' },
  false: { en: 'off', zh: '关闭' },
};

const UNIT_WORDS: Record<Unit, { en: (n: number) => string; zh: string }> = {
  days: { en: (n) => (n === 1 ? 'day' : 'days'), zh: '天' },
  minutes: { en: () => 'min', zh: '分钟' },
  ms: { en: () => 'ms', zh: '毫秒' },
  mm: { en: () => 'mm', zh: '毫米' },
  tries: { en: (n) => (n === 1 ? 'try' : 'tries'), zh: '次' },
  points: { en: (n) => (n === 1 ? 'point' : 'points'), zh: '个百分点' },
  inquiries: { en: (n) => (n === 1 ? 'inquiry' : 'inquiries'), zh: '笔' },
  times: { en: (n) => (n === 1 ? 'time' : 'times'), zh: '次' },
};

/** config.json, leaf by leaf (dotted paths as settings-file.ts `changedFields` names them). */
export const CONFIG_SETTING_WORDS: Record<string, SettingWords> = {
  mode: {
    en: 'mode',
    zh: '运行模式',
    values: { training: { en: 'training', zh: '培训' }, live: { en: 'live', zh: '正式' } },
  },
  language: {
    en: 'language',
    zh: '界面语言',
    values: { 'zh-CN': { en: 'Chinese', zh: '中文' }, en: { en: 'English', zh: '英文' } },
  },
  'merchant.id': { en: 'merchant ID', zh: '商户号' },
  'merchant.name': { en: 'merchant name', zh: '商户名称' },
  'terminal.id': { en: 'terminal ID', zh: '终端号' },
  servicePhone: { en: 'service phone', zh: '服务电话' },
  bankPhone: { en: 'bank phone', zh: '银行电话' },
  walletPhone: { en: 'payment institution phone', zh: '支付机构电话' },
  'host.address': { en: 'bank host address', zh: '银行主机地址' },
  'host.port': { en: 'bank host port', zh: '银行主机端口' },
  'host.tls': { en: 'bank host TLS', zh: '银行主机 TLS 加密', values: ON_OFF },
  'host.pinnedCertSha256': { en: 'bank host certificate fingerprint', zh: '银行主机证书指纹' },
  'host.connectTimeoutMs': { en: 'bank host connect timeout', zh: '银行主机连接超时', unit: 'ms' },
  'host.responseTimeoutMs': {
    en: 'bank host response timeout',
    zh: '银行主机应答超时',
    unit: 'ms',
  },
  'host.tpdu': { en: 'TPDU', zh: 'TPDU' },
  'host.macAlgorithm': { en: 'MAC algorithm', zh: 'MAC 算法' },
  'host.privateLine': {
    en: 'bank host over a private line',
    zh: '银行主机经专线连接',
    values: ON_OFF,
  },
  'pinpad.protocol': { en: 'PIN pad protocol', zh: '密码键盘协议' },
  'pinpad.port.kind': {
    en: 'PIN pad connection',
    zh: '密码键盘连接方式',
    values: {
      serial: { en: 'serial port', zh: '串口' },
      simulated: { en: 'simulated', zh: '模拟' },
    },
  },
  'pinpad.port.path': { en: 'PIN pad serial port', zh: '密码键盘串口' },
  'pinpad.masterKeyIndex': { en: 'PIN pad master key slot', zh: '密码键盘主密钥索引' },
  'pinpad.walletMasterKeyIndex': {
    en: 'PIN pad wallet master key slot',
    zh: '密码键盘支付主密钥索引',
  },
  'printer.target': { en: 'printer', zh: '打印机' },
  'printer.paperWidthMm': { en: 'paper width', zh: '纸宽', unit: 'mm' },
  'wallet.url': { en: 'wallet host address', zh: '支付机构主机地址' },
  'wallet.algorithm': { en: 'wallet signing algorithm', zh: '支付机构签名算法' },
  'wallet.pinnedSha256': {
    en: 'wallet host certificate fingerprint',
    zh: '支付机构主机证书指纹',
  },
  'wallet.privateLine': {
    en: 'wallet host over a private line',
    zh: '支付机构主机经专线连接',
    values: ON_OFF,
  },
  'wallet.caFile': { en: 'wallet host CA file', zh: '支付机构主机 CA 证书文件' },
  'wallet.connectTimeoutMs': {
    en: 'wallet host connect timeout',
    zh: '支付机构主机连接超时',
    unit: 'ms',
  },
  'wallet.responseTimeoutMs': {
    en: 'wallet host response timeout',
    zh: '支付机构主机应答超时',
    unit: 'ms',
  },
  'browserShell.port': { en: 'browser window port', zh: '浏览器界面端口' },
  'security.passwordMaxAgeDays': { en: 'password lifetime', zh: '密码有效期', unit: 'days' },
  'security.idleLockMinutes': { en: 'idle lock', zh: '无操作自动锁定', unit: 'minutes' },
  'security.pinTriesPerInquiry': {
    en: 'PIN tries per inquiry',
    zh: '每次查询密码输入次数',
    unit: 'tries',
  },
};

/** The review rules' names (contract/channels/review.ts), for their thresholds here and for
 *  audit entries about a flag (audit-words.ts). */
export const REVIEW_RULE_WORDS: Record<ReviewRule, Bilingual> = {
  'repeat-account': { en: 'same account asked many times', zh: '同一账户短时间内多次查询' },
  'card-testing': { en: 'wrong PINs on several cards', zh: '连续多张卡密码错误' },
  'after-hours': { en: 'outside business hours', zh: '营业时间以外的查询' },
  'operator-rate': { en: 'many failures or cancels', zh: '失败或取消比例偏高' },
  'outcome-unknown': { en: 'outcome unknown', zh: '结果未知' },
  'late-first-print': { en: 'unprinted slip printed later', zh: '未打印的凭条事后补打' },
};

/** The review thresholds' fields, whatever rule they belong to. */
const REVIEW_FIELD_WORDS: Record<string, SettingWords> = {
  enabled: { en: 'on', zh: '启用', values: ON_OFF },
  count: { en: 'asks', zh: '查询次数', unit: 'times' },
  cards: { en: 'cards', zh: '卡数' },
  minutes: { en: 'minutes', zh: '时间', unit: 'minutes' },
  open: { en: 'opening time', zh: '营业开始时间' },
  close: { en: 'closing time', zh: '营业结束时间' },
  minInquiries: { en: 'minimum inquiries', zh: '最少查询笔数', unit: 'inquiries' },
  pointsAbove: { en: 'above the others by', zh: '高于其他操作员', unit: 'points' },
};

/** The words of a setting (`security.idleLockMinutes`, `review.cardTesting.cards`), if any. */
export function settingWords(field: string): SettingWords | undefined {
  const config = CONFIG_SETTING_WORDS[field];
  if (config) return config;
  const [head, rule, name, ...rest] = field.split('.');
  if (head !== 'review' || !rule || !name || rest.length > 0) return undefined;
  // Thresholds are keyed by the rule in camelCase (repeatAccount), flags by its name.
  const ruleWords = REVIEW_RULE_WORDS[
    rule.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) as ReviewRule
  ] as Bilingual | undefined;
  const fieldWords = REVIEW_FIELD_WORDS[name];
  if (!ruleWords || !fieldWords) return undefined;
  return {
    ...fieldWords,
    en: `review rule "${ruleWords.en}": ${fieldWords.en}`,
    zh: `复核规则「${ruleWords.zh}」${fieldWords.zh}`,
  };
}

/** One changed setting with its values before and after (what the audit trail keeps). */
export interface SettingChange {
  field: string;
  from: string | number | boolean | null;
  to: string | number | boolean | null;
}

function valueAt(tree: unknown, field: string): SettingChange['from'] {
  let at: unknown = tree;
  for (const part of field.split('.')) {
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  }
  return typeof at === 'string' || typeof at === 'number' || typeof at === 'boolean' ? at : null;
}

/** The changed fields with their values, read from the settings before and after. Settings
 *  hold no secrets (keys live in the key store), so their values may be audited. */
export function settingChanges(before: unknown, after: unknown, fields: string[]): SettingChange[] {
  return fields.map((field) => ({
    field,
    from: valueAt(before, field),
    to: valueAt(after, field),
  }));
}

function valueText(words: SettingWords | undefined, value: unknown, lang: 'en' | 'zh'): string {
  if (value === null || value === undefined || value === '')
    return lang === 'zh' ? '（空）' : '(none)';
  const named = words?.values?.[String(value)];
  if (named) return named[lang];
  if (typeof value === 'number' && words?.unit) {
    const unit = UNIT_WORDS[words.unit];
    return lang === 'zh' ? `${value} ${unit.zh}` : `${value} ${unit.en(value)}`;
  }
  return String(value);
}

/** "密码有效期 30 → 60 天" / "password lifetime 30 → 60 days"; the name alone without values. */
export function settingChangeText(change: {
  field: string;
  from?: unknown;
  to?: unknown;
}): Bilingual {
  const words = settingWords(change.field);
  const name = words ?? { en: change.field, zh: change.field };
  if (!('from' in change) && !('to' in change)) return { en: name.en, zh: name.zh };
  const both = (lang: 'en' | 'zh') => {
    const from = valueText(words, change.from, lang);
    const to = valueText(words, change.to, lang);
    // One unit at the end when both sides carry the same: 30 → 60 天.
    const unit =
      words?.unit && typeof change.from === 'number' && typeof change.to === 'number'
        ? lang === 'zh'
          ? ` ${UNIT_WORDS[words.unit].zh}`
          : ` ${UNIT_WORDS[words.unit].en(change.to)}`
        : '';
    if (unit) return `${name[lang]} ${change.from as number} → ${change.to as number}${unit}`;
    return `${name[lang]} ${from} → ${to}`;
  };
  return { en: both('en'), zh: both('zh') };
}
