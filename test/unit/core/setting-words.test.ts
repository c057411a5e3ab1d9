// Settings changes in the audit trail read as words in both languages, from one table
// (core/setting-words.ts): every settings key has them (walked from the config schema and the
// review thresholds' schema, so a new setting without words fails here), a change reads
// 设置已更改：密码有效期 30 → 60 天, and the Audit screen's search and its CSV say so.
import { afterEach, describe, expect, it } from 'vitest';
import { reviewSettingsSchema, type AuditPage } from '../../../src-main/contract';
import { auditText } from '../../../src-main/core/audit-words';
import { configSchema } from '../../../src-main/core/config';
import { settingChangeText, settingWords } from '../../../src-main/core/setting-words';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
}

/** Dotted paths of every leaf a schema allows (objects, optionals, defaults, unions walked). */
function leaves(def: Def, prefix: string, out: Set<string>): Set<string> {
  if (def.type === 'object' && def.shape) {
    for (const [key, child] of Object.entries(def.shape)) {
      leaves(child._zod.def, prefix ? `${prefix}.${key}` : key, out);
    }
  } else if (def.innerType) {
    leaves(def.innerType._zod.def, prefix, out);
  } else if (def.type === 'pipe' && def.in) {
    leaves(def.in._zod.def, prefix, out);
  } else if (def.type === 'union' && def.options?.some((o) => o._zod.def.type === 'object')) {
    for (const option of def.options) leaves(option._zod.def, prefix, out);
  } else {
    out.add(prefix);
  }
  return out;
}

const schemaDef = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def;

describe('setting words', () => {
  const configKeys = [...leaves(schemaDef(configSchema), '', new Set())];
  const reviewKeys = [...leaves(schemaDef(reviewSettingsSchema), 'review', new Set())];

  it('walks the schemas: the keys a settings change can name', () => {
    expect(configKeys).toContain('security.passwordMaxAgeDays');
    expect(configKeys).toContain('pinpad.port.path');
    expect(configKeys).toContain('wallet.url');
    expect(reviewKeys).toContain('review.cardTesting.cards');
    expect(configKeys.length + reviewKeys.length).toBeGreaterThan(45);
  });

  it('every settings key has words in English and Chinese', () => {
    const missing: string[] = [];
    for (const key of [...configKeys, ...reviewKeys]) {
      const words = settingWords(key);
      if (!words?.en.trim() || !words.zh.trim()) {
        missing.push(key);
        continue;
      }
      // Words, not the field name; Chinese words in Chinese.
      expect(words.en, key).not.toMatch(/[a-z][A-Z]|\w\.\w/);
      expect(words.zh, key).toMatch(/[\u4e00-\u9fff]|^TPDU$/);
    }
    expect(missing).toEqual([]);
  });

  it('says a change with its values and unit, in both languages', () => {
    const text = auditText({
      kind: 'config-change',
      detail: {
        fields: ['security.passwordMaxAgeDays'],
        changes: [{ field: 'security.passwordMaxAgeDays', from: 30, to: 60 }],
        source: 'ui',
      },
    });
    expect(text.zh).toBe('设置已更改：密码有效期 30 → 60 天');
    expect(text.en).toBe('Settings changed: password lifetime 30 → 60 days');
    expect(settingChangeText({ field: 'mode', from: 'training', to: 'live' })).toEqual({
      en: 'mode training → live',
      zh: '运行模式 培训 → 正式',
    });
    expect(
      settingChangeText({ field: 'review.cardTesting.enabled', from: true, to: false }).zh,
    ).toBe('复核规则「连续多张卡密码错误」启用 开启 → 关闭');
    expect(settingChangeText({ field: 'host.pinnedCertSha256', from: null, to: 'AB' }).en).toBe(
      'bank host certificate fingerprint (none) → AB',
    );
  });

  it('an entry from before values were kept says the names in words', () => {
    const text = auditText({
      kind: 'config-change',
      detail: { fields: ['host.port', 'security.idleLockMinutes'], restartNeeded: true },
    });
    expect(text.zh).toBe('设置已更改：银行主机端口，无操作自动锁定');
    expect(text.en).toBe('Settings changed: bank host port, idle lock');
  });
});

describe('a settings change on the Audit screen and in its CSV', () => {
  let c: TrainingConsole | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('lists the change in words with its values; the review thresholds too', async () => {
    c = await openTrainingConsole('setting-words');
    await c.call(c.supervisor, 'saveSettings', { security: { passwordMaxAgeDays: 60 } });
    const thresholds = await c.call<{ cardTesting: object }>(c.supervisor, 'getReviewSettings');
    await c.call(c.supervisor, 'saveReviewSettings', {
      ...thresholds,
      cardTesting: { ...thresholds.cardTesting, cards: 4 },
    });
    const page = await c.call<AuditPage>(c.supervisor, 'searchAudit', { kind: 'config-change' });
    const texts = page.entries.map((e) => e.text);
    expect(texts.map((t) => t.zh)).toEqual([
      '设置已更改：复核规则「连续多张卡密码错误」卡数 3 → 4',
      '设置已更改：密码有效期 90 → 60 天',
    ]);
    expect(texts[1]!.en).toBe('Settings changed: password lifetime 90 → 60 days');
    for (const t of texts) expect(`${t.en} ${t.zh}`).not.toMatch(/security\.|review\.|fields/);

    const zh = await c.call<{ csv: string }>(c.supervisor, 'exportAudit', {
      kind: 'config-change',
      language: 'zh-CN',
    });
    expect(zh.csv).toContain('设置已更改：密码有效期 90 → 60 天');
    expect(zh.csv).not.toContain('passwordMaxAgeDays');
    const en = await c.call<{ csv: string }>(c.supervisor, 'exportAudit', {
      kind: 'config-change',
      language: 'en',
    });
    expect(en.csv).toContain('Settings changed: password lifetime 90 → 60 days');
  });
});
