// Bundles the main-process code with esbuild (the renderer is built by Vite).
// npm packages stay external: native ones (serialport, sqlite3) cannot be bundled, and
// electron-builder packs the production dependencies beside the bundle anyway.
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
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

/** Packages cli.mjs loads from node_modules: native bindings, and the Electron-only ones. */
const NOT_BUNDLED = ['sqlite3', 'serialport', '@serialport/*', 'electron', 'electron-updater'];

/**
 * ReceiptLine (with iconv-lite and pngjs, a quarter of the bundle) is needed only to print or
 * preview a slip: in cli.mjs it stays in node_modules and is required on first use, so
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
      // `require` is the banner's (createRequire); called indirectly so esbuild leaves it be.
      contents: `let lib;
const load = () => (lib ??= (0, require)('receiptline'));
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

/** Fails the build if the preload bundle took in the schema library after all. */
function namesOnly(result) {
  const schemaLibrary = Object.keys(result.metafile.inputs).filter((input) =>
    /(^|\/)node_modules\/zod\//.test(input),
  );
  if (schemaLibrary.length > 0) {
    throw new Error(`The preload bundle must carry names only, not ${schemaLibrary[0]}`);
  }
}

await Promise.all([
  // The command (and `cashier serve`) takes its pure-JS packages in: loading one file is much
  // faster than resolving and lexing a hundred CommonJS files through Node's ESM loader
  // (README.md, "Performance"). Native packages, and what only the Electron shell loads, stay
  // outside; `require` is given for the CommonJS code bundled into this ES module.
  build({
    ...common,
    entryPoints: ['src-main/cli/entry.ts'],
    outfile: 'dist/main/cli.mjs',
    format: 'esm',
    external: NOT_BUNDLED,
    plugins: [lazyReceiptLine],
    minifyWhitespace: true,
    minifySyntax: true,
    banner: {
      // `env -S` passes the flags on (Linux coreutils >= 8.30; npm's Windows shims read it too).
      js: `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}\nimport { createRequire as __cashierRequire } from 'node:module';\nconst require = __cashierRequire(import.meta.url);`,
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
  }).then(namesOnly),
]);
chmodSync(path.join(root, 'dist/main/cli.mjs'), 0o755);
