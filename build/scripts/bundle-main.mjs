// Bundles the main-process code with esbuild (the renderer is built by Vite).
// npm packages stay external: native ones (serialport, sqlite3) cannot be bundled, and
// electron-builder packs the production dependencies beside the bundle anyway.
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

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
  build({
    ...common,
    entryPoints: ['src-main/cli/entry.ts'],
    outfile: 'dist/main/cli.mjs',
    format: 'esm',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
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
