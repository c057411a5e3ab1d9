// Runs the `cashier` command bundle (dist/main/cli-bundle.cjs) with the V8 code cache the build
// made for it (build/scripts/bundle-main.mjs), so a start deserializes compiled code instead of
// parsing and compiling 1.3 MB of JavaScript again (Node 20 has no module.enableCompileCache).
// Without a usable cache the bundle is compiled as usual: the cache only ever saves time.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const MAGIC = 'cashier-code-cache-1';

/** What happened to the cache at this start: for the test and for support. */
export type CodeCacheUse = 'used' | 'rejected' | 'stale' | 'missing';

/**
 * The cache file's first line names the bundle's SHA-256. V8 checks a cache only against its own
 * version, its flags and the source's length, so a rebuilt bundle of the same length would
 * otherwise run the old bundle's compiled code.
 */
function header(source: string | Buffer): Buffer {
  return Buffer.from(`${MAGIC} ${createHash('sha256').update(source).digest('hex')}\n`);
}

/** The V8 data in `cacheFile` if it was made for exactly `source` (its text or its bytes). */
export function readCodeCache(
  cacheFile: string,
  source: string | Buffer,
): { use: 'found'; data: Buffer } | { use: 'stale' | 'missing'; data?: undefined } {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return { use: 'missing' };
  }
  const head = header(source);
  if (file.length <= head.length || !file.subarray(0, head.length).equals(head)) {
    return { use: 'stale' };
  }
  return { data: file.subarray(head.length), use: 'found' };
}

/** The cache file's bytes for `source`, from a script that has run (so it holds what ran). */
export function codeCacheFile(source: string | Buffer, script: vm.Script): Buffer {
  return Buffer.concat([header(source), script.createCachedData()]);
}

/**
 * Loads the CommonJS bundle as Node would (same wrapper, require, module, __filename), compiled
 * with its code cache when the cache fits. `CASHIER_WRITE_CODE_CACHE=FILE` (the build sets it)
 * writes the cache of everything compiled during this run to FILE when the process exits.
 */
export function runCommandBundle(bundleFile: string): CodeCacheUse {
  const bytes = readFileSync(bundleFile);
  // esbuild writes ASCII (non-ASCII characters escaped), which reads fastest as Latin-1.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cache = readCodeCache(`${bundleFile}.cache`, bytes);
  const script = new vm.Script(Module.wrap(source), {
    filename: bundleFile,
    ...(cache.data ? { cachedData: cache.data } : {}),
  });
  const use: CodeCacheUse =
    cache.use === 'found' ? (script.cachedDataRejected ? 'rejected' : 'used') : cache.use;
  const out = process.env.CASHIER_WRITE_CODE_CACHE;
  if (out) process.once('exit', () => writeFileSync(out, codeCacheFile(bytes, script)));
  if (process.env.CASHIER_DEBUG_CODE_CACHE) process.stderr.write(`code cache: ${use}\n`);
  const module = { exports: {}, filename: bundleFile, id: '.', loaded: false };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  run(module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  return use;
}
