// The cashier's journeys in Chromium through the browser shell, in training mode: every screen
// is photographed in zh-CN and en, and every fault shows its message and leaves a usable screen.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import type { RunningConsole } from './support/console-process';
import {
  customerUsesCard,
  openLoggedIn,
  result,
  snap,
  snapBoth,
  startTrainingConsole,
  step,
  typeOnPad,
} from './support/journey';

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

async function home(): Promise<void> {
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('h1').textContent()).toContain('您好');
}

describe('cashier journeys', () => {
  it('logs in and shows the home screen with its functions', async () => {
    page = await openLoggedIn(browser, running, errors);
    await snapBoth(page, 'home-tiles');
  });

  it('swiped card: prompts, PIN dots, balance, slip preview and print', async () => {
    await page.keyboard.press('F1');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-card');
    expect(await page.locator('.prompt').textContent()).toBe('请刷卡 / 插卡 / 挥卡');
    await snapBoth(page, 'card-waiting-card');
    await page.getByTestId('card-debit-swipe-swipe').click();
    await expect.poll(() => step(page)).toBe('waiting-pin');
    await page.waitForTimeout(300);
    for (const digit of '123') await page.getByTestId(`key-${digit}`).click();
    await expect.poll(() => page.locator('.pin-dots .filled').count()).toBe(3);
    await snapBoth(page, 'card-waiting-pin');
    for (const digit of '456') await page.getByTestId(`key-${digit}`).click();
    await page.getByTestId('key-enter').click();

    const answer = await result(page);
    expect(answer.outcome).toBe('approved');
    expect(answer.text).toContain('622202*********3446');
    expect(await page.getByTestId('available').textContent()).toMatch(/^￥[\d,]+\.\d{2}$/);
    await snapBoth(page, 'card-result');

    await page.keyboard.press('F9');
    await page.getByTestId('slip-preview').locator('img').waitFor();
    await snapBoth(page, 'card-slip-preview');

    await page.keyboard.press('F8');
    await expect
      .poll(() => page.locator('.result [role=status].message').textContent())
      .toContain('凭条已打印');
    await home();
  });

  it('chip card, with the keyboard alone on the cashier side', async () => {
    await page.keyboard.press('F1');
    await customerUsesCard(page, 'card-debit-chip-insert', '654321');
    const answer = await result(page);
    expect(answer.outcome).toBe('approved');
    expect(answer.text).toContain('622848*********8903');
    await page.keyboard.press('Enter'); // Enter prints when a slip is possible
    await expect
      .poll(() => page.locator('.result [role=status].message').textContent())
      .toContain('凭条已打印');
    await page.keyboard.press('Enter'); // and then finishes
    await expect.poll(() => page.locator('h1').textContent()).toContain('您好');
  });

  it('wrong PIN: declined with what to do, and the next inquiry works', async () => {
    await page.keyboard.press('F1');
    await customerUsesCard(page, 'card-debit-swipe-swipe', '000000');
    const answer = await result(page);
    expect(answer.outcome).toBe('declined');
    expect(answer.text).toContain('密码错误');
    expect(answer.text).toContain('请顾客重新输入密码');
    await snapBoth(page, 'card-wrong-pin');
    await home();
  });

  it('cancel at the card prompt returns to a usable screen', async () => {
    await page.keyboard.press('F1');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-card');
    await page.keyboard.press('Escape');
    const answer = await result(page);
    expect(answer.outcome).toBe('cancelled');
    await home();
  });

  it('payment account with an SMS code', async () => {
    await page.keyboard.press('F2');
    await page.locator('input[name=account]').waitFor();
    await snapBoth(page, 'wallet-account');
    // A keyboard-wedge scanner types the account and presses Enter.
    await page.keyboard.type('13812345678');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[role=status].message').textContent())
      .toContain('138****5678');
    const code = (await page.getByTestId('sms-code').first().textContent())!;
    expect(code).toMatch(/^\d{6}$/);
    await snapBoth(page, 'wallet-code');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    const answer = await result(page);
    expect(answer.outcome).toBe('approved');
    expect(answer.text).toContain('138****5678');
    expect(await page.getByTestId('available').textContent()).toBe('￥12,043.00');
    await snapBoth(page, 'wallet-result');

    // A payment account's slip previews and prints like a card's: no trace number row, the
    // wallet host's reference, and never an internal field name.
    await page.keyboard.press('F9');
    await page.getByTestId('slip-preview').locator('img').waitFor();
    await snapBoth(page, 'wallet-slip-preview');
    await page.keyboard.press('F8');
    await expect
      .poll(() => page.locator('.result [role=status].message').textContent())
      .toContain('凭条已打印');
    expect(await page.locator('.result').textContent()).not.toMatch(/凭条字段|trace|为空/);
    await home();
  });

  it('payment account with the payment password on the PIN pad, slip printed', async () => {
    await page.keyboard.press('F2');
    await page.locator('input[name=account]').waitFor();
    await page.keyboard.type('13900000002');
    await page.keyboard.press('F6');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-pin');
    await typeOnPad(page, '654321');
    const answer = await result(page);
    expect(answer.outcome).toBe('approved');
    expect(await page.getByTestId('available').textContent()).toBe('￥88.88');
    await snapBoth(page, 'wallet-password-result');
    await page.keyboard.press('F8');
    await expect
      .poll(() => page.locator('.result [role=status].message').textContent())
      .toContain('凭条已打印');
    await home();
  });

  it('host timeout: a clear message, then recovery', async () => {
    await page.keyboard.press('F4');
    await page.getByTestId('fault-faultHostSilent').click();
    await snapBoth(page, 'diagnostics');
    await home();
    await page.keyboard.press('F1');
    await customerUsesCard(page, 'card-debit-swipe-swipe', '123456');
    const answer = await result(page);
    expect(answer.outcome).toBe('failed');
    expect(answer.text).toContain('银行主机应答超时');
    expect(answer.text).toContain('95516');
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toContain('主机：离线');
    await snapBoth(page, 'card-host-timeout');
    await home();

    await page.keyboard.press('F4');
    await page.getByTestId('fault-faultNone').click();
    await home();
    await page.keyboard.press('F1');
    await customerUsesCard(page, 'card-debit-swipe-swipe', '123456');
    expect((await result(page)).outcome).toBe('approved');
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toContain('主机：在线');
    await home();
  });

  it('printer out of paper: the message, then a reprint once paper is loaded', async () => {
    await page.keyboard.press('F4');
    await page.getByTestId('fault-faultPaperOut').click();
    await home();
    await page.keyboard.press('F1');
    await customerUsesCard(page, 'card-credit-swipe-swipe', '888888');
    expect((await result(page)).outcome).toBe('approved');
    await page.keyboard.press('F8');
    await expect.poll(() => page.locator('.result [role=alert]').textContent()).toContain('缺纸');
    await snapBoth(page, 'card-printer-out-of-paper');
    await home();

    await page.keyboard.press('F4');
    await page.getByTestId('fault-faultNone').click();
    await home();
    // Reprint from the log.
    await page.keyboard.press('F3');
    await page.getByTestId('log-table').waitFor();
    await snapBoth(page, 'log');
    await page.locator('.link-row').first().click();
    await page.keyboard.press('F8');
    await expect
      .poll(() => page.locator('.result [role=status].message').textContent())
      .toContain('凭条已打印');
    await snapBoth(page, 'log-detail');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '校验日志完整性' }).click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('日志完整');
    await home();
  });

  it('logs out with F10 and logged no browser errors', async () => {
    await page.keyboard.press('F10');
    await expect.poll(() => page.locator('h1').textContent()).toBe('操作员登录');
    expect(errors).toEqual([]);
  });
});

// Screens that only need a look, kept apart so a failure above does not hide them.
describe('screens at 1366x768', () => {
  it('fit the wider screen too', async () => {
    const wide = await openLoggedIn(browser, running, errors);
    await wide.setViewportSize({ width: 1366, height: 768 });
    await wide.keyboard.press('F1');
    await expect.poll(() => step(wide), { timeout: 15_000 }).toBe('waiting-card');
    await snap(wide, 'card-waiting-card.1366.zh-CN');
    await wide.keyboard.press('Escape');
    await wide.close();
  });
});
