// The trusted printer in Chromium, through the browser shell of a training console (the built
// `cashier serve`): the Devices screen shows the simulated printer's GS I identity; another
// printer (another serial number) takes its place, and a card inquiry still shows its balance but
// its slip is refused with 打印机已更换，请主管确认 until a supervisor approves the printer with their
// password; the Audit screen lists the approval with both identities; a printer that does not
// answer GS I is shown as "identity not reported" and prints. Screenshots of the Devices screen
// at 1024x768 and 800x600 in both languages.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { startConsole, type RunningConsole } from './support/console-process';
import { customerUsesCard, result, snap, snapBoth } from './support/journey';
import { logIn, preparedDataDir, SUPERVISOR } from './support/prepared';

let browser: Browser;
let running: RunningConsole;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  const dataDir = await preparedDataDir((config) => (config.host.responseTimeoutMs = 2_000));
  running = await startConsole(dataDir);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

const heading = () => page.locator('h1').first().textContent();
const statusBar = () => page.getByTestId('status-bar').textContent();
const printerTrust = () => page.getByTestId('printer-trust');

async function home(): Promise<void> {
  await page.keyboard.press('Escape');
  await expect.poll(heading).toContain('您好');
}

async function devices(): Promise<void> {
  await page.keyboard.press('F5');
  await expect.poll(heading).toBe('设备管理');
}

/** The Devices screen in both languages at 1024x768 and at 800x600. */
async function snapSizes(name: string): Promise<void> {
  await snapBoth(page, `${name}`);
  await page.setViewportSize({ width: 800, height: 600 });
  await snapBoth(page, `${name}.800x600`);
  await page.setViewportSize({ width: 1024, height: 768 });
}

describe('trusted printer (GS I)', () => {
  it('shows the simulated printer’s identity on the Devices screen', async () => {
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(running.url);
    await logIn(page);
    await devices();
    await expect
      .poll(() => printerTrust().getAttribute('data-state'), { timeout: 15_000 })
      .toBe('trusted');
    expect(await printerTrust().textContent()).toContain(
      'CASHIER TRAINING ESCPOS-EMU，序列号 PRN-EMU-0001，固件 1.0',
    );
    await snapSizes('devices-printer-trusted');
  });

  it('another printer is shown with both identities, waiting for a supervisor', async () => {
    await page.getByTestId('sim-replace-printer').click();
    await expect
      .poll(() => printerTrust().getAttribute('data-state'), { timeout: 15_000 })
      .toBe('replaced');
    expect(await printerTrust().textContent()).toContain('打印机已更换，请主管确认');
    const approval = page.getByTestId('printer-approval');
    expect(await approval.textContent()).toContain('序列号 PRN-REPLACED-02');
    expect(await approval.textContent()).toContain('不同之处：序列号');
    await expect.poll(statusBar).toContain('打印机：已更换，待主管确认');
    await snapSizes('devices-printer-replaced');
  });

  it('a card inquiry shows its balance, and its slip is refused saying why', async () => {
    await home();
    await page.keyboard.press('F1');
    await customerUsesCard(page, 'card-debit-swipe-swipe', '123456');
    expect((await result(page)).outcome).toBe('approved');
    await page.keyboard.press('F8');
    await expect
      .poll(() => page.locator('.result [role=alert]').textContent(), { timeout: 10_000 })
      .toContain('打印机已更换，请主管确认');
    expect(await page.getByTestId('available').textContent()).toMatch(/^￥[\d,]+\.\d{2}$/);
    await snapBoth(page, 'card-printer-replaced');
    await home();
  });

  it('a wrong password approves nothing; the supervisor’s own approves the printer', async () => {
    await devices();
    const password = page.locator('input[name=approvePrinterPassword]');
    await password.fill('wrong-password');
    await expect.poll(() => page.getByTestId('approve-printer').isEnabled()).toBe(true);
    await page.getByTestId('approve-printer').click();
    await expect
      .poll(() => page.getByTestId('printer-trust-outcome').textContent(), { timeout: 10_000 })
      .toContain('未批准：密码错误');
    await password.fill(SUPERVISOR.password);
    await expect.poll(() => page.getByTestId('approve-printer').isEnabled()).toBe(true);
    await password.press('Enter');
    await expect
      .poll(() => page.getByTestId('printer-trust-outcome').textContent(), { timeout: 10_000 })
      .toContain('已批准：新打印机可以打印凭条');
    await expect.poll(() => printerTrust().getAttribute('data-state')).toBe('trusted');
    expect(await printerTrust().textContent()).toContain('序列号 PRN-REPLACED-02');
    await expect.poll(statusBar).not.toContain('已更换');
    await home();
  });

  it('the refused slip prints now, from the log', async () => {
    await page.keyboard.press('F3');
    await page.getByTestId('log-table').waitFor();
    await page.locator('.link-row').first().click();
    await page.getByTestId('log-detail').waitFor();
    await page.keyboard.press('F8');
    // Whatever the answer (printed, or why not), it is the message under the result.
    const message = page.locator('.result .message').last();
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain('凭条已打印');
    await page.keyboard.press('Escape');
    await home();
  });

  it('the Audit screen lists the approval with both identities', async () => {
    await page.keyboard.press('F11');
    await expect.poll(heading).toBe('审计记录');
    const row = page.getByTestId('audit-table').locator('tr[data-kind=device-approved]').first();
    await expect
      .poll(() => row.textContent())
      .toContain(
        '设备认可：打印机，培训模式，主管确认，' +
          '原设备：CASHIER TRAINING ESCPOS-EMU，序列号 PRN-EMU-0001，固件 1.0，' +
          '新设备：CASHIER TRAINING ESCPOS-EMU，序列号 PRN-REPLACED-02，固件 1.0',
      );
    await snap(page, 'audit-printer-approved.zh-CN');
    await home();
  });

  it('a printer that does not answer GS I is "identity not reported", and prints', async () => {
    await devices();
    await page.getByTestId('sim-silent-printer').click();
    await expect
      .poll(() => printerTrust().getAttribute('data-state'), { timeout: 15_000 })
      .toBe('unreported');
    expect(await printerTrust().textContent()).toContain('打印机未报告身份');
    await snapSizes('devices-printer-unreported');
    await page.getByTestId('print-test-page').click();
    await expect
      .poll(() => page.getByTestId('printer-outcome').textContent(), { timeout: 15_000 })
      .toMatch(/测试页已在模拟打印机上打印/);
    await home();
    expect(errors).toEqual([]);
  });
});
