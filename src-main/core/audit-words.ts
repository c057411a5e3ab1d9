// What an audit entry says, in both languages, for the Audit screen and its CSV: the kind in
// words and the parts of its detail a supervisor reads (never row digests or hashes).
import type { Bilingual } from '../contract';
import type { AuditEntry } from '../store';
import { REVIEW_RULE_WORDS, settingChangeText } from './setting-words';

export const AUDIT_KIND_WORDS: Record<string, Bilingual> = {
  login: { en: 'Login', zh: '登录' },
  'login-failed': { en: 'Failed login', zh: '登录失败' },
  logout: { en: 'Logout', zh: '退出登录' },
  lockout: { en: 'Locked out', zh: '锁定' },
  unlock: { en: 'Unlock', zh: '解锁' },
  'idle-lock': { en: 'Idle lock', zh: '无操作锁定' },
  'password-change': { en: 'Password changed', zh: '修改密码' },
  'password-reset': { en: 'Password reset', zh: '重置密码' },
  'operator-created': { en: 'Operator created', zh: '新增操作员' },
  'config-change': { en: 'Settings changed', zh: '设置已更改' },
  'key-load': { en: 'Key loaded', zh: '装载密钥' },
  'device-change': { en: 'Device changed', zh: '设备变更' },
  'device-approved': { en: 'Device approved', zh: '设备认可' },
  'device-refused': { en: 'Device refused', zh: '设备拒绝' },
  export: { en: 'Export', zh: '导出' },
  backup: { en: 'Backup', zh: '备份' },
  restore: { en: 'Restore', zh: '恢复' },
  'operator-baseline': { en: 'Operators baseline', zh: '操作员基线' },
  'review-ack': { en: 'Review flag acknowledged', zh: '确认复核提示' },
  'review-day': { en: 'Day marked reviewed', zh: '标记当日已复核' },
};

const REASON_WORDS: Record<string, Bilingual> = {
  unknown: { en: 'unknown operator number', zh: '操作员号不存在' },
  'wrong-password': { en: 'wrong password', zh: '密码错误' },
  locked: { en: 'operator locked', zh: '操作员已锁定' },
};

/** Detail keys that are evidence for `log verify`, not reading matter. */
const HIDDEN = new Set(['row', 'digest', 'hash']);

function plain(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(plain).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k} ${plain(v)}`)
      .join(', ');
  }
  return String(value);
}

/** The review rules by name, for entries about a flag. */
const RULE_WORDS: Record<string, Bilingual> = REVIEW_RULE_WORDS;

const DEVICE_WORDS: Record<string, Bilingual> = {
  pinpad: { en: 'PIN pad', zh: '密码键盘' },
  printer: { en: 'printer', zh: '打印机' },
};

const HOW_WORDS: Record<string, Bilingual> = {
  assignment: { en: 'at assignment', zh: '分配设备时' },
  approval: { en: 'approved by a supervisor', zh: '主管确认' },
  'first-use': { en: 'first device seen', zh: '首次使用' },
};

/** A device identity (trusted-devices.ts) as a supervisor reads it. */
function identityText(value: unknown): Bilingual | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const id = value as Record<string, unknown>;
  const kcv = id.keyCheckValue ? `, KCV ${plain(id.keyCheckValue)}` : '';
  const kcvZh = id.keyCheckValue ? `，校验值 ${plain(id.keyCheckValue)}` : '';
  return {
    en: `${plain(id.maker)} ${plain(id.model)}, serial ${plain(id.serialNumber)}, firmware ${plain(id.firmware)}${kcv}`,
    zh: `${plain(id.maker)} ${plain(id.model)}，序列号 ${plain(id.serialNumber)}，固件 ${plain(id.firmware)}${kcvZh}`,
  };
}

/** The kind in words, then what the detail says. */
export function auditText(entry: Pick<AuditEntry, 'kind' | 'detail'>): Bilingual {
  const kind = AUDIT_KIND_WORDS[entry.kind] ?? { en: entry.kind, zh: entry.kind };
  const d = entry.detail ?? {};
  const parts: Bilingual[] = [];
  const add = (en: string, zh: string) => parts.push({ en, zh });
  if (typeof d.reason === 'string' && REASON_WORDS[d.reason]) {
    add(REASON_WORDS[d.reason]!.en, REASON_WORDS[d.reason]!.zh);
  }
  if (d.target !== undefined && d.target !== null)
    add(`operator ${plain(d.target)}`, `操作员 ${plain(d.target)}`);
  if (entry.kind === 'operator-created')
    add(
      `operator ${plain(d.operatorNo)} (${plain(d.role)})`,
      `操作员 ${plain(d.operatorNo)}（${d.role === 'supervisor' ? '主管' : '收银员'}）`,
    );
  if (d.automatic === true) add('automatically, the lock time ended', '锁定时间到，自动解锁');
  if (typeof d.minutes === 'number') add(`${d.minutes} min`, `${d.minutes} 分钟`);
  // Each changed setting in words, with its values where the entry kept them (since this
  // version); older entries and the first run kept the names alone.
  const changes = Array.isArray(d.changes)
    ? (d.changes as { field: string; from?: unknown; to?: unknown }[])
    : Array.isArray(d.fields)
      ? (d.fields as unknown[]).map((field) => ({ field: String(field) }))
      : [];
  for (const change of changes) {
    const text = settingChangeText(change);
    add(text.en, text.zh);
  }
  if (d.applied === true) add('applied now', '立即生效');
  if (typeof d.rows === 'number') add(`${d.rows} rows`, `${d.rows} 笔`);
  if (typeof d.flagId === 'number') {
    const rule = RULE_WORDS[plain(d.rule)] ?? { en: plain(d.rule), zh: plain(d.rule) };
    add(
      `flag ${d.flagId} (${rule.en}, ${plain(d.day)})`,
      `提示 ${d.flagId}（${rule.zh}，${plain(d.day)}）`,
    );
  }
  if (entry.kind === 'review-day') add(`day ${plain(d.day)}`, `日期 ${plain(d.day)}`);
  if (typeof d.device === 'string') {
    const device = DEVICE_WORDS[d.device] ?? { en: d.device, zh: d.device };
    add(device.en, device.zh);
    if (d.training === true) add('training mode', '培训模式');
    if (typeof d.how === 'string') {
      const how = HOW_WORDS[d.how] ?? { en: d.how, zh: d.how };
      add(how.en, how.zh);
    }
    for (const [key, en, zh] of [
      ['before', 'was', '原设备'],
      ['trusted', 'trusted', '已认可'],
      ['after', 'now', '新设备'],
      ['seen', 'seen', '检测到'],
    ] as const) {
      const text = identityText(d[key]);
      if (text) add(`${en}: ${text.en}`, `${zh}：${text.zh}`);
    }
  }
  if (typeof d.note === 'string' && d.note) add(`note: ${d.note}`, `备注：${d.note}`);
  if (typeof d.source === 'string' && d.source !== 'ui')
    add(`from ${d.source}`, `来源：${d.source}`);
  // Whatever else a newer kind records, so nothing an entry says is hidden from the screen.
  const known = new Set([
    'reason',
    'target',
    'operatorNo',
    'role',
    'automatic',
    'minutes',
    'fields',
    'changes',
    'applied',
    'rows',
    'flagId',
    'rule',
    'day',
    'note',
    'source',
    'subject',
    'transactions',
    'mustChangePassword',
    'failures',
    'lockedUntil',
    'lockoutsInARow',
    'firstRun',
    'restartNeeded',
    'wasLocked',
    'osUser',
    'own',
    'from',
    'to',
    'file',
    'flags',
    'inquiries',
    'device',
    'how',
    'before',
    'after',
    'trusted',
    'seen',
    'training',
  ]);
  for (const [key, value] of Object.entries(d)) {
    if (known.has(key) || HIDDEN.has(key)) continue;
    add(`${key}: ${plain(value)}`, `${key}：${plain(value)}`);
  }
  const tail = (lang: 'en' | 'zh') => parts.map((p) => p[lang]).join(lang === 'zh' ? '，' : ', ');
  return {
    en: parts.length ? `${kind.en}: ${tail('en')}` : kind.en,
    zh: parts.length ? `${kind.zh}：${tail('zh')}` : kind.zh,
  };
}
