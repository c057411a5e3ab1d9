// The `cashier` command starts from the V8 code cache the build made (src-main/cli/code-cache.ts,
// build/scripts/bundle-main.mjs): used when Node and the V8 flags are the build's, refused (and
// the bundle compiled as before) otherwise, and never used for a bundle it was not made for, even
// one of the same length, which V8's own check would let through.
import { execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCacheFile, readCodeCache } from '../../../src-main/cli/code-cache';
import { NODE_FLAGS } from '../../../build/scripts/node-flags.mjs';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const built = path.join(root, 'dist', 'main');
const exec = promisify(execFile);
let copy = '';

/** `cashier --help` from `dir`, with the launcher saying what it did with the cache. */
async function help(dir: string, flags: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, [...flags, path.join(dir, 'cli.cjs'), '--help'], {
    env: { ...process.env, CASHIER_DEBUG_CODE_CACHE: '1' },
    timeout: 20_000,
  });
}

beforeAll(() => {
  if (!existsSync(path.join(built, 'cli-bundle.cjs.cache'))) {
    throw new Error('dist/main/cli-bundle.cjs.cache missing: run `npm run build` first');
  }
  // A copy beside the real one (its packages still resolve), so the files can be spoiled.
  copy = mkdtempSync(path.join(built, '..', 'code-cache-test-'));
  for (const file of ['cli.cjs', 'cli-bundle.cjs', 'cli-bundle.cjs.cache']) {
    copyFileSync(path.join(built, file), path.join(copy, file));
  }
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('the built cashier command', () => {
  it('starts from its code cache with the flags it is started with (the shebang, npm start)', async () => {
    const { stdout, stderr } = await help(built, NODE_FLAGS);
    expect(stderr).toBe('code cache: used\n');
    expect(stdout).toContain('Usage:');
  });

  it('compiles as before when V8 refuses the cache (other flags)', async () => {
    const { stdout, stderr } = await help(built, []);
    expect(stderr).toBe('code cache: rejected\n');
    expect(stdout).toContain('Usage:');
  });

  it('starts `cashier serve` from both caches: its own small bundle, then the console', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-code-cache-serve-'));
    const serve = spawn(
      process.execPath,
      [...NODE_FLAGS, path.join(built, 'cli.cjs'), 'serve', '--port', '0', '--data-dir', dataDir],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CASHIER_DEBUG_CODE_CACHE: '1' } },
    );
    let stdout = '';
    let stderr = '';
    serve.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        serve.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
        serve.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('is running')) resolve();
        });
      });
      expect(stderr).toBe('code cache: used\ncode cache: used\n');
    } finally {
      serve.removeAllListeners('exit');
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('is ASCII, which is read as Latin-1: one character beyond it doubles the source in memory', () => {
    for (const file of ['cli-serve.cjs', 'cli-bundle.cjs']) {
      const bytes = readFileSync(path.join(built, file));
      expect({ file, firstBeyondAscii: bytes.findIndex((b) => b > 0x7f) }).toEqual({
        file,
        firstBeyondAscii: -1,
      });
    }
  });

  it('still loads what the bundle requires on first use (ReceiptLine for a slip)', async () => {
    const svg = path.join(copy, 'slip.svg');
    // No printer there: the preview is written before the slip is sent.
    await exec(
      process.execPath,
      [
        ...NODE_FLAGS,
        path.join(built, 'cli.cjs'),
        'print-slip',
        '--sample',
        '--printer',
        'tcp:127.0.0.1:1',
        '--svg',
        svg,
      ],
      { timeout: 20_000 },
    ).catch(() => undefined);
    expect(readFileSync(svg, 'utf8')).toContain('<svg');
  });

  it('ignores a cache made for another bundle, and a missing one', async () => {
    // The same length, one character changed: V8 alone would take the cache.
    const bundle = path.join(copy, 'cli-bundle.cjs');
    const source = readFileSync(bundle, 'utf8');
    const title = "show the program's own detail";
    const at = source.indexOf(title);
    expect(at).toBeGreaterThan(0);
    const changed = title.replace('show', 'SHOW');
    writeFileSync(bundle, source.slice(0, at) + changed + source.slice(at + title.length));
    expect(readFileSync(bundle).length).toBe(Buffer.byteLength(source));
    const stale = await help(copy, NODE_FLAGS);
    expect(stale.stderr).toBe('code cache: stale\n');
    expect(stale.stdout).toContain(changed);
    rmSync(path.join(copy, 'cli-bundle.cjs.cache'));
    const missing = await help(copy, NODE_FLAGS);
    expect(missing.stderr).toBe('code cache: missing\n');
    expect(missing.stdout).toContain('Usage:');
  });
});

describe('readCodeCache', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-code-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back the V8 data only for the source it was made from', () => {
    const source = '(function () { return 6 * 7; })';
    const script = new vm.Script(source);
    script.runInThisContext();
    const file = path.join(dir, 'a.cache');
    writeFileSync(file, codeCacheFile(source, script));
    const found = readCodeCache(file, source);
    expect(found.use).toBe('found');
    expect(new vm.Script(source, { cachedData: found.data }).cachedDataRejected).toBe(false);
    // V8 takes a cache for another source of the same length, and runs the old code.
    const other = source.replace('6', '5');
    const fooled = new vm.Script(other, { cachedData: found.data });
    expect(fooled.cachedDataRejected).toBe(false);
    expect((fooled.runInThisContext() as () => number)()).toBe(42);
    expect(readCodeCache(file, other).use).toBe('stale');
    writeFileSync(file, 'not a cache');
    expect(readCodeCache(file, source).use).toBe('stale');
    expect(readCodeCache(path.join(dir, 'none'), source).use).toBe('missing');
  });
});
