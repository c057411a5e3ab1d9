// Trusted devices, link protection and the live status bar, in Chromium through the browser shell
// of a training console (the built `cashier serve`): the simulated PIN pad is replaced by another
// one (another serial number, unplugged and plugged in on its cable), card inquiries are blocked
// until a supervisor approves it with their password, and the audit trail keeps both identities;
// the Devices screen names the simulated printer; the status bar shows the link's protection, an
// armed training fault and a printer recovering from out-of-paper without a print; Settings
// refuses an unprotected live link with its reason; and the command line refuses to start with a
// live config whose link is unprotected.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src-main/core/config';
import { openStore } from '../../src-main/store';
import { launchChromium } from './support/chromium';
import { repoRoot, startConsole, type RunningConsole } from './support/console-process';
import { snap, snapBoth, step } from './support/journey';
import { logIn, preparedDataDir, SUPERVISOR } from './support/prepared';

let browser: Browser;
let running: RunningConsole;
let page: Page;
let dataDir: string;
const errors: string[] = [];

beforeAll(async () => {
  // A training folder with the supervisor set up; kept to read the audit trail afterwards.
  dataDir = await preparedDataDir((config) => (config.host.responseTimeoutMs = 2_000));
  running = await startConsole(dataDir);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

const heading = () => page.locator('h1').first().textContent();
const statusBar = () => page.getByTestId('status-bar').textContent();

async function home(): Promise<void> {
  await page.keyboard.press('Escape');
  await expect.poll(heading).toContain('您好');
}

describe('trusted PIN pad, simulated printer, live status bar', () => {
  it('shows the link protection and names the simulated printer on the Devices screen', async () => {
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(running.url);
    await logIn(page);
    await expect.poll(statusBar).toContain('链路：本机模拟');
    await page.keyboard.press('F5');
    await expect.poll(heading).toBe('设备管理');
    await expect
      .poll(() => page.getByTestId('printer-target').textContent())
      .toContain('模拟打印机');
    await expect
      .poll(() => page.getByTestId('pinpad-trust').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('trusted');
    expect(await page.getByTestId('pinpad-trust').textContent()).toContain(
      'CASHIER TRAINING ABECS-EMU，序列号 EMU0000000000001',
    );
    await page.getByTestId('print-test-page').click();
    await expect
      .poll(() => page.getByTestId('printer-outcome').textContent(), { timeout: 15_000 })
      .toMatch(/测试页已在模拟打印机上打印（\d+ 字节）/);
    await snapBoth(page, 'devices-trusted');
  });

  it('a replaced PIN pad blocks card inquiries until a supervisor approves it', async () => {
    await page.getByTestId('sim-replace-pinpad').click();
    const trust = page.getByTestId('pinpad-trust');
    await expect.poll(() => trust.getAttribute('data-state'), { timeout: 15_000 }).toBe('replaced');
    expect(await trust.textContent()).toContain('密码键盘已更换，请主管确认');
    const approval = page.getByTestId('pinpad-approval');
    expect(await approval.textContent()).toContain('序列号 EMU-REPLACED-02');
    expect(await approval.textContent()).toContain('不同之处：序列号');
    await expect.poll(statusBar).toContain('密码键盘：已更换，待主管确认');
    await snapBoth(page, 'devices-pinpad-replaced');

    // The cashier's F1: refused before the card, saying why and who decides.
    await home();
    await page.keyboard.press('F1');
    const alert = page.locator('.inquiry p.message.error');
    await expect
      .poll(() => alert.textContent(), { timeout: 10_000 })
      .toContain('密码键盘已更换，请主管确认');
    expect(await page.getByTestId('pinpad-blocked').textContent()).toContain('设备管理');
    await snapBoth(page, 'card-inquiry-pinpad-replaced');
    await home();

    // A wrong password approves nothing.
    await page.keyboard.press('F5');
    await expect.poll(heading).toBe('设备管理');
    await page.locator('input[name=approvePassword]').fill('wrong-password');
    await expect.poll(() => page.getByTestId('approve-pinpad').isEnabled()).toBe(true);
    await page.getByTestId('approve-pinpad').click();
    await expect
      .poll(() => page.getByTestId('trust-outcome').textContent(), { timeout: 10_000 })
      .toContain('未批准：密码错误');
    // The supervisor's own password approves it.
    await page.locator('input[name=approvePassword]').fill(SUPERVISOR.password);
    // Enter submits once the screen is idle again (it reloads after the refusal).
    await expect.poll(() => page.getByTestId('approve-pinpad').isEnabled()).toBe(true);
    await page.locator('input[name=approvePassword]').press('Enter');
    await expect
      .poll(() => page.getByTestId('trust-outcome').textContent(), { timeout: 10_000 })
      .toContain('已批准');
    await expect.poll(() => trust.getAttribute('data-state')).toBe('trusted');
    await expect.poll(statusBar).not.toContain('已更换');
    await snapBoth(page, 'devices-pinpad-approved');

    // Card inquiries work again: the pad asks for the card.
    await home();
    await page.keyboard.press('F1');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-card');
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.getByTestId('inquiry-result').count(), { timeout: 15_000 })
      .toBe(1);
    await home();
  });

  it('the status bar shows an armed training fault and the printer recovering without a print', async () => {
    await page.keyboard.press('F4');
    await expect.poll(heading).toBe('签到与诊断');
    await page.getByTestId('fault-faultPaperOut').click();
    await expect.poll(statusBar, { timeout: 10_000 }).toContain('打印机：缺纸');
    expect(await statusBar()).toContain('训练故障已设置：缺纸');
    await snap(page, 'status-paper-out.zh-CN');
    await page.getByTestId('fault-faultHostSilent').click();
    await expect.poll(statusBar).toContain('训练故障已设置：主机超时、缺纸');
    await page.getByTestId('language-switch').click();
    await expect.poll(statusBar).toContain('Training fault set: host timeout, paper out');
    expect(await statusBar()).toContain('Printer: out of paper');
    await snap(page, 'status-paper-out.en');
    await page.getByTestId('language-switch').click();
    // Paper loaded: no slip, no test page, and the bar says so within a few seconds.
    await page.getByTestId('fault-faultNone').click();
    await expect.poll(statusBar, { timeout: 10_000 }).toContain('打印机：模拟');
    expect(await statusBar()).not.toContain('训练故障');
    await snap(page, 'status-printer-recovered.zh-CN');
    await home();
  });

  it('Settings shows the link protection and phones, and refuses an unprotected live link', async () => {
    await page.keyboard.press('F6');
    await expect.poll(heading).toBe('设置');
    await expect
      .poll(() => page.getByTestId('link-host').textContent())
      .toContain('银行主机链路：未保护（生产模式下将被拒绝）');
    await page.fill('input[name=bankPhone]', '95588');
    await page.fill('input[name=walletPhone]', '95017');
    await page.locator('input[name=training]').uncheck();
    await page.getByTestId('settings-form').locator('button[type=submit]').click();
    const alert = page.locator('form p.message.error');
    await expect
      .poll(() => alert.textContent(), { timeout: 10_000 })
      .toContain('未保存：生产模式拒绝未受保护的银行主机链路');
    await snapBoth(page, 'settings-link-refused');
    // Recorded as a private line (and back to training for the rest): saved.
    await page.locator('input[name=hostPrivateLine]').check();
    await expect
      .poll(() => page.getByTestId('link-host').textContent())
      .toContain('银行主机链路：专线');
    await page.locator('input[name=training]').check();
    await page.getByTestId('settings-form').locator('button[type=submit]').click();
    await expect
      .poll(() => page.locator('form p.message.info').first().textContent(), { timeout: 10_000 })
      .toMatch(/已保存/);
    await snapBoth(page, 'settings-link-phones');
    await home();
    expect(errors).toEqual([]);
  });

  it('the audit trail has the approval with both identities', async () => {
    const store = await openStore(dataDir, { readOnly: true });
    try {
      const [approved] = await store.audit.list({ kind: 'device-approved' });
      expect(approved?.operatorNo).toBe('1001');
      expect(approved?.detail).toMatchObject({
        device: 'pinpad',
        how: 'approval',
        before: { maker: 'CASHIER TRAINING', model: 'ABECS-EMU' },
        after: { maker: 'CASHIER TRAINING', model: 'ABECS-EMU', serialNumber: 'EMU-REPLACED-02' },
      });
      const [config] = await store.audit.list({ kind: 'config-change' });
      expect(config?.detail).toMatchObject({ privateLine: { host: true } });
    } finally {
      await store.close();
    }
  });
});

describe('the command line refuses a live config with an unprotected link', () => {
  it('says why in Chinese and English and does not start', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-e2e-unprotected-'));
    const config = defaultConfig();
    config.mode = 'live';
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
    const cli = path.join(repoRoot, 'dist', 'main', 'cli.cjs');
    const run = spawnSync(process.execPath, [cli, 'serve', '--data-dir', dir], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status).not.toBe(0);
    expect(output).toContain('生产模式拒绝未受保护的银行主机链路');
    expect(output).toContain('Live mode refuses an unprotected bank host link');
    expect(output).not.toMatch(/^\s+at /m);
  });
});
