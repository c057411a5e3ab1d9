import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, loadConfig } from '../../../src-main/core/config';
import { defaultDataDir, ensureDataDir } from '../../../src-main/core/data-dir';

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'cashier-config-'));

describe('config file', () => {
  it('is created with training defaults when absent', async () => {
    const dir = path.join(tempDir(), 'nested');
    const config = await loadConfig(dir);
    expect(config.mode).toBe('training');
    expect(config.pinpad.port).toEqual({ kind: 'simulated' });
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual(
      defaultConfig(),
    );
  });

  it('reads back an edited file', async () => {
    const dir = tempDir();
    const edited = { ...defaultConfig(), language: 'en', servicePhone: '400-800-1234' };
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(edited));
    const config = await loadConfig(dir);
    expect(config.language).toBe('en');
    expect(config.servicePhone).toBe('400-800-1234');
  });

  it('reports malformed JSON in both languages and never overwrites the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'config.json');
    writeFileSync(file, '{ "mode": "training", ');
    const err = await loadConfig(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).describe()).toContain('配置文件有误');
    expect((err as ConfigError).describe()).toContain('JSON syntax');
    expect(readFileSync(file, 'utf8')).toBe('{ "mode": "training", ');
  });

  it('lists every field that breaks the schema, by path', async () => {
    const dir = tempDir();
    const bad = {
      ...defaultConfig(),
      mode: 'production',
      terminal: { id: 'T1' },
      host: { ...defaultConfig().host, port: 70000 },
      extra: true,
    };
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(bad));
    const err = (await loadConfig(dir).catch((e: unknown) => e)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    const text = err.problems.join('\n');
    expect(text).toContain('mode:');
    expect(text).toContain('terminal.id: terminal id: 8 letters or digits');
    expect(text).toContain('host.port:');
    expect(text).toMatch(/extra/);
  });
});

describe('data folder', () => {
  it('follows CASHIER_DATA_DIR, then the platform convention', () => {
    expect(defaultDataDir({ CASHIER_DATA_DIR: '/srv/cashier' }, 'linux')).toBe('/srv/cashier');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux')).toBe(
      '/home/a/.config/cashier-console',
    );
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain(
      'cashier-console',
    );
  });
});

describe.skipIf(process.platform === 'win32')('data folder and config file modes (POSIX)', () => {
  const mode = (p: string): number => statSync(p).mode & 0o777;

  it('creates the folder 0700 and config.json 0600', async () => {
    const dir = path.join(tempDir(), 'new');
    await loadConfig(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'config.json'))).toBe(0o600);
  });

  it('tightens an existing 0755 folder and 0644 config.json at start', async () => {
    const dir = path.join(tempDir(), 'old');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(defaultConfig()), { mode: 0o644 });
    chmodSync(path.join(dir, 'config.json'), 0o644);
    await loadConfig(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, 'config.json'))).toBe(0o600);
  });

  it('leaves a shared folder with the sticky bit (such as /tmp) alone', async () => {
    const dir = path.join(tempDir(), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    await ensureDataDir(dir);
    expect(statSync(dir).mode & 0o7777).toBe(0o1777);
  });
});
