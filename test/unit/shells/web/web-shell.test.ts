// The browser shell over real HTTP and WebSocket on 127.0.0.1: the token, Host and Origin
// checks, and the API gate (unknown methods and bad arguments never reach the core).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CashierCore } from '../../../../src-main/core/cashier-core';
import { startWebShell, type WebShell } from '../../../../src-main/shells/web/web-shell';

let core: CashierCore;
let shell: WebShell;
let cookie: string;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-web-'));
  const rendererDir = path.join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><p>renderer</p>');
  writeFileSync(path.join(dataDir, 'secret.txt'), 'outside the renderer folder');
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  shell = await startWebShell({ core, rendererDir });
  const res = await fetch(shell.url, { redirect: 'manual' });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  await shell.close();
  await core.close();
});

function get(pathname: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${shell.port}${pathname}`, { headers, redirect: 'manual' });
}

/** fetch() cannot set Host, so this one goes through node:http (DNS-rebinding check). */
function statusWithHost(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(
        { host: '127.0.0.1', port: shell.port, path: '/', headers: { Host: host, Cookie: cookie } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
      .on('error', reject);
  });
}

function connect(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

interface Reply {
  id: number;
  ok: boolean;
  result?: { operator?: { operatorNo: string } | null; [key: string]: unknown };
  error?: { name: string; code: string };
}

function call(ws: WebSocket, id: number, method: string, args: unknown): Promise<Reply> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, args }));
  });
}

const goodOrigin = () => ({ Origin: `http://127.0.0.1:${shell.port}`, Cookie: cookie });

describe('browser shell HTTP', () => {
  it('is bound to 127.0.0.1 with a long random token', () => {
    expect(shell.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie and strips it from the URL', async () => {
    const res = await fetch(shell.url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
  });

  it('refuses requests without the token, with a wrong token, or for another host', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=not-the-token')).status).toBe(403);
    expect((await get('/', { Cookie: `cashier_token_${shell.port}=guess` })).status).toBe(401);
    expect(await statusWithHost(`evil.example:${shell.port}`)).toBe(421);
    expect(await statusWithHost(`127.0.0.1:${shell.port}`)).toBe(200);
  });

  it('shows a browser without the token a styled page in Chinese and English', async () => {
    const page = await get('/', { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("style-src 'self'");
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('请使用启动时显示的完整地址（含 token）打开收银台。');
    expect(html).toContain('Open the console with the full address (with its token)');
    // No inline style or script under the CSP: one stylesheet, served without the token.
    expect(html).not.toMatch(/<script|<style|style=/);
    expect(html).toContain('<link rel="stylesheet" href="/no-token.css">');
    const css = await get('/no-token.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('font-family');
    // Nothing else is served without the token, and a script still gets plain words.
    expect((await get('/index.html', { Accept: 'text/html' })).status).toBe(401);
    const plain = await get('/');
    expect(plain.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await plain.text()).toContain('token');
  });

  it('serves the renderer with a strict CSP and nothing outside its folder', async () => {
    const res = await get('/', { Cookie: cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('renderer');
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect((await get('/../secret.txt', { Cookie: cookie })).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt', { Cookie: cookie })).status).toBe(404);
  });
});

describe('browser shell WebSocket API', () => {
  it('refuses a connection without the cookie or from another origin', async () => {
    await expect(connect({ Origin: `http://127.0.0.1:${shell.port}` })).rejects.toThrow('403');
    await expect(connect({ Origin: 'http://evil.example', Cookie: cookie })).rejects.toThrow('403');
  });

  it('answers a known method', async () => {
    const ws = await connect(goodOrigin());
    const reply = await call(ws, 1, 'getAppState', {});
    expect(reply.ok).toBe(true);
    expect(reply.result).toMatchObject({
      needsFirstSupervisor: true,
      mode: 'training',
      shell: 'web',
    });
    ws.close();
  });

  it('gives typed errors for unknown methods and bad arguments, before the core', async () => {
    const ws = await connect(goodOrigin());
    const unknown = await call(ws, 1, 'dropDatabase', {});
    expect(unknown).toMatchObject({
      ok: false,
      error: { name: 'ApiError', code: 'UNKNOWN_METHOD' },
    });
    const inherited = await call(ws, 2, 'constructor', {});
    expect(inherited.error?.code).toBe('UNKNOWN_METHOD');

    const bad = await call(ws, 3, 'createFirstSupervisor', {
      operatorNo: 'x',
      name: '',
      password: 'p',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENTS' } });
    const extra = await call(ws, 4, 'login', { operatorNo: '1001', password: 'x', admin: true });
    expect(extra.error?.code).toBe('BAD_ARGUMENTS');
    // The refused calls reached no handler: still no operator and no audit entry.
    expect(await core.store.operators.count()).toBe(0);
    ws.close();
  });

  it('closes the socket on a malformed message', async () => {
    const ws = await connect(goodOrigin());
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1003);
  });

  it('keeps login state per connection', async () => {
    const a = await connect(goodOrigin());
    const b = await connect(goodOrigin());
    const created = await call(a, 1, 'createFirstSupervisor', {
      operatorNo: '1001',
      name: 'Supervisor',
      password: 'Secret2026',
    });
    expect(created.ok).toBe(true);
    expect((await call(a, 2, 'login', { operatorNo: '1001', password: 'Secret2026' })).ok).toBe(
      true,
    );
    expect((await call(a, 3, 'getAppState', {})).result?.operator?.operatorNo).toBe('1001');
    expect((await call(b, 1, 'getAppState', {})).result?.operator).toBeNull();
    a.close();
    b.close();
  });
});

describe('events reach only the tab they are for', () => {
  it('a tab that has not logged in gets no event; a logged-in one gets status changes', async () => {
    const headers = { Cookie: cookie, Origin: `http://127.0.0.1:${shell.port}` };
    const stranger = await connect(headers);
    const cashierTab = await connect(headers);
    const heard = { stranger: [] as string[], cashierTab: [] as string[] };
    stranger.on('message', (d) => heard.stranger.push(JSON.parse(d.toString()).event));
    cashierTab.on('message', (d) => heard.cashierTab.push(JSON.parse(d.toString()).event));
    const appState = await call(cashierTab, 1, 'getAppState', {});
    if (appState.result?.['needsFirstSupervisor']) {
      await call(cashierTab, 2, 'createFirstSupervisor', {
        operatorNo: '1001',
        name: 'Sup',
        password: 'Secret2026',
      });
    }
    expect(
      (await call(cashierTab, 3, 'login', { operatorNo: '1001', password: 'Secret2026' })).ok,
    ).toBe(true);
    core.status.set({ printer: 'error' });
    core.status.set({ printer: 'training' });
    await expect
      .poll(() => heard.cashierTab.filter((e) => e === 'status').length)
      .toBeGreaterThan(0);
    expect(heard.stranger.filter((e) => e !== undefined)).toEqual([]);
    stranger.close();
    cashierTab.close();
  });
});
