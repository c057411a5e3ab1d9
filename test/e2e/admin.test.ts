/// <reference lib="dom" />
// The supervisor's back office in Chromium through the browser shell: the first-run setup with
// merchant and terminal, the operators screen (create a cashier), the settings screen (a refused
// and an accepted save), then the cashier's own view: no F6/F7, an own-rows CSV export.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import type { RunningConsole } from './support/console-process';
import { snapBoth, startTrainingConsole } from './support/journey';

describe('operators, settings and first-run setup in Chromium', () => {
  let browser: Browser;
  let running: RunningConsole;
  let page: Page;
  const errors: string[] = [];
  const heading = () => page.locator('h1').first().textContent();

  beforeAll(async () => {
    running = await startTrainingConsole();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 768 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  async function login(operatorNo: string, password: string): Promise<void> {
    await expect.poll(heading).toBe('操作员登录');
    await page.fill('input[name=operatorNo]', operatorNo);
    await page.fill('input[name=password]', password);
    await page.keyboard.press('Enter');
    await expect.poll(heading).toContain('您好');
  }

  it('sets up supervisor, merchant and terminal on the first run, training mode preselected', async () => {
    await page.goto(running.url);
    await expect.poll(heading).toBe('首次使用：创建主管账户');
    // Prefilled with the training defaults.
    await expect.poll(() => page.inputValue('input[name=merchantId]')).toBe('898440358120001');
    expect(await page.inputValue('input[name=terminalId]')).toBe('T0000001');
    expect(await page.isChecked('input[name=training]')).toBe(true);
    expect(await page.locator('input[name=hostAddress]').count()).toBe(0);

    await page.fill('input[name=operatorNo]', '1001');
    await page.fill('input[name=name]', '王主管');
    await page.fill('input[name=password]', 'Cashier2026');
    await page.fill('input[name=confirm]', 'Cashier2026');
    await page.fill('input[name=merchantName]', '幸福便利店');
    await page.fill('input[name=merchantId]', '898440358120009');
    await page.fill('input[name=terminalId]', 'T0000009');
    // Live mode asks for the bank host.
    await page.uncheck('input[name=training]');
    await expect.poll(() => page.locator('input[name=hostAddress]').count()).toBe(1);
    await snapBoth(page, 'first-run-setup');
    await page.check('input[name=training]');
    await expect.poll(() => page.locator('input[name=hostAddress]').count()).toBe(0);

    await page.focus('input[name=terminalId]');
    await page.keyboard.press('Enter');
    await expect.poll(heading).toBe('操作员登录');
    await expect
      .poll(() => page.locator('[role=status]').first().textContent())
      .toBe('主管账户已创建，请登录。');
    // Applied at once, no restart: the new merchant name and terminal id are in the top bar.
    await expect
      .poll(() => page.locator('.topbar .merchant').textContent())
      .toContain('幸福便利店');
    expect(await page.locator('.topbar .merchant').textContent()).toContain('T0000009');
  });

  it('lets the supervisor create a cashier on the operators screen (F7)', async () => {
    await login('1001', 'Cashier2026');
    await page.keyboard.press('F7');
    await expect.poll(heading).toBe('操作员管理');
    await expect.poll(() => page.getByTestId('operator-1001').textContent()).toContain('主管');

    // A weak password is refused with the core's Chinese message.
    await page.fill('input[name=newOperatorNo]', '2001');
    await page.fill('input[name=newName]', '李收银');
    await page.selectOption('select[name=newRole]', 'cashier');
    await page.fill('input[name=newPassword]', '111111');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toMatch(/密码/);

    await page.fill('input[name=newPassword]', 'Till2026');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toBe('已创建操作员 2001。');
    await expect.poll(() => page.getByTestId('operator-2001').textContent()).toContain('收银员');
    expect(await page.getByTestId('operator-2001').textContent()).toContain('正常');
    await snapBoth(page, 'operators');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好');
  });

  it('refuses an invalid setting and saves a valid one (F6)', async () => {
    await page.keyboard.press('F6');
    await expect.poll(heading).toBe('设置');
    await expect.poll(() => page.inputValue('input[name=terminalId]')).toBe('T0000009');
    await page.fill('input[name=terminalId]', 'T12');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('终端号');

    await page.fill('input[name=terminalId]', 'T0000009');
    await page.fill('input[name=servicePhone]', '400-800-8888');
    await page.fill('input[name=idleLock]', '15');
    await page.click('button[type=submit]');
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toBe('设置已保存：点“立即生效”或重新启动收银台后生效。');
    await snapBoth(page, 'settings');
    // Or at once, without a restart: the host link and devices are reopened.
    await page.getByTestId('apply-now').click();
    await expect.poll(() => page.getByTestId('changes-applied').textContent()).toContain('已生效');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好');
  });

  it('shows a cashier no settings or operators, and exports only their own log', async () => {
    await page.keyboard.press('F10');
    // A new cashier's password is the supervisor's choice: changed at the first login.
    await expect.poll(heading).toBe('操作员登录');
    await page.fill('input[name=operatorNo]', '2001');
    await page.fill('input[name=password]', 'Till2026');
    await page.keyboard.press('Enter');
    await expect.poll(heading).toBe('修改我的密码');
    await page.fill('input[name=oldPassword]', 'Till2026');
    await page.fill('input[name=newPassword]', 'Till2026b');
    await page.fill('input[name=confirm]', 'Till2026b');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toBe('密码已修改。');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好');
    const keys = await page.locator('.tiles kbd').allTextContents();
    expect(keys).toContain('F8');
    expect(keys).not.toContain('F6');
    expect(keys).not.toContain('F7');
    await page.keyboard.press('F6');
    await page.keyboard.press('F7');
    await expect.poll(heading).toContain('您好，李收银');
    await snapBoth(page, 'cashier-home');

    await page.keyboard.press('F3');
    await expect.poll(heading).toContain('交易日志');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      /^cashier-log-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const csv = readFileSync((await file.path())!, 'utf8');
    // In the screen's language: Chinese headers and values.
    expect(csv.startsWith('\uFEFF编号,时间,操作员,')).toBe(true);
    await expect
      .poll(() => page.getByTestId('export-result').textContent())
      .toContain('已导出 0 笔');
    await page.keyboard.press('Escape');

    // The cashier changes their own password (F8) and logs in with it.
    await page.keyboard.press('F8');
    await expect.poll(heading).toBe('修改我的密码');
    await page.fill('input[name=oldPassword]', 'Till2026b');
    await page.fill('input[name=newPassword]', 'Mine2026');
    await page.fill('input[name=confirm]', 'Mine2026');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toBe('密码已修改。');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F10');
    await login('2001', 'Mine2026');
  });

  it('unlocks a locked cashier and resets a password; the cashier changes it at login', async () => {
    await page.keyboard.press('F10');
    await expect.poll(heading).toBe('操作员登录');
    for (let i = 0; i < 5; i++) {
      await page.fill('input[name=operatorNo]', '2001');
      await page.fill('input[name=password]', 'wrong-pass');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('[role=alert]').textContent())
        .toMatch(i < 4 ? `还可尝试 ${4 - i} 次` : '锁定');
    }

    await login('1001', 'Cashier2026');
    await page.keyboard.press('F7');
    await expect.poll(() => page.getByTestId('operator-2001').textContent()).toContain('已锁定');
    await snapBoth(page, 'operators-locked');
    await page.getByTestId('operator-2001').getByRole('button', { name: '解锁' }).click();
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toBe('已解锁 2001。');
    await expect.poll(() => page.getByTestId('operator-2001').textContent()).toContain('正常');

    await page.getByTestId('operator-2001').getByRole('button', { name: '重置密码' }).click();
    await page.fill('input[name=tempPassword]', 'Temp2026');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toContain('已重置 2001 的密码');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F10');

    // The temporary password opens the change-password form straight away.
    await expect.poll(heading).toBe('操作员登录');
    await page.fill('input[name=operatorNo]', '2001');
    await page.fill('input[name=password]', 'Temp2026');
    await page.keyboard.press('Enter');
    await expect.poll(heading).toBe('修改我的密码');
    await page.fill('input[name=oldPassword]', 'Temp2026');
    await page.fill('input[name=newPassword]', 'Own2026x');
    await page.fill('input[name=confirm]', 'Own2026x');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toBe('密码已修改。');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好，李收银');
  });

  it('logged no browser errors', () => {
    expect(errors).toEqual([]);
  });
});
