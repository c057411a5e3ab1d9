// `npm run bench [topic...]`: bundles each bench/<topic>.bench.ts with esbuild and runs it with
// node, one after another, so their figures do not disturb each other; then prints one summary
// table of the figures the benches recorded (bench/figures.ts), each beside its goal and the
// peer measured in the same run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { NODE_FLAGS } from './node-flags.mjs';

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
const figuresFile = path.join(outDir, `figures-${process.pid}.jsonl`);
rmSync(figuresFile, { force: true });
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
  execFileSync(process.execPath, [...NODE_FLAGS, '--expose-gc', outfile], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, BENCH_FIGURES: figuresFile },
  });
}

/** Whether `value` meets a goal written as '<= N' or '>= N' (undefined: no goal). */
function met(value, goal) {
  const m = /^(<=|>=)\s*([\d.]+)$/.exec(goal ?? '');
  if (!m) return undefined;
  return m[1] === '<=' ? value <= Number(m[2]) : value >= Number(m[2]);
}

function fmt(n) {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en');
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
}

if (existsSync(figuresFile)) {
  const figures = readFileSync(figuresFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  rmSync(figuresFile, { force: true });
  const rows = figures.map((f) => {
    const ok = met(f.value, f.goal);
    return [
      f.name,
      `${fmt(f.value)} ${f.unit}`,
      f.goal ? `${f.goal} ${f.unit}` : '',
      f.peer ? `${f.peer.name}: ${fmt(f.peer.value)} ${f.unit}` : '',
      f.peer && f.peer.value ? `${(f.value / f.peer.value).toFixed(2)}x` : '',
      ok === undefined ? '' : ok ? 'yes' : 'NO',
    ];
  });
  const head = ['figure', 'value', 'goal', 'peer (same run)', 'ratio', 'met'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const [l1, l5, l15] = os.loadavg().map((n) => n.toFixed(2));
  console.log(
    `\n=== summary (${new Date().toISOString()}, ${os.cpus().length} CPUs, load ${l1} ${l5} ${l15}) ===`,
  );
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
}
