// Link protection: live mode refuses a bank host or wallet host link that is neither TLS with a
// pinned certificate nor recorded by a supervisor as a private line or VPN. The config check
// refuses it with the reason in both languages (at load, in Settings, and at Apply now, where the
// running terminal stays as it was); the status bar says how each link is protected.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  defaultConfig,
  linkProtection,
  parseConfig,
  type CashierConfig,
} from '../../../src-main/core/config';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

const PIN = 'AB'.repeat(32);
const WALLET = { url: 'https://wallet.example.cn:8443', algorithm: 'HMAC-SHA256' as const };

function live(change: (c: CashierConfig) => void = () => undefined): CashierConfig {
  const config = defaultConfig();
  config.mode = 'live';
  change(config);
  return config;
}

const parse = (config: unknown) => parseConfig(JSON.stringify(config), 'config.json');

function refusal(config: unknown): ConfigError {
  try {
    parse(config);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('the config was accepted');
}

describe('link protection in the config', () => {
  it('refuses a live config whose bank host link is plain TCP, saying why in both languages', () => {
    const err = refusal(live());
    expect(err.problems[0]).toMatch(/^host\.tls: Live mode refuses an unprotected bank host link/);
    expect(err.reasons).toHaveLength(1);
    expect(err.reasons[0]!.zh).toMatch(/^生产模式拒绝未受保护的银行主机链路/);
    expect(err.messageZh).toContain('生产模式拒绝未受保护的银行主机链路');
    expect(err.message).toContain('Live mode refuses an unprotected bank host link');
    expect(err.describe()).toContain('host.privateLine');
  });

  it('accepts TLS with a pinned certificate, or a recorded private line', () => {
    const tls = parse(
      live((c) => {
        c.host.tls = true;
        c.host.pinnedCertSha256 = PIN;
      }),
    );
    expect(linkProtection(tls).host).toBe('tls');
    const line = parse(live((c) => (c.host.privateLine = true)));
    expect(linkProtection(line)).toEqual({ host: 'private-line', wallet: null });
  });

  it('checks the wallet host link too: pinned, or a private line', () => {
    const base = (c: CashierConfig) => (c.host.privateLine = true);
    const err = refusal(live((c) => (base(c), (c.wallet = { ...WALLET } as never))));
    expect(err.problems).toEqual([
      expect.stringMatching(/^wallet\.pinnedSha256: Live mode refuses an unprotected wallet/),
    ]);
    expect(err.reasons[0]!.zh).toMatch(/^生产模式拒绝未受保护的支付机构主机链路/);
    const pinned = parse(
      live((c) => (base(c), (c.wallet = { ...WALLET, pinnedSha256: PIN } as never))),
    );
    expect(linkProtection(pinned).wallet).toBe('tls');
    const line = parse(
      live((c) => (base(c), (c.wallet = { ...WALLET, privateLine: true } as never))),
    );
    expect(linkProtection(line).wallet).toBe('private-line');
  });

  it('leaves training alone: its links go to the simulators on this PC', () => {
    expect(linkProtection(parse(defaultConfig()))).toEqual({ host: 'local', wallet: 'local' });
  });
});

describe('link protection in a running console', () => {
  let tc: TrainingConsole;
  const configFile = () => path.join(tc.dataDir, 'config.json');

  beforeAll(async () => {
    tc = await openTrainingConsole('link');
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('shows the training link as local in the status bar', () => {
    expect(tc.core.status.snapshot()).toMatchObject({ link: 'local', walletLink: 'local' });
  });

  it('Settings refuses to switch to live over an unprotected link, and saves nothing', async () => {
    const before = readFileSync(configFile(), 'utf8');
    const refused = await tc.refused(tc.supervisor, 'saveSettings', { mode: 'live' });
    expect(refused.code).toBe('CONFIG_INVALID');
    expect(refused.messageZh).toMatch(/^未保存：生产模式拒绝未受保护的银行主机链路/);
    expect(refused.message).toMatch(/^Not saved: Live mode refuses an unprotected bank host link/);
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
  });

  it('records a private line (audited, shown in Settings), then live mode is accepted', async () => {
    const saved = await tc.call<{ settings: { host: { privateLine: boolean } } }>(
      tc.supervisor,
      'saveSettings',
      { host: { privateLine: true } },
    );
    expect(saved.settings.host.privateLine).toBe(true);
    const [entry] = await tc.core.store.audit.list({ kind: 'config-change' });
    expect(entry?.detail).toMatchObject({
      fields: ['host.privateLine'],
      privateLine: { host: true },
    });
    // Back to unprotected for the next test.
    await tc.call(tc.supervisor, 'saveSettings', { host: { privateLine: false } });
  });

  it('Apply now refuses a hand-edited unprotected live config and keeps the terminal', async () => {
    const edited = JSON.parse(readFileSync(configFile(), 'utf8')) as CashierConfig;
    edited.mode = 'live';
    writeFileSync(configFile(), JSON.stringify(edited));
    const refused = await tc.refused(tc.supervisor, 'applyChanges');
    expect(refused.code).toBe('FAILED');
    expect(refused.messageZh).toContain('生产模式拒绝未受保护的银行主机链路');
    expect(refused.message).toContain('Live mode refuses an unprotected bank host link');
    expect(tc.core.terminals.current().config.mode).toBe('training');
    expect(tc.core.status.snapshot().link).toBe('local');
  });
});
