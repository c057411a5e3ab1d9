/// <reference lib="dom" />
// The first real path through the whole stack, in Chromium: first-run supervisor creation,
// login and the home screen, in Chinese and English, through the browser shell of the built
// CLI, with the operator stored in a real SQLite file and found again after a restart.
import { mkdtempSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { repoRoot, startConsole, type RunningConsole } from './support/console-process';

const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

async function snap(page: Page, name: string): Promise<void> {
  // Nothing may overflow sideways at the smallest supported screen.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow, `${name} overflows horizontally`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

async function bothLanguages(page: Page, name: string): Promise<void> {
  await expect.poll(() => page.getAttribute('html', 'lang')).not.toBeNull();
  await snap(page, `${name}.zh-CN`);
  await page.getByTestId('language-switch').click();
  await snap(page, `${name}.en`);
  await page.getByTestId('language-switch').click();
}

describe('first run and login through the browser shell', () => {
  let browser: Browser;
  let console1: RunningConsole;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-e2e-login-'));
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    console1 = await startConsole(dataDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await console1?.stop();
  });

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(url);
    return page;
  }

  it('serves nothing without the token', async () => {
    const res = await fetch(console1.origin + '/');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('token');
  });

  it('creates the first supervisor, logs in and reaches home, in zh-CN and en', async () => {
    const page = await openPage(console1.url);
    // The token leaves the address bar once traded for the cookie.
    expect(page.url()).toBe(`${console1.origin}/`);

    await expect.poll(() => page.locator('h1').textContent()).toBe('首次使用：创建主管账户');
    await expect.poll(() => page.getByTestId('training-badge').textContent()).toBe('培训模式');
    await bothLanguages(page, 'first-run');

    await page.fill('input[name=operatorNo]', '1001');
    await page.fill('input[name=name]', '张主管');
    await page.fill('input[name=password]', 'abc123');
    await page.fill('input[name=confirm]', 'abc124');
    await page.click('button[type=submit]');
    await expect
      .poll(() => page.locator('[role=alert]').textContent())
      .toBe('两次输入的密码不一致');

    // A password the core refuses: its Chinese message reaches the screen.
    await page.fill('input[name=password]', '111111');
    await page.fill('input[name=confirm]', '111111');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toMatch(/密码/);
    await snap(page, 'first-run-error.zh-CN');

    await page.fill('input[name=password]', 'Cashier2026');
    await page.fill('input[name=confirm]', 'Cashier2026');
    await page.keyboard.press('Enter');

    await expect.poll(() => page.locator('h1').textContent()).toBe('操作员登录');
    await expect
      .poll(() => page.locator('[role=status]').first().textContent())
      .toBe('主管账户已创建，请登录。');
    expect(await page.inputValue('input[name=operatorNo]')).toBe('1001');
    await bothLanguages(page, 'login');

    // Wrong password: a clear message with the tries left, and the form stays usable.
    await page.fill('input[name=password]', 'wrong-one');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[role=alert]').textContent())
      .toBe('操作员号或密码错误。还可尝试 4 次。');
    await snap(page, 'login-error.zh-CN');

    await page.fill('input[name=password]', 'Cashier2026');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toContain('您好，张主管');
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toContain('1001 张主管');
    await bothLanguages(page, 'home');

    // Keyboard: F10 logs out.
    await page.keyboard.press('F10');
    await expect.poll(() => page.locator('h1').textContent()).toBe('操作员登录');
    await page.close();
  });

  it('keeps the supervisor in SQLite across a restart of the console', async () => {
    await console1.stop();
    console1 = await startConsole(dataDir);
    const page = await openPage(console1.url);
    await expect.poll(() => page.locator('h1').textContent()).toBe('操作员登录');
    await page.fill('input[name=operatorNo]', '1001');
    await page.fill('input[name=password]', 'Cashier2026');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1').textContent()).toContain('您好，张主管');
    await page.close();
  });

  it('logged no browser errors (CSP violations included)', () => {
    expect(consoleErrors).toEqual([]);
  });
});
