// The inquiry flow a cashier would choose, in Chromium through the browser shell in training
// mode: a wrong SMS code typed again on the same screen with the resend countdown (finding 2),
// the host countdown and Esc that abandons the wait without losing the log row (finding 3),
// the retry key after a wrong PIN (this till's tries left; the PIN alone asked again, no card)
// or payment password, the payment-password prompt and the reminder to shield the keypad
// (finding 10). Each new state photographed at 1024x768 and
// 800x600, in Chinese and English.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { startConsole, type RunningConsole } from './support/console-process';
import { customerUsesCard, result, snapBoth, step, typeOnPad } from './support/journey';
import { logIn, preparedDataDir } from './support/prepared';

let browser: Browser;
let running: RunningConsole;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  // Long enough to photograph the countdown in four ways before the host times out.
  const dataDir = await preparedDataDir((config) => (config.host.responseTimeoutMs = 30_000));
  running = await startConsole(dataDir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  page.on('pageerror', (e) => errors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

async function home(): Promise<void> {
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('h1').textContent()).toContain('您好');
}

/** Both languages at 1024x768 and at 800x600. */
async function snapSizes(name: string): Promise<void> {
  await snapBoth(page, `${name}.1024x768`);
  await page.setViewportSize({ width: 800, height: 600 });
  await snapBoth(page, `${name}.800x600`);
  await page.setViewportSize({ width: 1024, height: 768 });
}

describe('the inquiry flow a cashier would choose', () => {
  it('logs in', async () => {
    await page.goto(running.url);
    await logIn(page);
  });

  it('a wrong SMS code is typed again on the same screen, with the resend countdown', async () => {
    await page.keyboard.press('F2');
    await page.locator('input[name=account]').waitFor();
    await page.keyboard.type('13700001111');
    await page.keyboard.press('Enter');
    const send = page.getByTestId('send-code');
    await expect.poll(() => send.textContent()).toMatch(/\d+ 秒后可重新发送/);
    expect(await send.isDisabled()).toBe(true);
    const sent = page.locator('[data-testid=sms-codes] li', { hasText: '137****1111' }).first();
    const code = (await sent.getByTestId('sms-code').textContent())!;
    await page.locator('input[name=code]').fill(code === '000000' ? '111111' : '000000');
    await page.keyboard.press('Enter');

    const refused = page.getByTestId('code-refused');
    await expect.poll(() => refused.textContent(), { timeout: 15_000 }).toContain('验证码错误');
    expect(await refused.textContent()).toContain('还可输入 2 次');
    // Same screen: the account is kept, the code field is empty and focused, the countdown runs.
    expect(await page.inputValue('input[name=account]')).toBe('13700001111');
    expect(await page.inputValue('input[name=code]')).toBe('');
    await expect.poll(() => send.textContent()).toMatch(/\d+ 秒后可重新发送/);
    await snapSizes('wallet-sms-retry');

    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    const answer = await result(page);
    expect(answer.outcome).toBe('approved');
    await home();
  });

  it("a wrong PIN: this till's tries left, and the retry asks for the PIN alone", async () => {
    await page.keyboard.press('F1');
    await customerUsesCard(page, 'card-debit-swipe-swipe', '000000');
    const answer = await result(page);
    expect(answer.outcome).toBe('declined');
    expect(await page.getByTestId('retry').textContent()).toContain('重新输入密码');
    // The bank's 55 says nothing of tries left: the count is this till's own (3 by default).
    expect(await page.getByTestId('tries-left').textContent()).toBe('还可输入 2 次');
    await snapSizes('card-wrong-pin-retry');
    // Every step the screen shows from here on, to see that no card prompt comes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { steps: string[] }).steps = seen;
      new MutationObserver(() => {
        const now = document.querySelector('[data-testid=inquiry-step]')?.getAttribute('data-step');
        if (now && seen.at(-1) !== now) seen.push(now);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.keyboard.press('Enter');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-pin');
    expect(await page.getByTestId('inquiry-step').textContent()).toContain('622202');
    await snapSizes('card-pin-again');
    await typeOnPad(page, '123456');
    expect((await result(page)).outcome).toBe('approved');
    const steps = await page.evaluate(() => (window as unknown as { steps: string[] }).steps);
    expect(steps).toContain('waiting-pin');
    expect(steps).not.toContain('waiting-card');
    await home();
  });

  it('the payment password: its own prompt, the shield reminder, a retry with tries left', async () => {
    await page.keyboard.press('F2');
    await page.locator('input[name=account]').waitFor();
    await page.keyboard.type('13900000002');
    await page.keyboard.press('F6');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-pin');
    const prompt = page.getByTestId('inquiry-step');
    expect(await prompt.textContent()).toContain('请顾客输入支付密码');
    expect(await page.getByTestId('shield-keypad').textContent()).toBe('请顾客遮挡键盘输入密码');
    await snapSizes('wallet-password-prompt');
    await typeOnPad(page, '000000');
    const answer = await result(page);
    expect(answer.outcome).toBe('declined');
    expect(await page.getByTestId('tries-left').textContent()).toMatch(/还可输入 \d+ 次/);
    await snapSizes('wallet-password-retry');
    await page.keyboard.press('Enter');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-pin');
    await typeOnPad(page, '654321');
    expect((await result(page)).outcome).toBe('approved');
    await home();
  });

  it('a silent host: the time left counts down, Esc abandons the wait, the row is kept', async () => {
    await page.keyboard.press('F4');
    await page.getByTestId('fault-faultHostSilent').click();
    await home();
    await page.keyboard.press('F1');
    await customerUsesCard(page, 'card-debit-swipe-swipe', '123456');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('processing');
    const wait = page.getByTestId('host-wait');
    await expect.poll(() => wait.textContent()).toMatch(/最多还需 \d+ 秒/);
    const first = Number(await wait.getAttribute('data-seconds'));
    await expect
      .poll(async () => Number(await wait.getAttribute('data-seconds')))
      .toBeLessThan(first);
    await snapSizes('card-host-countdown');
    await page.keyboard.press('Escape');
    const answer = await result(page);
    expect(answer.outcome).toBe('unknown');
    expect(answer.text).toContain('已放弃等待主机应答');
    await snapSizes('card-host-abandoned');
    await home();
    // The log shows the row (outcome unknown until the host's late answer completes it).
    await page.keyboard.press('F3');
    await expect.poll(() => page.locator('main').textContent()).toContain('3446');
    await home();
    await page.keyboard.press('F4');
    await page.getByTestId('fault-faultNone').click();
    await home();
  });

  it('days and times read YYYY-MM-DD and 24-hour HH:MM in both languages, not the locale', async () => {
    // Business hours on Settings: a native time field shows "08:00 AM" in this Chromium.
    await page.keyboard.press('F6');
    const open = page.locator('input[name="afterHours.open"]');
    await open.waitFor();
    for (const language of ['zh-CN', 'en']) {
      expect(await open.getAttribute('type')).toBe('text');
      expect(await open.inputValue()).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
      expect(await page.locator('input[name="browserShellPort"]').count()).toBe(1);
      if (language === 'zh-CN') await page.getByTestId('language-switch').click();
    }
    await page.getByTestId('language-switch').click();
    await open.scrollIntoViewIfNeeded();
    await snapSizes('settings-hours-port');
    await home();
    // The log's day and export range, and the audit trail's days.
    await page.keyboard.press('F3');
    const day = page.locator('input[name=day]');
    await day.waitFor();
    expect(await day.getAttribute('type')).toBe('text');
    expect(await day.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('input[name=fromDay]').getAttribute('placeholder')).toBe(
      'YYYY-MM-DD',
    );
    // A day that is none: the app's own words, in the screen's language, and the field focused.
    await day.fill('2026-02-30');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('“日期”格式不对：年-月-日，如 2026-12-02。');
    expect(await day.evaluate((el) => el === document.activeElement)).toBe(true);
    await snapSizes('log-day-format');
    await home();
  });

  it('logged no browser errors', () => {
    expect(errors).toEqual([]);
  });
});
