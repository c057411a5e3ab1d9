// Runs the `cashier` command's bundles (dist/main/cli-serve.cjs, cli-bundle.cjs) with the V8 code
// caches the build made for them (build/scripts/bundle-main.mjs), so a start deserializes
// compiled code instead of parsing and compiling a megabyte of JavaScript again (Node 20 has no module.enableCompileCache).
// Without a usable cache the bundle is compiled as usual: the cache only ever saves time.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
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
  return checkCodeCache(file, source);
}

function checkCodeCache(
  file: Buffer | undefined,
  source: string | Buffer,
): { use: 'found'; data: Buffer } | { use: 'stale' | 'missing'; data?: undefined } {
  if (!file) return { use: 'missing' };
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
 * Loads a CommonJS bundle as Node would (same wrapper, require, module, __filename), compiled
 * with its code cache when the cache fits, and returns its exports. With
 * `CASHIER_WRITE_CODE_CACHE=1` (the build sets it) the cache of everything compiled during this
 * run is written beside each bundle loaded (`<bundle>.cache`) when the process exits.
 */
export function runCommandBundle(bundleFile: string): unknown {
  const bytes = readFileSync(bundleFile);
  const cache = readCodeCache(`${bundleFile}.cache`, bytes);
  return runCompiled(compileBundle(bundleFile, bytes, cache), bundleFile);
}

/**
 * The same, for a process that is serving meanwhile (`cashier serve` loading the console): the
 * files are read without blocking, and requests that came while the bundle was compiled are
 * answered before its code runs.
 */
export async function loadCommandBundle(bundleFile: string): Promise<unknown> {
  const [bytes, cache] = await Promise.all([
    readFile(bundleFile),
    readFile(`${bundleFile}.cache`).catch(() => undefined),
  ]);
  const script = compileBundle(bundleFile, bytes, checkCodeCache(cache, bytes));
  await turnForRequests();
  return runCompiled(script, bundleFile);
}

/**
 * Resolves once the event loop has read the sockets again: a first setImmediate runs in this
 * turn's check phase, before any new poll for I/O; the second one after the next poll, in
 * which a request that arrived meanwhile is taken in and answered.
 */
export async function turnForRequests(): Promise<void> {
  await setImmediate();
  await setImmediate();
}

function compileBundle(
  bundleFile: string,
  bytes: Buffer,
  cache: ReturnType<typeof checkCodeCache>,
): vm.Script {
  // esbuild writes ASCII (non-ASCII characters escaped), which reads fastest as Latin-1.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const script = new vm.Script(Module.wrap(source), {
    filename: bundleFile,
    ...(cache.data ? { cachedData: cache.data } : {}),
  });
  const use: CodeCacheUse =
    cache.use === 'found' ? (script.cachedDataRejected ? 'rejected' : 'used') : cache.use;
  if (process.env.CASHIER_WRITE_CODE_CACHE === '1') {
    process.once('exit', () => writeFileSync(`${bundleFile}.cache`, codeCacheFile(bytes, script)));
  }
  if (process.env.CASHIER_DEBUG_CODE_CACHE) process.stderr.write(`code cache: ${use}\n`);
  return script;
}

function runCompiled(script: vm.Script, bundleFile: string): unknown {
  const module = { exports: {}, filename: bundleFile, id: '.', loaded: false };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  run(module.exports, createRequire(bundleFile), module, bundleFile, path.dirname(bundleFile));
  return module.exports;
}
