// Shared steps of the end-to-end journeys: a console in training mode with a short host
// timeout, a logged-in supervisor, screenshots that also check nothing overflows sideways.
/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { defaultConfig } from '../../../src-main/core/config';
import { repoRoot, startConsole, type RunningConsole } from './console-process';

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export async function startTrainingConsole(): Promise<RunningConsole> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-e2e-'));
  const config = defaultConfig();
  // Short enough for a test to wait out a silent host.
  config.host.responseTimeoutMs = 2_000;
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  return startConsole(dataDir);
}

export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow, `${name} overflows horizontally`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Screenshot in Chinese, then in English, and back to Chinese. */
export async function snapBoth(page: Page, name: string): Promise<void> {
  await snap(page, `${name}.zh-CN`);
  await page.getByTestId('language-switch').click();
  await snap(page, `${name}.en`);
  await page.getByTestId('language-switch').click();
}

export async function openLoggedIn(
  browser: Browser,
  running: RunningConsole,
  errors: string[],
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(running.url);
  const heading = page.locator('h1');
  await expect.poll(() => heading.textContent()).toMatch(/首次使用|操作员登录/);
  if ((await heading.textContent())?.includes('首次使用')) {
    await page.fill('input[name=operatorNo]', '1001');
    await page.fill('input[name=name]', '王主管');
    await page.fill('input[name=password]', 'Cashier2026');
    await page.fill('input[name=confirm]', 'Cashier2026');
    await page.keyboard.press('Enter');
    await expect.poll(() => heading.textContent()).toBe('操作员登录');
  }
  await page.fill('input[name=operatorNo]', '1001');
  await page.fill('input[name=password]', 'Cashier2026');
  await page.keyboard.press('Enter');
  await expect.poll(() => heading.textContent()).toContain('您好');
  return page;
}

export async function step(page: Page): Promise<string | null> {
  return page
    .getByTestId('inquiry-step')
    .getAttribute('data-step', { timeout: 1_000 })
    .catch(() => null);
}

/** The simulated customer presents a card at the card prompt, then types a PIN on the pad. */
export async function customerUsesCard(page: Page, cardButton: string, pin: string): Promise<void> {
  await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-card');
  await page.getByTestId(cardButton).click();
  await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-pin');
  await typeOnPad(page, pin);
}

export async function typeOnPad(page: Page, pin: string): Promise<void> {
  // The pad drops keys pressed before its own PIN prompt, as a real one does; a customer is
  // never this fast, so give the prompt a moment to reach the pad.
  await page.waitForTimeout(300);
  for (const digit of pin) await page.getByTestId(`key-${digit}`).click();
  await page.getByTestId('key-enter').click();
}

export async function result(page: Page): Promise<{ outcome: string | null; text: string }> {
  const box = page.getByTestId('inquiry-result');
  await box.waitFor({ timeout: 20_000 });
  return { outcome: await box.getAttribute('data-outcome'), text: (await box.textContent()) ?? '' };
}
