// Per-inquiry overhead: a swiped-card inquiry in training mode, whose simulators answer at once,
// so the time is the console's own (state machine, PIN pad codec, host client, trace number,
// the log's two commits at synchronous=FULL). Measured inside the core (dispatch + events, as
// the shells see it) and through the browser shell (a WebSocket client, as a tab sees it).
// Also: RSS and heap before and after INQUIRY_MEMORY_RUNS inquiries (default 10,000).
//
//   npm run bench -- inquiry                       (prints `inquiry core p50=… p99=… shell p50=… ms`)
//   INQUIRY_RUNS=500 INQUIRY_MEMORY_RUNS=0 npm run bench -- inquiry
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { ApiEvents, InquiryProgress } from '../src-main/contract';
import { dispatchApiCall } from '../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../src-main/core/cashier-core';
import { startWebShell } from '../src-main/shells/web/web-shell';
import { SqliteDb } from '../src-main/store/sqlite';
import { percentile, recordFigure } from './figures';

const RUNS = Number(process.env.INQUIRY_RUNS ?? 1000);
const MEMORY_RUNS = Number(process.env.INQUIRY_MEMORY_RUNS ?? 10_000);
const WARMUP = 50;
const PIN = '123456';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-bench-inquiry-'));
const core = await CashierCore.open({ dataDir, shell: 'web', version: 'bench' });
const session: Session = core.createSession();

async function call<T>(method: string, args: unknown = {}): Promise<T> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (!outcome.ok) throw new Error(`${method}: ${outcome.error.message}`);
  return outcome.result as T;
}

await call('createFirstSupervisor', { operatorNo: '1001', name: 'Bench', password: 'Bench2026x' });
await call('login', { operatorNo: '1001', password: 'Bench2026x' });
for (let i = 0; i < 200 && !core.terminals.current().terminal.host.signedOn; i++) {
  await new Promise((r) => setTimeout(r, 25));
}

/** The emulated customer: presents the card at the card prompt and types the PIN at the PIN
 *  prompt, at once (the simulators' own speed, no human delays). */
const pad = core.terminals.current().terminal.training!.pinpad;
pad.on('prompt', (p: { kind: string }) => {
  if (p.kind === 'card') pad.presentCard('debit-swipe', 'swipe');
  else if (p.kind === 'pin') {
    for (const k of PIN) pad.pressKey(k as never);
    pad.pressKey('enter' as never);
  }
});

/** One inquiry through the core: start to the `done` event. */
async function coreInquiry(): Promise<number> {
  const t0 = performance.now();
  const done = new Promise<InquiryProgress>((resolve) => {
    const off = core.on('inquiry', (p: ApiEvents['inquiry']) => {
      if (p.step !== 'done') return;
      off();
      resolve(p);
    });
  });
  await call('startCardInquiry');
  const p = await done;
  const ms = performance.now() - t0;
  if (p.result?.outcome !== 'approved') throw new Error(`inquiry ${p.result?.outcome}`);
  return ms;
}

function sorted(samples: number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

for (let i = 0; i < WARMUP; i++) await coreInquiry();
// Where the time goes: the log's two writes, timed inside the same inquiries.
const tx = core.store.transactions as unknown as Record<
  string,
  (...a: unknown[]) => Promise<unknown>
>;
const storeTimes: Record<'begin' | 'complete', number[]> = { begin: [], complete: [] };
for (const k of ['begin', 'complete'] as const) {
  const original = tx[k]!.bind(tx);
  tx[k] = async (...a: unknown[]) => {
    const t = performance.now();
    try {
      return await original(...a);
    } finally {
      storeTimes[k].push(performance.now() - t);
    }
  };
}
const coreTimes: number[] = [];
for (let i = 0; i < RUNS; i++) coreTimes.push(await coreInquiry());
const c = sorted(coreTimes);

// The peer: what two commits at synchronous=FULL cost on the same file with raw sqlite3 (an
// insert, then an update of that row: the floor under begin() + complete()).
const raw = await SqliteDb.open(core.store.file);
await raw.exec(
  'PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; CREATE TABLE IF NOT EXISTS bench_peer (id INTEGER PRIMARY KEY, v TEXT, w TEXT)',
);
const peerTimes: number[] = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  const { lastID } = await raw.run('INSERT INTO bench_peer (v) VALUES (?)', [`row ${i}`]);
  await raw.run('UPDATE bench_peer SET w = ? WHERE id = ?', ['done', lastID]);
  peerTimes.push(performance.now() - t);
}
await raw.close();
const peer = sorted(peerTimes);

// Through the browser shell: the same inquiry from a WebSocket client with the shell's cookie.
const shell = await startWebShell({ core, rendererDir: path.resolve('dist/renderer') });
const cookie = `cashier_token_${shell.port}=${shell.token}`;
const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, {
  headers: { Cookie: cookie, Origin: `http://127.0.0.1:${shell.port}` },
});
await new Promise((resolve, reject) => {
  ws.once('open', resolve);
  ws.once('error', reject);
});
let nextId = 1;
const pending = new Map<number, (m: { ok: boolean }) => void>();
let onDone: (() => void) | undefined;
ws.on('message', (data) => {
  const m = JSON.parse(data.toString()) as {
    id?: number;
    ok: boolean;
    event?: string;
    payload?: InquiryProgress;
  };
  if (m.id !== undefined) pending.get(m.id)?.(m);
  else if (m.event === 'inquiry' && m.payload?.step === 'done') onDone?.();
});
function wire(method: string, args: unknown = {}): Promise<{ ok: boolean }> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, method, args }));
  });
}
const login = await wire('login', { operatorNo: '1001', password: 'Bench2026x' });
if (!login.ok) throw new Error('shell login failed');
async function shellInquiry(): Promise<number> {
  const t0 = performance.now();
  const done = new Promise<void>((resolve) => (onDone = resolve));
  const started = await wire('startCardInquiry');
  if (!started.ok) throw new Error('startCardInquiry refused');
  await done;
  return performance.now() - t0;
}
for (let i = 0; i < WARMUP; i++) await shellInquiry();
const shellTimes: number[] = [];
for (let i = 0; i < Math.max(100, Math.round(RUNS / 2)); i++) shellTimes.push(await shellInquiry());
const s = sorted(shellTimes);
ws.close();
await shell.close();

const f = (n: number) => n.toFixed(2);
console.log(
  `inquiry core p50=${f(percentile(c, 50))} p99=${f(percentile(c, 99))} shell p50=${f(percentile(s, 50))} ms` +
    ` (n=${c.length}/${s.length}, shell p99=${f(percentile(s, 99))})`,
);
const med = (x: number[]) => percentile(sorted(x), 50);
console.log(
  `  of which the log: begin() p50 ${f(med(storeTimes.begin))} ms, complete() p50 ${f(med(storeTimes.complete))} ms; ` +
    `raw SQLite insert + update (2 commits, FULL) on the same file p50 ${f(percentile(peer, 50))} p99 ${f(percentile(peer, 99))} ms`,
);
const rawPeer = (p: number) => ({ name: 'raw SQLite 2 commits', value: percentile(peer, p) });
recordFigure('inquiry core p50', percentile(c, 50), 'ms', '<= 5', rawPeer(50));
recordFigure('inquiry core p99', percentile(c, 99), 'ms', '<= 20', rawPeer(99));
recordFigure('inquiry shell p50', percentile(s, 50), 'ms', '<= 7', rawPeer(50));

if (MEMORY_RUNS > 0) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const trail: string[] = [];
  for (let i = 1; i <= MEMORY_RUNS; i++) {
    await coreInquiry();
    if (i % 2000 === 0) trail.push((process.memoryUsage().rss / 1048576).toFixed(0));
  }
  gc?.();
  const after = process.memoryUsage();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const growth = (after.rss - before.rss) / 1048576;
  console.log(
    `memory over ${MEMORY_RUNS} inquiries: rss ${mb(before.rss)} -> ${mb(after.rss)} MB (+${growth.toFixed(1)}), ` +
      `heap used ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB, heap total ${mb(before.heapTotal)} -> ${mb(after.heapTotal)} MB, ` +
      `external ${mb(before.external)} -> ${mb(after.external)} MB`,
  );
  console.log(`  rss every 2,000 inquiries: ${trail.join(' ')} MB`);
  recordFigure(`rss growth over ${MEMORY_RUNS} inquiries`, growth, 'MB', '<= 20');
}

await core.close();
rmSync(dataDir, { recursive: true, force: true });
