// A data folder made ready through the core's own API, without driving the first-run screen:
// for tests about something else (the app window, the inquiry screens).
/// <reference lib="dom" />
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore } from '../../../src-main/core/cashier-core';
import { defaultConfig, type CashierConfig } from '../../../src-main/core/config';

export const SUPERVISOR = { operatorNo: '1001', password: 'Cashier2026' };

/** A training data folder with the supervisor 1001 / Cashier2026; `change` edits the config. */
export async function preparedDataDir(change?: (config: CashierConfig) => void): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-e2e-ready-'));
  const config = defaultConfig();
  change?.(config);
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  const core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  try {
    const made = await dispatchApiCall(core, core.createSession(), 'createFirstSupervisor', {
      ...SUPERVISOR,
      name: '王主管',
    });
    expect(made.ok).toBe(true);
  } finally {
    await core.close();
  }
  return dataDir;
}

/** Logs the supervisor in on the login screen and waits for home. */
export async function logIn(page: Page): Promise<void> {
  const heading = () => page.locator('h1').textContent();
  await expect.poll(heading, { timeout: 15_000 }).toBe('操作员登录');
  await page.fill('input[name=operatorNo]', SUPERVISOR.operatorNo);
  await page.fill('input[name=password]', SUPERVISOR.password);
  await page.keyboard.press('Enter');
  await expect.poll(heading, { timeout: 15_000 }).toContain('您好');
}
