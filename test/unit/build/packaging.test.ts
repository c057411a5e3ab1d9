// Installer configuration. The Electron runtime cannot be downloaded here, so packaging runs
// `electron-builder --dir` against a stand-in Electron distribution: a file that carries the
// real fuse wire layout (sentinel, version, length, one byte per fuse), so the fuse flipping is
// exercised for real, and the asar archive it builds is the one a real installer would ship.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

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
    expect(packageJson.bin.cashier).toBe('dist/main/cli.mjs');
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

describe('electron-builder --dir with a stand-in Electron', () => {
  let outDir: string;
  let asarFile: string;

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'dist', 'main', 'electron-main.cjs'))) {
      throw new Error('dist/ is missing: run `npm run build` first');
    }
    const work = mkdtempSync(path.join(os.tmpdir(), 'cashier-pack-'));
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
    await promisify(execFile)(
      path.join(root, 'node_modules', '.bin', 'electron-builder'),
      [
        '--linux',
        '--dir',
        `-c.electronDist=${electronDist}`,
        `-c.directories.output=${outDir}`,
        '-c.npmRebuild=false',
      ],
      { cwd: root },
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
});
