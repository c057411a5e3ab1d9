/// <reference lib="dom" />
// Renderer weight and start-up: the JS the first screen loads (raw and gzip; target at most
// 80 KB gzip), and the time from opening the browser shell's address to a login screen that
// takes input, in Debian's Chromium against the built `cashier serve`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { openStore } from '../src-main/store';
import { launchChromium } from '../test/e2e/support/chromium';
import { NODE_FLAGS } from '../build/scripts/node-flags.mjs';
import { recordFigure } from './figures';

const root = process.cwd();
const assets = path.join(root, 'dist', 'renderer', 'assets');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

// The first screen loads what index.html names and what those import statically; the other
// chunks (Home and its screens, the first-run form) load when they are shown (App.svelte).
const html = readFileSync(path.join(root, 'dist', 'renderer', 'index.html'), 'utf8');
const firstScreen = new Set(
  [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!),
);
for (const file of firstScreen) {
  if (!file.endsWith('.js')) continue;
  const source = readFileSync(path.join(assets, file), 'utf8');
  for (const m of source.matchAll(
    /\bimport\s*(?:[\w${},\s*]+from\s*)?["'`]\.\/([^"'`]+\.js)["'`]/g,
  )) {
    firstScreen.add(m[1]!);
  }
}
let raw = 0;
let gzip = 0;
let brotli = 0;
let laterBrotli = 0;
for (const file of readdirSync(assets).filter((f) => /\.(js|css)$/.test(f))) {
  const bytes = readFileSync(path.join(assets, file));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  // What the browser shell sends: the build's precomputed brotli copy (compress-renderer.mjs).
  const sent = readFileSync(path.join(assets, `${file}.br`)).length;
  const first = firstScreen.has(file);
  if (first) {
    raw += bytes.length;
    gzip += zipped;
    brotli += sent;
  } else laterBrotli += sent;
  console.log(
    `  ${file.padEnd(28)} raw ${kb(bytes.length).padStart(9)}  gzip ${kb(zipped).padStart(8)}  ${first ? 'first screen' : 'on demand'}`,
  );
}
console.log(
  `renderer JS+CSS for the first screen: raw ${kb(raw)}, gzip ${kb(gzip)} (target <= 80 KB gzip), brotli as sent ${kb(brotli)}; on demand later: brotli ${kb(laterBrotli)}`,
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
  [...NODE_FLAGS, path.join(root, 'dist/main/cli.cjs'), 'serve', '--data-dir', dataDir],
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

// The peer, measured in the same run: a page with one focused input and nothing else, from a
// plain Node server, through the same token-for-cookie redirect: the floor for any login page
// in this browser on this machine.
const peerServer = http.createServer((req, res) => {
  if (req.url?.includes('token=')) {
    res.writeHead(303, { 'Set-Cookie': 't=1; HttpOnly; SameSite=Strict', Location: '/' });
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>peer</title></head>' +
      '<body><input name="operatorNo" autofocus></body></html>',
  );
});
await new Promise<void>((resolve) => peerServer.listen(0, '127.0.0.1', resolve));
const peerUrl = `http://127.0.0.1:${(peerServer.address() as AddressInfo).port}/?token=x`;

const browser = await launchChromium();
const RUNS = 15;

/**
 * Opens the address in a fresh tab. `page` is the time on the page's own clock from the start of
 * the navigation to the login taking input: the operator-number field focused, and the task
 * that focused it over (a key typed then goes to the field). `driver` is the same moment as
 * Playwright sees it from outside, which adds the polling of its waits (a few hundred ms here),
 * the figure this bench reported before 2026-12-02.
 */
async function openToInteractive(address: string): Promise<{ page: number; driver: number }> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  await context.addInitScript(() => {
    const at = window as unknown as { interactiveAt?: number };
    document.addEventListener(
      'focusin',
      (event) => {
        const field = event.target as HTMLInputElement;
        if (field.name !== 'operatorNo' || field.disabled || at.interactiveAt) return;
        setTimeout(() => (at.interactiveAt ??= performance.now()));
      },
      true,
    );
  });
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(address);
  await page.locator('input[name=operatorNo]:not([disabled])').waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'operatorNo');
  const driver = performance.now() - started;
  const inPage = await page.waitForFunction(
    () => (window as unknown as { interactiveAt?: number }).interactiveAt,
  );
  const ms = (await inPage.jsonValue()) as number;
  await context.close();
  return { page: ms, driver };
}
const times: number[] = [];
const peerTimes: number[] = [];
const driverTimes: number[] = [];
const peerDriverTimes: number[] = [];
// Interleaved, so a burst of load from elsewhere hits both alike.
for (let i = 0; i < RUNS; i++) {
  const ours = await openToInteractive(url);
  const peer = await openToInteractive(peerUrl);
  times.push(ours.page);
  driverTimes.push(ours.driver);
  peerTimes.push(peer.page);
  peerDriverTimes.push(peer.driver);
}
await browser.close();
peerServer.close();
child.kill('SIGTERM');
for (const list of [times, peerTimes, driverTimes, peerDriverTimes]) list.sort((a, b) => a - b);
const mid = Math.floor(RUNS / 2);
console.log(
  `open address -> interactive login (${RUNS} fresh tabs, page clock): median ${times[mid]!.toFixed(0)} ms, ` +
    `min ${times[0]!.toFixed(0)} ms, max ${times[RUNS - 1]!.toFixed(0)} ms; ` +
    `one-input page (peer): median ${peerTimes[mid]!.toFixed(0)} ms`,
);
console.log(
  `the same seen by Playwright's waits: median ${driverTimes[mid]!.toFixed(0)} ms; ` +
    `peer ${peerDriverTimes[mid]!.toFixed(0)} ms`,
);
recordFigure('address to interactive login (median)', times[mid]!, 'ms', '<= 500', {
  name: 'one-input page',
  value: peerTimes[mid]!,
});
recordFigure('same, seen by Playwright (median)', driverTimes[mid]!, 'ms', undefined, {
  name: 'one-input page',
  value: peerDriverTimes[mid]!,
});
recordFigure('renderer first screen JS+CSS, brotli as sent', brotli / 1024, 'KB');
