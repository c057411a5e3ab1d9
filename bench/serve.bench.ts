// `cashier serve` start-up: from spawning the built CLI to the first HTTP 200 of its address
// (the token traded for the cookie, then index.html), against a plain Node server doing the
// same token steps, measured in the same run; then to the first API answer (getAppState over
// the WebSocket, what the login waits for); and the console's RSS once idle.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { openStore } from '../src-main/store';
import { NODE_FLAGS } from '../build/scripts/node-flags.mjs';
import { recordFigure } from './figures';

const RUNS = Number(process.env.SERVE_RUNS ?? 7);
const root = process.cwd();

/** GET with a cookie jar of one: follows the token's 303 to the page; resolves on the 200
 *  with the cookie. */
function getWithToken(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
        if (res.statusCode !== 303 || !cookie) return reject(new Error(`token: ${res.statusCode}`));
        const next = new URL(res.headers.location!, url);
        http
          .get(next, { headers: { Cookie: cookie } }, (page) => {
            page.resume();
            page.on('end', () =>
              page.statusCode === 200
                ? resolve(cookie)
                : reject(new Error(`page: ${page.statusCode}`)),
            );
          })
          .on('error', reject);
      })
      .on('error', reject);
  });
}

/** The first API call a window makes (App.svelte), answered over the WebSocket. */
function firstApiAnswer(origin: string, cookie: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, {
      headers: { Origin: origin, Cookie: cookie },
    });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'getAppState', args: {} })));
    ws.on('message', (data) => {
      if ((JSON.parse(String(data)) as { id?: number }).id !== 1) return;
      ws.close();
      resolve();
    });
  });
}

async function timeToFirst200(
  args: string[],
  api = false,
): Promise<{ ms: number; apiMs: number; child: ChildProcess }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (match) resolve(match[1]!);
    });
  });
  const cookie = await getWithToken(url);
  const ms = performance.now() - t0;
  if (api) await firstApiAnswer(new URL(url).origin, cookie);
  return { ms, apiMs: performance.now() - t0, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

// The peer: a plain Node server that trades ?token= for a cookie and serves index.html.
const peerScript = path.join(os.tmpdir(), `cashier-serve-peer-${process.pid}.mjs`);
writeFileSync(
  peerScript,
  `import http from 'node:http'; import { readFileSync } from 'node:fs'; import { randomBytes } from 'node:crypto';
const token = randomBytes(24).toString('base64url');
const html = readFileSync(${JSON.stringify(path.join(root, 'dist/renderer/index.html'))});
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.searchParams.get('token') === token) { res.writeHead(303, { 'Set-Cookie': 't=' + token + '; HttpOnly', Location: '/' }); return res.end(); }
  if ((req.headers.cookie ?? '').includes('t=' + token)) { res.writeHead(200, { 'Content-Type': 'text/html' }); return res.end(html); }
  res.writeHead(401); res.end();
});
server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port + '/?token=' + token));
process.on('SIGTERM', () => process.exit(0));`,
);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-bench-serve-'));
const store = await openStore(dataDir);
await store.operators.createFirstSupervisor({
  operatorNo: '1001',
  name: 'Bench',
  password: 'Bench2026x',
});
await store.close();

const ours: number[] = [];
const oursApi: number[] = [];
const peer: number[] = [];
let idleRss = 0;
for (let i = 0; i < RUNS; i++) {
  // As `cashier serve` starts: with the flags of its shebang (build/scripts/node-flags.mjs).
  const a = await timeToFirst200(
    [...NODE_FLAGS, path.join(root, 'dist/main/cli.cjs'), 'serve', '--data-dir', dataDir],
    true,
  );
  ours.push(a.ms);
  oursApi.push(a.apiMs);
  if (i === RUNS - 1) {
    // Idle: the start-up's garbage left to settle for a while.
    await new Promise((r) => setTimeout(r, 3000));
    idleRss = rssOf(a.child.pid!);
  }
  await stop(a.child);
  const b = await timeToFirst200([peerScript]);
  peer.push(b.ms);
  await stop(b.child);
}
const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
console.log(
  `serve start -> first 200: median ${median(ours).toFixed(0)} ms (runs ${ours.map((t) => t.toFixed(0)).join(' ')}); ` +
    `plain Node server, same token steps: median ${median(peer).toFixed(0)} ms`,
);
console.log(
  `serve start -> first API answer (getAppState): median ${median(oursApi).toFixed(0)} ms (runs ${oursApi.map((t) => t.toFixed(0)).join(' ')})`,
);
console.log(`serve idle RSS (training mode, 3 s after start): ${idleRss.toFixed(1)} MB`);
recordFigure('serve start to first 200', median(ours), 'ms', '<= 250', {
  name: 'plain Node server',
  value: median(peer),
});
recordFigure('serve start to first API answer', median(oursApi), 'ms', '', {
  name: 'plain Node server, first 200',
  value: median(peer),
});
recordFigure('serve idle RSS', idleRss, 'MB');
rmSync(dataDir, { recursive: true, force: true });
rmSync(peerScript, { force: true });
