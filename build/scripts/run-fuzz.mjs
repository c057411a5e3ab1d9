// `npm run fuzz [-- --frames N --requests N --seed N --concurrency N]`: the browser shell's
// fuzzers (test/fuzz/web-shell-fuzz.ts, the same engine `npm test` runs small) at full size,
// against the built `cashier serve` in a child process. The engine is bundled with esbuild, as
// run-benches.mjs does with the benches. Prints counts, crashes and time; exits 1 on any crash,
// unanswered valid call or finding.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '2026' },
    concurrency: { type: 'string', default: '16' },
  },
  strict: true,
});
const number = (name) => {
  const n = Number(values[name]);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, not ${values[name]}`);
    process.exit(2);
  }
  return n;
};
const options = {
  frames: number('frames'),
  requests: number('requests'),
  seed: number('seed'),
  concurrency: Math.max(1, number('concurrency')),
};

const outfile = path.join(root, 'dist', 'fuzz', 'web-shell-fuzz.mjs');
await build({
  absWorkingDir: root,
  entryPoints: ['test/fuzz/web-shell-fuzz.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const { failures, formatReport, runWebShellFuzz } = await import(pathToFileURL(outfile).href);

console.log(
  `web-shell fuzz: ${options.requests} HTTP requests, then ${options.frames} mutated WebSocket ` +
    `frames, seed ${options.seed}, ${options.concurrency} connections at a time`,
);
const report = await runWebShellFuzz({ ...options, log: (line) => console.log(line) });
console.log(formatReport(report));
process.exit(failures(report) > 0 ? 1 : 0);
