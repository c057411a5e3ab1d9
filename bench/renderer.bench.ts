/// <reference lib="dom" />
// Renderer weight and start-up: the JS the first screen loads (raw and gzip; target at most
// 80 KB gzip), and the time from opening the browser shell's address to a login screen that
// takes input, in Debian's Chromium against the built `cashier serve`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openStore } from '../src-main/store';
import { launchChromium } from '../test/e2e/support/chromium';

const root = process.cwd();
const assets = path.join(root, 'dist', 'renderer', 'assets');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

let raw = 0;
let gzip = 0;
for (const file of readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.css'))) {
  const bytes = readFileSync(path.join(assets, file));
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
  console.log(
    `  ${file.padEnd(28)} raw ${kb(bytes.length).padStart(9)}  gzip ${kb(gzipSync(bytes, { level: 9 }).length).padStart(8)}`,
  );
}
console.log(
  `renderer JS+CSS for the first screen: raw ${kb(raw)}, gzip ${kb(gzip)} (target <= 80 KB gzip)`,
);

// A console with a supervisor already there, so the first screen is the login.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-bench-'));
const store = await openStore(dataDir);
await store.operators.createFirstSupervisor({
  operatorNo: '1001',
  name: 'Bench',
  password: 'Bench2026x',
});
await store.close();
const child = spawn(
  process.execPath,
  [path.join(root, 'dist/main/cli.mjs'), 'serve', '--data-dir', dataDir],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve) => {
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
    if (match) resolve(match[1]!);
  });
});

const browser = await launchChromium();
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(url);
  await page.locator('input[name=operatorNo]:not([disabled])').waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'operatorNo');
  times.push(performance.now() - started);
  await context.close();
}
await browser.close();
child.kill('SIGTERM');
times.sort((a, b) => a - b);
console.log(
  `open address -> interactive login (15 fresh tabs): median ${times[7]!.toFixed(0)} ms, ` +
    `min ${times[0]!.toFixed(0)} ms, max ${times[14]!.toFixed(0)} ms`,
);
