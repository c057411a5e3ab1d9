// Bundles the main-process code with esbuild (the renderer is built by Vite).
// npm packages stay external: native ones (serialport, sqlite3) cannot be bundled, and
// electron-builder packs the production dependencies beside the bundle anyway.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { WebSocket } from 'ws';
import { NODE_FLAGS } from './node-flags.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * The API's method names, read from the contract's channels. The preload bundles this list in
 * place of src-main/contract/method-names.ts, whose channels need the schema library.
 */
async function apiMethodNames() {
  const out = path.join(root, 'dist', 'main', '.api-method-names.mjs');
  await build({
    ...common,
    sourcemap: false,
    entryPoints: ['src-main/contract/method-names.ts'],
    outfile: out,
    format: 'esm',
    packages: 'external',
  });
  try {
    const { apiMethodNames: names } = await import(pathToFileURL(out).href);
    return names;
  } finally {
    rmSync(out, { force: true });
  }
}

const BUNDLE = 'dist/main/cli-bundle.cjs';
const SERVE_BUNDLE = 'dist/main/cli-serve.cjs';

/** Packages cli-bundle.cjs loads from node_modules: native bindings, and the Electron-only ones. */
const NOT_BUNDLED = ['sqlite3', 'serialport', '@serialport/*', 'electron', 'electron-updater'];

/**
 * ReceiptLine (with iconv-lite and pngjs, a quarter of the bundle) is needed only to print or
 * preview a slip: in cli-bundle.cjs it stays in node_modules and is required on first use, so
 * `cashier serve` neither reads nor compiles it at start. Slip rendering stays synchronous.
 */
const lazyReceiptLine = {
  name: 'lazy-receiptline',
  setup(b) {
    b.onResolve({ filter: /^receiptline$/ }, () => ({
      path: 'receiptline',
      namespace: 'lazy-receiptline',
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-receiptline' }, () => ({
      // The banner's name for Node's require: esbuild would take a `require('receiptline')`
      // here for one to bundle, and resolve it to this very module.
      contents: `let lib;
const load = () => (lib ??= __cashierRequire('receiptline'));
export const commands = new Proxy({}, { get: (_t, key) => load().commands[key] });
export function transform(...args) { return load().transform(...args); }`,
      loader: 'js',
    }));
  },
};

const methodNames = await apiMethodNames();
const methodNamesOnly = {
  name: 'api-method-names-only',
  setup(b) {
    b.onResolve({ filter: /\/contract\/method-names$/ }, () => ({
      path: 'method-names',
      namespace: 'api-method-names',
    }));
    b.onLoad({ filter: /.*/, namespace: 'api-method-names' }, () => ({
      contents: `export const apiMethodNames = ${JSON.stringify(methodNames)};`,
      loader: 'js',
    }));
  },
};

/** Fails the build if a bundle that must stay small took in the schema library after all. */
function withoutSchemaLibrary(result, bundle) {
  const schemaLibrary = Object.keys(result.metafile.inputs).filter((input) =>
    /(^|\/)node_modules\/zod\//.test(input),
  );
  if (schemaLibrary.length > 0) {
    throw new Error(`${bundle} must not carry the schema library, as ${schemaLibrary[0]}`);
  }
}

/** How the command bundles are built: CommonJS, so that cli.cjs can compile them with a V8
 *  code cache (vm.Script takes one, an ES module cannot in Node 20): `import.meta.url` is given
 *  by the banner, and `import()` becomes `require()` (a vm.Script has no ES module loader). */
const bundleOptions = {
  ...common,
  format: 'cjs',
  external: NOT_BUNDLED,
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__cashierModuleUrl' },
  banner: {
    // "use strict" first: the sources are ES modules, strict by definition.
    js: `"use strict";const __cashierRequire = require;const __cashierModuleUrl = require('node:url').pathToFileURL(__filename).href;`,
  },
};

/** In cli-serve.cjs, serve.ts's `import('../serve-console')` loads cli-bundle.cjs (with its code
 *  cache; requests are answered meanwhile) and takes runServedConsole from there, so the console
 *  is compiled once, in one bundle. */
const consoleFromCommandBundle = {
  name: 'console-from-command-bundle',
  setup(b) {
    b.onResolve({ filter: /\/serve-console$/ }, () => ({
      path: 'serve-console',
      namespace: 'command-bundle',
    }));
    b.onLoad({ filter: /.*/, namespace: 'command-bundle' }, () => ({
      contents: `import path from 'node:path';
import { loadCommandBundle } from ${JSON.stringify(path.join(root, 'src-main/cli/code-cache.ts'))};
export async function runServedConsole(served) {
  const bundle = await loadCommandBundle(path.join(__dirname, 'cli-bundle.cjs'));
  return bundle.runServedConsole(served);
}`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

await Promise.all([
  // The command takes its pure-JS packages in: loading one file is much faster than resolving
  // and lexing a hundred CommonJS files through Node's ESM loader (README.md, "Performance").
  // Native packages, and what only the Electron shell loads, stay outside.
  build({
    ...bundleOptions,
    entryPoints: ['src-main/cli/entry.ts'],
    outfile: BUNDLE,
    plugins: [lazyReceiptLine],
  }),
  // `cashier serve` and `start` up to the listening shell (src-main/cli/commands/serve.ts): a
  // small bundle of their own, which loads cli-bundle.cjs above for the console itself once
  // the page can be served. It must stay small: without the schema library (checked).
  build({
    ...bundleOptions,
    entryPoints: ['src-main/cli/serve-entry.ts'],
    outfile: SERVE_BUNDLE,
    metafile: true,
    plugins: [consoleFromCommandBundle],
  }).then((result) => withoutSchemaLibrary(result, SERVE_BUNDLE)),
  // `cashier` itself: a few lines that run one of the bundles above with its code cache.
  build({
    ...common,
    entryPoints: ['src-main/cli/launch.ts'],
    outfile: 'dist/main/cli.cjs',
    format: 'cjs',
    sourcemap: false,
    banner: {
      // `env -S` passes the flags on (Linux coreutils >= 8.30; npm's Windows shims read it too).
      js: `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`,
    },
  }),
  // The same commands as a library, for `收银台 --cli ...` in the Electron shell.
  build({
    ...common,
    entryPoints: ['src-main/cli/library.ts'],
    outfile: 'dist/main/cli-lib.mjs',
    format: 'esm',
    packages: 'external',
  }),
  // The Electron shell and the core it drives are two bundles: the shell's stays small and
  // readable for the security scan, and loads the core with require('./electron-core.cjs').
  build({
    ...common,
    entryPoints: ['src-main/shells/electron/main.ts'],
    outfile: 'dist/main/electron-main.cjs',
    format: 'cjs',
    packages: 'external',
    plugins: [
      {
        name: 'core-bridge-external',
        setup(b) {
          b.onResolve({ filter: /^\.\/core-bridge$/ }, () => ({
            path: './electron-core.cjs',
            external: true,
          }));
        },
      },
    ],
  }),
  build({
    ...common,
    entryPoints: ['src-main/shells/electron/core-bridge.ts'],
    outfile: 'dist/main/electron-core.cjs',
    format: 'cjs',
    packages: 'external',
  }),
  // A sandboxed preload cannot load modules, so everything but `electron` goes in.
  build({
    ...common,
    entryPoints: ['src-main/shells/electron/preload.ts'],
    outfile: 'dist/main/preload.cjs',
    format: 'cjs',
    external: ['electron'],
    metafile: true,
    plugins: [methodNamesOnly],
  }).then((result) => withoutSchemaLibrary(result, 'dist/main/preload.cjs')),
]);
chmodSync(path.join(root, 'dist/main/cli.cjs'), 0o755);
// A command bundle with one character beyond ASCII is decoded as UTF-8 into a string twice the
// size, which costs its start 15 ms (esbuild escapes strings, not regular expressions).
for (const bundle of [BUNDLE, SERVE_BUNDLE]) {
  const bytes = readFileSync(path.join(root, bundle));
  const at = bytes.findIndex((byte) => byte > 0x7f);
  if (at >= 0) {
    throw new Error(
      `${bundle} must be ASCII; at byte ${at}: ${bytes.subarray(Math.max(0, at - 60), at + 6)}`,
    );
  }
}
// The launcher has no map; an older build's would describe the bundle that it once was. Older
// builds named it cli.mjs: gone too, so that nothing runs a stale copy.
for (const old of ['cli.cjs.map', 'cli.mjs', 'cli.mjs.map']) {
  rmSync(path.join(root, 'dist/main', old), { force: true });
}
await writeCodeCache();

/**
 * The V8 code caches of cli-serve.cjs and cli-bundle.cjs (src-main/cli/code-cache.ts): made by
 * running what a start of the console runs, `cashier serve` in training mode on a new data
 * folder, through the token, the page and a first API call, so each cache holds every function
 * compiled on that path, not only the top level. V8 takes them only with the same Node and the
 * same V8 flags (NODE_FLAGS, as the shebang, `npm start` and the benches start it); otherwise
 * the bundles compile as before. A failure here costs the speed-up only: the build says so and
 * goes on.
 */
async function writeCodeCache() {
  const cacheFiles = [BUNDLE, SERVE_BUNDLE].map((bundle) => path.join(root, `${bundle}.cache`));
  for (const file of cacheFiles) rmSync(file, { force: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-code-cache-'));
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, path.join(root, 'dist/main/cli.cjs'), 'serve', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CASHIER_WRITE_CODE_CACHE: '1' },
    },
  );
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no address within 30 s')), 30_000);
      child.stderr.on('data', (chunk) => (output += chunk));
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=[\w-]+/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      });
      void exited.then(() => reject(new Error('it stopped')));
    });
    const origin = new URL(url).origin;
    const tokenAnswer = await fetch(url, { redirect: 'manual' });
    const cookie = tokenAnswer.headers.get('set-cookie')?.split(';')[0] ?? '';
    const page = await fetch(`${origin}/`, { headers: { Cookie: cookie } });
    await page.arrayBuffer();
    if (page.status !== 200) throw new Error(`GET / answered ${page.status}`);
    await new Promise((resolve, reject) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, {
        headers: { Origin: origin, Cookie: cookie },
      });
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'getAppState', args: {} })));
      ws.once('message', () => {
        ws.close();
        resolve();
      });
    });
  } catch (err) {
    console.warn(
      `bundle-main: no code cache for the cashier command (${err.message}); it compiles at each start.\n${output}`,
    );
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const file of cacheFiles) {
    if (!existsSync(file)) console.warn(`bundle-main: the code cache ${file} was not written`);
  }
}
