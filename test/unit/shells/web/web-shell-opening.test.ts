// `cashier serve` listens before the console has opened (serve.ts): the browser shell then
// serves the page at once, and API calls that come while the console opens wait for it and are
// answered. If the console cannot open, the waiting sockets are closed, and the
// page is still served.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CashierCore } from '../../../../src-main/core/cashier-core';
import { startWebShell, type WebShell } from '../../../../src-main/shells/web/web-shell';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

function folders(): { dataDir: string; rendererDir: string } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-web-opening-'));
  const rendererDir = path.join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><p>renderer</p>');
  return { dataDir, rendererDir };
}

async function cookieOf(shell: WebShell): Promise<string> {
  const res = await fetch(shell.url, { redirect: 'manual' });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

function connect(shell: WebShell, cookie: string): Promise<WebSocket> {
  const origin = `http://127.0.0.1:${shell.port}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, {
      headers: { Origin: origin, Cookie: cookie },
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('the browser shell before the console has opened', () => {
  it('serves the page, and answers every call made meanwhile once the console is open', async () => {
    const { dataDir, rendererDir } = folders();
    let open!: (core: CashierCore) => void;
    const core = new Promise<CashierCore>((resolve) => (open = resolve));
    const shell = await startWebShell({ core, rendererDir });
    opened.push(shell);
    const cookie = await cookieOf(shell);
    const page = await fetch(`http://127.0.0.1:${shell.port}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('renderer');

    const ws = await connect(shell, cookie);
    const replies: Array<{ id: number; ok: boolean; error?: { code: string } }> = [];
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if ('id' in message) replies.push(message);
    });
    ws.send(JSON.stringify({ id: 1, method: 'getAppState', args: {} }));
    ws.send(JSON.stringify({ id: 2, method: 'noSuchMethod', args: {} }));
    ws.send(JSON.stringify({ id: 3, method: 'getAppState', args: {} }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(replies).toEqual([]);

    const console = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
    opened.unshift(console);
    open(console);
    await expect.poll(() => replies.length).toBe(3);
    // Each is answered when its handler is done, as at any other time.
    const byId = [...replies].sort((a, b) => a.id - b.id);
    expect(byId.map((r) => [r.id, r.ok])).toEqual([
      [1, true],
      [2, false],
      [3, true],
    ]);
    expect(byId[1]!.error?.code).toBe('UNKNOWN_METHOD');
    ws.close();
  });

  it('closes the waiting sockets if the console cannot open, and still serves the page', async () => {
    const { rendererDir } = folders();
    let fail!: (err: Error) => void;
    const core = new Promise<CashierCore>((_resolve, reject) => (fail = reject));
    const shell = await startWebShell({ core, rendererDir });
    opened.push(shell);
    const cookie = await cookieOf(shell);
    const ws = await connect(shell, cookie);
    ws.send(JSON.stringify({ id: 1, method: 'getAppState', args: {} }));
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    fail(new Error('the log is locked'));
    expect(await closed).toBe(1011);
    const page = await fetch(`http://127.0.0.1:${shell.port}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
  });
});
