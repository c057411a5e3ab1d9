// What lets a browser into the browser shell across restarts: the install secret kept in the
// data folder (0600) as the cookie, launch codes that open it once, the port remembered, and
// the app window's browser found where Debian, Windows and macOS put it.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CashierCore } from '../../../../src-main/core/cashier-core';
import { findChromium } from '../../../../src-main/shells/web/app-window';
import {
  loadShellState,
  saveShellState,
  SHELL_STATE_FILE,
  shellKeys,
} from '../../../../src-main/shells/web/shell-keys';
import { startWebShell } from '../../../../src-main/shells/web/web-shell';

const tmp = (name: string) => mkdtempSync(path.join(os.tmpdir(), `cashier-${name}-`));

describe('launch codes', () => {
  it('open the console once; the start-up token stays valid for the run', () => {
    const keys = shellKeys({ cookieValue: 'install-secret' });
    const code = keys.launchCode();
    expect(code).toMatch(/^[\w-]{32}$/);
    expect(keys.accepts(code)).toBe(true);
    expect(keys.accepts(code)).toBe(false);
    expect(keys.accepts(keys.startToken)).toBe(true);
    expect(keys.accepts(keys.startToken)).toBe(true);
    expect(keys.accepts('guess')).toBe(false);
    expect(keys.cookieValue).toBe('install-secret');
  });

  it('without a data folder the cookie carries the start-up token, as before', () => {
    const keys = shellKeys({ startToken: 'fixed-token' });
    expect(keys.cookieValue).toBe('fixed-token');
  });
});

describe('the install secret', () => {
  it('is made once, kept 0600, and read again at the next start', async () => {
    const dataDir = tmp('keys');
    const first = await loadShellState(dataDir);
    expect(first.secret).toMatch(/^[\w-]{43}$/);
    expect(first.port).toBe(0);
    const file = path.join(dataDir, SHELL_STATE_FILE);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    await saveShellState(dataDir, { ...first, port: 41235 });
    expect(await loadShellState(dataDir)).toEqual({ secret: first.secret, port: 41235 });
    // A mode loosened by hand is tightened again.
    if (process.platform !== 'win32') {
      chmodSync(file, 0o644);
      await loadShellState(dataDir);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  it('replaces a damaged file rather than refusing to start', async () => {
    const dataDir = tmp('keys-bad');
    writeFileSync(path.join(dataDir, SHELL_STATE_FILE), '{"secret": 1}');
    const state = await loadShellState(dataDir);
    expect(state.secret).toMatch(/^[\w-]{43}$/);
    expect(JSON.parse(readFileSync(path.join(dataDir, SHELL_STATE_FILE), 'utf8'))).toEqual(state);
  });
});

describe('a tab across a restart of the browser shell', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('keeps its cookie: the next start on the same port lets it in without a new address', async () => {
    const dataDir = tmp('restart');
    const rendererDir = path.join(dataDir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><p>renderer</p>');
    const core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
    closers.push(() => core.close());
    const state = await loadShellState(dataDir);

    const first = await startWebShell({
      core,
      rendererDir,
      keys: shellKeys({ cookieValue: state.secret }),
    });
    const res = await fetch(first.launchUrl(), { redirect: 'manual' });
    expect(res.status).toBe(303);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toBe(`cashier_token_${first.port}=${state.secret}`);
    const port = first.port;
    await first.close();

    // A new start: a new start-up token, the same install secret and port.
    const second = await startWebShell({
      core,
      rendererDir,
      port,
      keys: shellKeys({ cookieValue: state.secret }),
    });
    closers.push(() => second.close());
    expect(second.token).not.toBe(first.token);
    const reload = await fetch(`http://127.0.0.1:${port}/`, { headers: { Cookie: cookie } });
    expect(reload.status).toBe(200);
    expect(await reload.text()).toContain('renderer');
    // The old start-up token is void; a guessed cookie still gets nothing.
    expect((await fetch(first.url, { redirect: 'manual' })).status).toBe(403);
    const guessed = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { Cookie: `cashier_token_${port}=guess` },
    });
    expect(guessed.status).toBe(401);
  });
});

describe('the app window’s browser', () => {
  it('is CASHIER_BROWSER when set, none when it says none', () => {
    expect(findChromium({ CASHIER_BROWSER: '/opt/chrome/chrome' }, 'linux')).toBe(
      '/opt/chrome/chrome',
    );
    expect(findChromium({ CASHIER_BROWSER: 'none', PATH: '/usr/bin' }, 'linux')).toBeUndefined();
  });

  it('is found on PATH (Debian’s chromium), and not invented when there is none', () => {
    const bin = tmp('bin');
    writeFileSync(path.join(bin, 'chromium'), '#!/bin/sh\n');
    expect(findChromium({ PATH: bin }, 'linux')).toBe(path.join(bin, 'chromium'));
    expect(findChromium({ PATH: tmp('empty') }, 'darwin')).toBeUndefined();
  });

  it('is found where the Windows installers put Edge or Chrome', () => {
    // A Windows path cannot be made on this machine's file system: the probe is asked instead.
    const root = 'C:\\Program Files';
    const edge = 'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe';
    const probed: string[] = [];
    const exists = (file: string): boolean => {
      probed.push(file);
      return file === edge;
    };
    expect(findChromium({ PATH: '', ProgramFiles: root }, 'win32', exists)).toBe(edge);
    expect(probed[0]).toBe(edge);
    expect(findChromium({ PATH: '', ProgramFiles: root }, 'win32', () => false)).toBeUndefined();
  });
});
