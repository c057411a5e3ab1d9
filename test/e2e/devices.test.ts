// The Devices screen (F5, supervisor) and the device self-tests in Diagnostics, in Chromium
// through the browser shell of a training console: the PIN pad test talks to the simulated pad,
// the test page goes to the simulated printer, and an assignment is saved for the next start.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import type { RunningConsole } from './support/console-process';
import { openLoggedIn, snapBoth, startTrainingConsole } from './support/journey';

let browser: Browser;
let running: RunningConsole;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  running = await startTrainingConsole();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

const heading = () => page.locator('h1').first().textContent();

describe('devices and device self-tests', () => {
  it('a supervisor opens Devices with F5 and tests the PIN pad and the printer', async () => {
    page = await openLoggedIn(browser, running, errors);
    await expect.poll(() => page.locator('.tile').allTextContents()).toContain('F5 设备管理');
    await page.keyboard.press('F5');
    await expect.poll(heading).toBe('设备管理');
    await expect
      .poll(() => page.getByTestId('printer-status').textContent(), { timeout: 10_000 })
      .toContain('就绪');
    expect(await page.getByTestId('device-pinpad').textContent()).toContain('模拟设备');
    // The TMK by its check value only: here the public training key's (see the sim README).
    expect(await page.getByTestId('tmk-check-value').textContent()).toMatch(
      /721886D2\s*·\s*培训密钥/,
    );

    // Keyboard: focus the test button and confirm with Enter.
    await page.getByTestId('test-pinpad').focus();
    await page.keyboard.press('Enter');
    const padOutcome = page.getByTestId('pinpad-outcome');
    await expect
      .poll(() => padOutcome.textContent(), { timeout: 15_000 })
      .toContain('密码键盘正常');
    expect(await padOutcome.textContent()).toContain('CASHIER TRAINING ABECS-EMU');

    await page.getByTestId('print-test-page').click();
    await expect
      .poll(() => page.getByTestId('printer-outcome').textContent(), { timeout: 15_000 })
      // Training prints on the simulator, and the screen says so (not the live address).
      .toMatch(/测试页已在模拟打印机上打印（\d+ 字节）/);

    // Detect on the first listed port: whatever it is, the row says what was found.
    const firstPort = page.locator('table.ports tbody tr').first();
    if ((await firstPort.locator('td.path').count()) > 0) {
      await firstPort.getByRole('button', { name: '识别' }).click();
      const found = firstPort.locator('td.found');
      await expect
        .poll(async () => ((await found.textContent()) ?? '').trim(), { timeout: 15_000 })
        .toMatch(/^(?!正在识别)\S/);
    }
  });

  it('assigns a printer for the next start and says so', async () => {
    const form = page.getByTestId('assign-printer');
    await form.locator('input[name=target]').fill('tcp:192.0.2.10:9100');
    await form.locator('select[name=paper]').selectOption('58');
    // Enter submits the form once the screen is idle (the save button is disabled while busy).
    await expect.poll(() => form.locator('button[type=submit]').isEnabled()).toBe(true);
    await form.locator('input[name=target]').press('Enter');
    await expect
      .poll(() => page.getByTestId('assign-outcome').textContent(), { timeout: 10_000 })
      .toContain('生产模式下使用；培训模式下仍使用模拟设备');
    await expect
      .poll(() => page.getByTestId('devices-pending').textContent())
      .toContain('tcp:192.0.2.10:9100 58 mm');
    await snapBoth(page, 'devices');
  });

  it('Diagnostics runs the PIN pad self-test and the printer test page', async () => {
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好');
    await page.keyboard.press('F4');
    await expect.poll(heading).toBe('签到与诊断');
    const lines = page.getByTestId('diagnostics');
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await expect
      .poll(() => lines.textContent(), { timeout: 15_000 })
      .toMatch(/签到成功，批次号 \d{6}，主密钥校验值 721886D2，PIK 校验值 [0-9A-F]{8}/);
    await page.getByTestId('pinpad-self-test').click();
    await expect.poll(() => lines.textContent(), { timeout: 15_000 }).toContain('密码键盘正常');
    await page.getByTestId('printer-test-page').click();
    await expect.poll(() => lines.textContent(), { timeout: 15_000 }).toContain('测试页已打印');
    expect(await page.locator('p.meta').last().textContent()).toMatch(/版本\s+\S+/);
    await snapBoth(page, 'diagnostics-selftest');

    // A printer out of paper: the test page fails with the printer's own words, then recovers.
    await page.getByTestId('fault-faultPaperOut').click();
    await expect.poll(() => lines.locator('li').first().textContent()).toContain('打印机缺纸');
    await page.getByTestId('printer-test-page').click();
    await expect
      .poll(() => lines.locator('li.error').first().textContent(), { timeout: 15_000 })
      .toMatch(/打印测试页：打印机未就绪.*纸/);
    await page.getByTestId('fault-faultNone').click();
    await expect.poll(() => lines.locator('li').first().textContent()).toContain('全部恢复正常');
    await page.getByTestId('printer-test-page').click();
    await expect
      .poll(() => lines.locator('li').first().textContent(), { timeout: 15_000 })
      .toContain('测试页已打印');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好');
  });

  it('a cashier has no Devices tile but may run the self-tests in Diagnostics', async () => {
    // Create a cashier on the operators screen (F7).
    await page.keyboard.press('F7');
    await expect.poll(heading).toBe('操作员管理');
    await page.fill('input[name=newOperatorNo]', '2002');
    await page.fill('input[name=newName]', '赵收银');
    await page.selectOption('select[name=newRole]', 'cashier');
    await page.fill('input[name=newPassword]', 'Till2026x');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('operator-2002').textContent()).toContain('收银员');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好');
    await page.keyboard.press('F10');
    await expect.poll(heading).toBe('操作员登录');
    await page.fill('input[name=operatorNo]', '2002');
    await page.fill('input[name=password]', 'Till2026x');
    await page.keyboard.press('Enter');
    // A new cashier's password is the supervisor's choice: changed at the first login.
    await expect.poll(heading).toBe('修改我的密码');
    await page.fill('input[name=oldPassword]', 'Till2026x');
    await page.fill('input[name=newPassword]', 'Mine2026x');
    await page.fill('input[name=confirm]', 'Mine2026x');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toBe('密码已修改。');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好，赵收银');

    expect(await page.locator('.tiles kbd').allTextContents()).not.toContain('F5');
    await page.keyboard.press('F5');
    expect(await heading()).toContain('您好，赵收银');

    await page.keyboard.press('F4');
    await expect.poll(heading).toBe('签到与诊断');
    await page.getByTestId('pinpad-self-test').click();
    const lines = page.getByTestId('diagnostics');
    await expect.poll(() => lines.textContent(), { timeout: 15_000 }).toContain('密码键盘正常');
    await page.getByTestId('printer-test-page').click();
    await expect.poll(() => lines.textContent(), { timeout: 15_000 }).toContain('测试页已打印');
    expect(errors).toEqual([]);
  });
});
