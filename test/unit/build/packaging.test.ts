// Installer configuration. The Electron runtime cannot be downloaded here, so packaging runs
// `electron-builder --dir` against a stand-in Electron distribution: a file that carries the
// real fuse wire layout (sentinel, version, length, one byte per fuse), so the fuse flipping is
// exercised for real, and the asar archive it builds is the one a real installer would ship.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractAll, extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sign, signingSettings, signtoolArgs } from '../../../build/scripts/sign-windows.mjs';
import { loadMainBundle, rendererAssetUrls } from './stand-in-electron';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const builderConfig = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 0x31;
const DISABLE = 0x30;

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('package.json', () => {
  it('names the app and its cashier command', () => {
    expect(packageJson.name).toBe('cashier-console');
    expect(packageJson.bin.cashier).toBe('dist/main/cli.cjs');
  });

  it('keeps Electron optional so an offline npm install still succeeds', () => {
    expect(packageJson.optionalDependencies.electron).toBeDefined();
    expect(packageJson.dependencies.electron).toBeUndefined();
    expect(packageJson.devDependencies.electron).toBeUndefined();
    expect(packageJson.allowScripts.electron).toBe(true);
    expect(builderConfig.electronVersion).toBe(
      packageJson.optionalDependencies.electron.replace(/^\^/, ''),
    );
  });

  it('ships electron-updater as a plain dependency with no install scripts', () => {
    expect(packageJson.dependencies['electron-updater']).toBeDefined();
    const updater = JSON.parse(
      readFileSync(path.join(root, 'node_modules', 'electron-updater', 'package.json'), 'utf8'),
    );
    for (const script of ['preinstall', 'install', 'postinstall']) {
      expect(updater.scripts?.[script]).toBeUndefined();
    }
    expect(packageJson.scripts.dist).toContain('build/scripts/dist.mjs');
  });
});

describe('electron-builder.yml', () => {
  it('builds a per-machine NSIS installer in Chinese and English', () => {
    expect(builderConfig.win.target[0].target).toBe('nsis');
    expect(builderConfig.nsis).toMatchObject({ oneClick: false, perMachine: true });
    expect(builderConfig.nsis.installerLanguages).toEqual(['zh_CN', 'en_US']);
    expect(builderConfig.nsis.multiLanguageInstaller).toBe(true);
  });

  it('builds deb and AppImage for Linux', () => {
    expect(builderConfig.linux.target).toEqual(['deb', 'AppImage']);
    expect(existsSync(path.join(root, builderConfig.deb.afterInstall))).toBe(true);
  });

  it('names the product and has a 512 px icon', () => {
    expect(builderConfig.appId).toBe('cn.cashierconsole.app');
    expect(builderConfig.productName).toBe('收银台');
    expect(pngSize(path.join(root, builderConfig.linux.icon))).toEqual({ width: 512, height: 512 });
  });

  it('publishes updates through the generic provider, https only, with a placeholder URL', () => {
    expect(builderConfig.publish).toMatchObject({ provider: 'generic', channel: 'latest' });
    const url = new URL(builderConfig.publish.url);
    expect(url.protocol).toBe('https:');
    // Replaced from CASHIER_UPDATE_URL by build/scripts/dist.mjs; the app ignores .invalid.
    expect(url.hostname.endsWith('.invalid')).toBe(true);
  });

  it('signs Windows files through the hook, SHA-256 only, with no certificate in the repository', () => {
    const signtool = builderConfig.win.signtoolOptions;
    expect(signtool.sign).toBe('./build/scripts/sign-windows.mjs');
    expect(existsSync(path.join(root, signtool.sign))).toBe(true);
    expect(signtool.signingHashAlgorithms).toEqual(['sha256']);
    for (const secret of ['certificateFile', 'certificatePassword', 'certificateSha1']) {
      expect(signtool[secret]).toBeUndefined();
    }
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' });
    expect(tracked.split('\n').filter((f) => /\.(pfx|p12|pem|key|cer|crt)$/i.test(f))).toEqual([]);
  });

  it('turns the dangerous fuses off and asar integrity on', () => {
    expect(builderConfig.asar).toBe(true);
    expect(builderConfig.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});

describe('Windows signing hook (build/scripts/sign-windows.mjs)', () => {
  const task = { path: 'C:\\build\\win-unpacked\\收银台.exe', hash: 'sha256', name: '收银台' };

  it('leaves the build unsigned, with a warning, when no certificate is set', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const run = vi.fn();
    expect(await sign(task, undefined, { env: {}, platform: 'win32', run })).toBe(false);
    expect(run).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('not signed'));
    warn.mockRestore();
  });

  it('fails instead when CASHIER_SIGN_REQUIRED is set', async () => {
    await expect(
      sign(task, undefined, { env: { CASHIER_SIGN_REQUIRED: '1' }, platform: 'win32' }),
    ).rejects.toThrow(/CASHIER_SIGN_REQUIRED/);
  });

  it('signs with a PFX file, timestamped, SHA-256', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const run = vi.fn(async () => ({ stdout: '', stderr: '' }));
    const env = {
      CASHIER_SIGN_PFX: 'D:\\certs\\shop.pfx',
      CASHIER_SIGN_PFX_PASSWORD: 'from-the-ci-secret-store',
      CASHIER_SIGNTOOL: 'C:\\sdk\\signtool.exe',
    };
    expect(await sign(task, undefined, { env, platform: 'win32', run })).toBe(true);
    expect(run).toHaveBeenCalledWith(
      'C:\\sdk\\signtool.exe',
      [
        'sign',
        '/fd',
        'sha256',
        '/tr',
        'http://timestamp.digicert.com',
        '/td',
        'sha256',
        '/d',
        '收银台',
        '/f',
        'D:\\certs\\shop.pfx',
        '/p',
        'from-the-ci-secret-store',
        task.path,
      ],
      { windowsHide: true },
    );
    expect(log.mock.calls.flat().join(' ')).not.toContain('from-the-ci-secret-store');
    log.mockRestore();
  });

  it('signs with a certificate from the Windows store by thumbprint (EV token, HSM)', () => {
    const settings = signingSettings({
      CASHIER_SIGN_SHA1: '12 34 56 78 9a bc de f0 12 34 56 78 9a bc de f0 12 34 56 78',
      CASHIER_SIGN_MACHINE_STORE: 'true',
      CASHIER_SIGN_TIMESTAMP_URL: 'http://timestamp.sectigo.com',
    });
    expect(signtoolArgs('setup.exe', settings!)).toEqual([
      'sign',
      '/fd',
      'sha256',
      '/tr',
      'http://timestamp.sectigo.com',
      '/td',
      'sha256',
      '/sha1',
      '123456789ABCDEF0123456789ABCDEF012345678',
      '/sm',
      'setup.exe',
    ]);
  });

  it('refuses unclear settings and signing away from Windows', async () => {
    expect(() => signingSettings({ CASHIER_SIGN_PFX: 'a.pfx', CASHIER_SIGN_SHA1: 'ab' })).toThrow(
      /not both/,
    );
    expect(() => signingSettings({ CASHIER_SIGN_SHA1: 'abcd' })).toThrow(/40-hex-digit/);
    await expect(
      sign(task, undefined, { env: { CASHIER_SIGN_PFX: 'a.pfx' }, platform: 'linux' }),
    ).rejects.toThrow(/on Windows/);
  });
});

describe('built Electron main bundle', () => {
  it('registers app://, sets the CSP header, guards every frame and gates DevTools', () => {
    const file = path.join(root, 'dist', 'main', 'electron-main.cjs');
    if (!existsSync(file)) throw new Error('dist/ is missing: run `npm run build` first');
    const main = readFileSync(file, 'utf8');
    expect(main).toContain('registerSchemesAsPrivileged');
    expect(main).toMatch(/protocol\.handle\(APP_SCHEME/);
    expect(main).toMatch(/APP_SCHEME = "app"/);
    expect(main).toMatch(/"Content-Security-Policy": contentSecurityPolicy/);
    expect(main).toContain('"will-frame-navigate"');
    expect(main).toMatch(/devTools: !import_electron\d*\.app\.isPackaged/);
    expect(main).not.toContain('loadFile(');
    // electron-updater is loaded lazily, never at start-up.
    expect(main).not.toMatch(/require\("electron-updater"\)/);
  });
});

describe('electron-builder --dir with a stand-in Electron', () => {
  const UPDATE_URL = 'https://updates.shop.example/cashier-console/';
  let outDir: string;
  let asarFile: string;
  let work: string;

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'dist', 'main', 'electron-main.cjs'))) {
      throw new Error('dist/ is missing: run `npm run build` first');
    }
    work = mkdtempSync(path.join(os.tmpdir(), 'cashier-pack-'));
    const electronDist = path.join(work, 'electron-dist');
    mkdirSync(electronDist);
    // Electron's own defaults: RunAsNode, NODE_OPTIONS, inspect and file privileges on.
    writeFileSync(
      path.join(electronDist, 'electron'),
      Buffer.concat([
        Buffer.from('#!/bin/sh\necho stand-in\n'),
        Buffer.from(FUSE_SENTINEL),
        Buffer.from([1, 8]),
        Buffer.from('10110001'),
      ]),
      { mode: 0o755 },
    );
    writeFileSync(path.join(electronDist, 'version'), builderConfig.electronVersion);
    writeFileSync(path.join(electronDist, 'LICENSE'), 'stand-in');
    outDir = path.join(work, 'release');
    // Through `npm run dist`'s wrapper, with the update URL a shop would set.
    const env: NodeJS.ProcessEnv = { ...process.env, CASHIER_UPDATE_URL: UPDATE_URL };
    for (const name of Object.keys(env)) if (name.startsWith('CASHIER_SIGN')) delete env[name];
    await promisify(execFile)(
      process.execPath,
      [
        path.join(root, 'build', 'scripts', 'dist.mjs'),
        '--linux',
        '--dir',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${outDir}`,
        '-c.npmRebuild=false',
      ],
      { cwd: root, env },
    );
    asarFile = path.join(outDir, 'linux-unpacked', 'resources', 'app.asar');
  }, 120_000);

  it('packs the bundles and the renderer, without sources, maps or Electron itself', () => {
    const files = listPackage(asarFile, { isPack: false });
    for (const wanted of [
      '/package.json',
      '/dist/main/electron-main.cjs',
      '/dist/main/preload.cjs',
      '/dist/main/electron-core.cjs',
      '/dist/renderer/index.html',
      '/node_modules/sqlite3/package.json',
      '/node_modules/serialport/package.json',
      '/node_modules/electron-updater/package.json',
    ]) {
      expect(files).toContain(wanted);
    }
    expect(files.filter((f) => f.startsWith('/src-main') || f.startsWith('/test'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('/node_modules/electron/'))).toEqual([]);
    const packed = JSON.parse(extractFile(asarFile, 'package.json').toString());
    expect(packed.main).toBe('dist/main/electron-main.cjs');
  });

  it('unpacks native modules next to the archive', () => {
    const unpacked = path.join(outDir, 'linux-unpacked', 'resources', 'app.asar.unpacked');
    expect(
      existsSync(
        path.join(unpacked, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
      ),
    ).toBe(true);
  });

  it('flips the fuses in the executable', async () => {
    const wire = await getCurrentFuseWire(path.join(outDir, 'linux-unpacked', 'cashier-console'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
  });

  it('writes the update feed (generic provider, the shop URL) into app-update.yml', () => {
    const feed = parse(
      readFileSync(path.join(outDir, 'linux-unpacked', 'resources', 'app-update.yml'), 'utf8'),
    );
    expect(feed).toMatchObject({ provider: 'generic', url: UPDATE_URL, channel: 'latest' });
  });

  it('lets the app:// handler find dist/renderer beside dist/main inside the asar', async () => {
    const extracted = path.join(work, 'extracted');
    extractAll(asarFile, extracted);
    const standIn = loadMainBundle({
      bundle: path.join(extracted, 'dist', 'main', 'electron-main.cjs'),
      userData: path.join(work, 'data'),
    });
    await standIn.ready();
    const index = await standIn.fetch('app://renderer/index.html');
    expect(index.status).toBe(200);
    const assets = rendererAssetUrls(await index.text());
    expect(assets.length).toBeGreaterThan(0);
    for (const url of assets) expect((await standIn.fetch(url)).status, url).toBe(200);
  });

  it('packs electron-updater with everything it needs to load', () => {
    const extracted = path.join(work, 'extracted');
    if (!existsSync(extracted)) extractAll(asarFile, extracted);
    const requireFromApp = createRequire(path.join(extracted, 'dist', 'main', 'electron-main.cjs'));
    expect(requireFromApp.resolve('electron-updater').startsWith(extracted)).toBe(true);
    // Loads its dependencies from the archive; autoUpdater itself needs the Electron runtime.
    expect(Object.keys(requireFromApp('electron-updater'))).toContain('autoUpdater');
  });
});
