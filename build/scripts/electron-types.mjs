// The Electron type definitions ship inside the `electron` npm package, which npm drops when
// the runtime download fails (offline machines). Fetch just the package tarball from the npm
// registry and keep its electron.d.ts in one known place, so type checks use the real Electron
// API whether or not the runtime is installed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const installed = path.join(root, 'node_modules', 'electron', 'electron.d.ts');
const cacheDir = path.join(root, 'node_modules', '.electron-types');
const cached = path.join(cacheDir, 'electron.d.ts');

if (existsSync(cached)) process.exit(0);
if (existsSync(installed)) {
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(installed, cached);
  process.exit(0);
}

const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const version = lock.packages?.['node_modules/electron']?.version;
if (!version) {
  console.error('electron-types: no electron version in package-lock.json');
  process.exit(1);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'electron-types-'));
try {
  const out = execFileSync(
    'npm',
    ['pack', `electron@${version}`, '--pack-destination', tmp, '--json', '--silent'],
    {
      encoding: 'utf8',
    },
  );
  const tarball = path.join(tmp, JSON.parse(out)[0].filename);
  mkdirSync(cacheDir, { recursive: true });
  execFileSync('tar', [
    '-xzf',
    tarball,
    '-C',
    cacheDir,
    '--strip-components=1',
    'package/electron.d.ts',
  ]);
  console.log(`electron-types: electron.d.ts ${version} -> ${path.relative(root, cached)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
