/// <reference lib="dom" />
// Without the Electron runtime, `npm start` (the built CLI's `start`) opens the console in an app
// window of Debian's Chromium, here on an Xvfb display (headless Chromium where Xvfb is missing),
// and the window reaches the login screen without anyone copying an address. And a tab left
// open while the browser shell restarts gets back in by itself, on the same port, and a reload
// does not show the 401 page (finding 6, item 14).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from './support/chromium';
import { repoRoot, startConsole, type RunningConsole } from './support/console-process';
import { screenshotDir } from './support/journey';
import { logIn, preparedDataDir } from './support/prepared';

const cli = path.join(repoRoot, 'dist', 'main', 'cli.cjs');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function findXvfb(): string | undefined {
  return ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'].find((p) => existsSync(p));
}

/** An Xvfb display of our own, or undefined when Xvfb is not installed. */
async function startXvfb(): Promise<{ display: string; stop(): void } | undefined> {
  const xvfb = findXvfb();
  if (!xvfb) return undefined;
  for (let n = 90 + (process.pid % 100); ; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const child = spawn(xvfb, [`:${n}`, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      if (existsSync(`/tmp/.X11-unix/X${n}`)) return { display: `:${n}`, stop: () => child.kill() };
      await sleep(50);
    }
    child.kill();
    if (n > 400) throw new Error('no free X display for Xvfb');
  }
}

describe('npm start without the Electron runtime', () => {
  let browser: Browser;
  let dataDir: string;
  let xvfb: { display: string; stop(): void } | undefined;
  let started: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    browser = await launchChromium();
    xvfb = await startXvfb();
  });

  afterAll(async () => {
    if (started && started.exitCode === null) {
      const gone = new Promise((resolve) => started!.once('exit', resolve));
      started.kill('SIGTERM');
      await gone;
    }
    xvfb?.stop();
    await browser?.close();
  });

  it('opens an app window of Debian’s Chromium that reaches the login screen', async () => {
    dataDir = await preparedDataDir();
    const profile = path.join(dataDir, 'browser-profile');
    started = spawn(process.execPath, [cli, 'start', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...(xvfb ? { DISPLAY: xvfb.display } : {}),
        CASHIER_BROWSER: chromiumPath(),
        // Only so that this test can look into the window (and, without Xvfb, run headless).
        CASHIER_BROWSER_ARGS: [
          '--remote-debugging-port=0',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          ...(xvfb ? [] : ['--headless=new']),
        ].join(' '),
      },
    });
    started.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    // Chromium says where its DevTools listen in the window's own profile folder.
    const portFile = path.join(profile, 'DevToolsActivePort');
    await expect.poll(() => existsSync(portFile), { timeout: 30_000 }).toBe(true);
    await expect
      .poll(() => readFileSync(portFile, 'utf8').split('\n')[0]!.length)
      .toBeGreaterThan(0);
    const devtools = readFileSync(portFile, 'utf8').split('\n')[0]!;
    const window = await chromium.connectOverCDP(`http://127.0.0.1:${devtools}`);
    try {
      let found: Page | undefined;
      await expect
        .poll(
          () =>
            (found = window
              .contexts()[0]
              ?.pages()
              .find((p) => p.url().startsWith('http'))),
          { timeout: 20_000 },
        )
        .toBeDefined();
      const page = found!;
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 20_000 })
        .toBe('操作员登录');
      // The launch code left the address (traded for the cookie).
      expect(new URL(page.url()).search).toBe('');
      await page.screenshot({
        path: path.join(screenshotDir, `app-window.${xvfb ? 'xvfb' : 'headless'}.png`),
      });
    } finally {
      await window.close().catch(() => undefined);
    }

    expect(output).toContain('正在打开应用窗口 / Opening the app window');
    // The address printed for kiosks carries a one-time code, never the install secret.
    const secret = (
      JSON.parse(readFileSync(path.join(dataDir, 'browser-shell.json'), 'utf8')) as {
        secret: string;
      }
    ).secret;
    expect(output).not.toContain(secret);
    const kiosk = /For a kiosk browser \(works once\): (\S+)/.exec(output)![1]!;
    expect((await fetch(kiosk, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(kiosk, { redirect: 'manual' })).status).toBe(403);
    // The secret and the window's profile are the cashier's alone.
    if (process.platform !== 'win32') {
      expect(statSync(path.join(dataDir, 'browser-shell.json')).mode & 0o777).toBe(0o600);
      expect(statSync(profile).mode & 0o777).toBe(0o700);
    }
  });
});

describe('the browser shell restarts under an open tab', () => {
  let browser: Browser;
  let running: RunningConsole;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await running?.stop();
    await browser?.close();
  });

  it('the tab gets back in by itself on the same port, and a reload shows the console', async () => {
    const dataDir = await preparedDataDir();
    running = await startConsole(dataDir);
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(running.url);
    const heading = () => page.locator('h1').textContent();
    await logIn(page);
    const origin = running.origin;
    await running.stop();
    await expect.poll(() => page.locator('.banner.error').textContent()).toContain('正在重新连接');
    running = await startConsole(dataDir);
    // The same address: the port of the last start is taken again.
    expect(running.origin).toBe(origin);
    // The tab reconnects with the cookie it holds and lands on the login screen (the login
    // itself ended with the old console), without a new address.
    await expect.poll(heading, { timeout: 15_000 }).toBe('操作员登录');
    expect(await page.locator('.banner.error').count()).toBe(0);
    await page.reload();
    await expect.poll(heading).toBe('操作员登录');

    // A console that no longer knows the cookie (its install secret replaced) never lets the
    // tab in: after a few tries the tab shows the console's own page on how to open it.
    await running.stop();
    const stateFile = path.join(dataDir, 'browser-shell.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { port: number };
    writeFileSync(stateFile, JSON.stringify({ secret: 'x'.repeat(43), port: state.port }));
    running = await startConsole(dataDir);
    expect(running.origin).toBe(origin);
    await expect
      .poll(() => page.locator('body').textContent(), { timeout: 20_000 })
      .toContain('请使用启动时显示的完整地址');
  });
});

describe('a kiosk asks for a fixed port', () => {
  it('takes browserShell.port from config.json, and says so in both languages when it is taken', async () => {
    const port = await freePort();
    const dataDir = await preparedDataDir((config) => (config.browserShell = { port }));
    const kiosk = await startConsole(dataDir);
    try {
      expect(kiosk.origin).toBe(`http://127.0.0.1:${port}`);
      // A second console asking for the same port stops with words, not a stack trace.
      const second = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let said = '';
      second.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
      expect(code).toBe(2);
      expect(said).toContain(`端口 ${port} 已被占用`);
      expect(said).toContain(`Port ${port} is in use`);
    } finally {
      await kiosk.stop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
