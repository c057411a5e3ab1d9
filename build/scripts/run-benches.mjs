// `npm run bench [topic...]`: bundles each bench/<topic>.bench.ts with esbuild and runs it with
// node, one after another, so their figures do not disturb each other.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..', '..');
const wanted = process.argv.slice(2);
const benches = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((topic) => wanted.length === 0 || wanted.includes(topic))
  .sort();

if (benches.length === 0) {
  console.error(`No benchmark matches: ${wanted.join(' ') || '(none in bench/)'}`);
  process.exit(2);
}
const outDir = path.join(root, 'dist', 'bench');
mkdirSync(outDir, { recursive: true });
for (const topic of benches) {
  const outfile = path.join(outDir, `${topic}.mjs`);
  await build({
    absWorkingDir: root,
    entryPoints: [`bench/${topic}.bench.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  console.log(`\n=== bench: ${topic} ===`);
  execFileSync(process.execPath, [outfile], { stdio: 'inherit', cwd: root });
}
