/// <reference lib="dom" />
// Every screen at 800x600, 1024x768 and 1366x768, in zh-CN and en: nothing overflows sideways,
// nothing is cut off at the right edge, the training badge, the language switch and the
// balance are fully inside the window, and a screenshot of each lands in
// test-results/screenshots/gallery/ for a person to look at. One console, one page: the
// viewport and the language change, the page stays.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import type { RunningConsole } from './support/console-process';
import { screenshotDir, startTrainingConsole, step, typeOnPad } from './support/journey';

const galleryDir = path.join(screenshotDir, 'gallery');
const SIZES = [
  { width: 800, height: 600 },
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
] as const;
type Size = (typeof SIZES)[number];
type Lang = 'zh-CN' | 'en';

let browser: Browser;
let running: RunningConsole;
let page: Page;
const errors: string[] = [];
const heading = () => page.locator('h1').first().textContent();

beforeAll(async () => {
  mkdirSync(galleryDir, { recursive: true });
  running = await startTrainingConsole();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: SIZES[1] });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

async function language(): Promise<Lang> {
  const label = await page.getByTestId('language-switch').textContent();
  return label?.trim() === 'English' ? 'zh-CN' : 'en';
}

async function setLanguage(lang: Lang): Promise<void> {
  if ((await language()) !== lang) await page.getByTestId('language-switch').click();
  await expect.poll(language).toBe(lang);
}

interface Misfit {
  what: string;
  problem: string;
}

/** What does not fit the window: run in the page. */
function misfits(keys: string[]): Misfit[] {
  const out: Misfit[] = [];
  const width = window.innerWidth;
  const name = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${
      el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''
    }${typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : ''} "${(
      el.textContent ?? ''
    )
      .trim()
      .slice(0, 40)}"`;
  if (document.documentElement.scrollWidth > width) {
    out.push({
      what: 'page',
      problem: `scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`,
    });
  }
  const outside: Element[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const rect = el.getBoundingClientRect();
    // Not drawn, or hidden on purpose for screen readers only (.sr-only is 1 px).
    if (rect.width <= 1 || rect.height <= 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    // Inside a box that scrolls on purpose (the operational log), the box is what must fit.
    const scroller = el.parentElement?.closest('.ops-log');
    if (!scroller && (rect.left < -0.5 || rect.right > width + 0.5)) outside.push(el);
    // Text cut by its own box: a clipped amount, label or placeholder.
    const clips = style.overflowX !== 'visible' || el instanceof HTMLInputElement;
    if (clips && !scroller && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'HTML') {
      if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
        out.push({ what: name(el), problem: `scrolls sideways inside` });
      } else {
        out.push({ what: name(el), problem: `cut off: ${el.scrollWidth} > ${el.clientWidth}` });
      }
    }
  }
  // The innermost ones say what is too wide; their boxes only follow.
  for (const el of outside.filter((o) => !outside.some((i) => i !== o && o.contains(i)))) {
    const rect = el.getBoundingClientRect();
    out.push({ what: name(el), problem: `outside the window: ${rect.left}..${rect.right}` });
  }
  for (const key of keys) {
    const el = document.querySelector(`[data-testid="${key}"]`);
    if (!el) {
      out.push({ what: key, problem: 'missing' });
      continue;
    }
    const rect = el.getBoundingClientRect();
    if (rect.left < 0 || rect.right > width || rect.top < 0 || rect.bottom > window.innerHeight) {
      out.push({ what: key, problem: `not fully in view: ${JSON.stringify(rect)}` });
    }
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push({ what: key, problem: `text cut: ${el.scrollWidth} > ${el.clientWidth}` });
    }
  }
  return out;
}

/** Inputs whose placeholder is wider than the field (measured with the field's own font). */
function clippedPlaceholders(): string[] {
  const canvas = document.createElement('canvas').getContext('2d')!;
  const out: string[] = [];
  for (const input of Array.from(document.querySelectorAll('input[placeholder]'))) {
    const el = input as HTMLInputElement;
    if (!el.placeholder || el.getBoundingClientRect().width === 0) continue;
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room =
      el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) + 1;
    if (canvas.measureText(el.placeholder).width > room) out.push(`${el.name}: ${el.placeholder}`);
  }
  return out;
}

interface ShotOptions {
  /** data-testid of elements that must be fully inside the window (besides badge and switch). */
  keys?: string[];
  /** Elements that must be fully in view without scrolling, from this width up. */
  above?: { keys: string[]; fromWidth: number };
  /** Checked in each language after the switch. */
  check?: (lang: Lang, size: Size) => Promise<void>;
}

/** The screen as it is now, at every size, in both languages; back to 1024x768 in Chinese. */
async function shoot(name: string, options: ShotOptions = {}): Promise<void> {
  const keys = ['training-badge', 'language-switch', ...(options.keys ?? [])];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const lang of ['zh-CN', 'en'] as const) {
      await setLanguage(lang);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
      const label = `${name} at ${size.width}x${size.height} in ${lang}`;
      // Soft: one run shows every screen that does not fit, and still takes its picture.
      const found = (await page.evaluate(misfits, keys)).map((m) => `${m.what}: ${m.problem}`);
      expect.soft(found.slice(0, 12), label).toEqual([]);
      expect.soft(await page.evaluate(clippedPlaceholders), label).toEqual([]);
      if (lang === 'zh-CN') {
        // Chinese text takes the full-width colon, also where a screen joins label and value.
        const halfWidth = await page.evaluate(() => {
          const body = document.body.cloneNode(true) as HTMLElement;
          for (const log of Array.from(body.querySelectorAll('.ops-log'))) log.remove();
          return (body.textContent ?? '').match(/[\u4e00-\u9fff）]\s?:/g) ?? [];
        });
        expect.soft(halfWidth, `${label}: half-width colons`).toEqual([]);
      }
      if (options.above && size.width >= options.above.fromWidth) {
        for (const key of options.above.keys) {
          const box = await page.getByTestId(key).first().boundingBox();
          expect(box, `${label}: ${key}`).not.toBeNull();
          expect
            .soft(box!.y + box!.height, `${label}: ${key} below the fold`)
            .toBeLessThanOrEqual(size.height);
        }
      }
      await options.check?.(lang, size);
      // The whole page, so a look at the picture shows everything below the fold too (what
      // must be above it is asserted above).
      await page.screenshot({
        path: path.join(galleryDir, `${name}.${size.width}x${size.height}.${lang}.png`),
        fullPage: true,
      });
    }
  }
  await page.setViewportSize(SIZES[1]);
  await setLanguage('zh-CN');
}

async function backHome(): Promise<void> {
  for (let i = 0; i < 3 && !(await heading())?.includes('您好'); i++) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(150);
  }
  await expect.poll(heading).toContain('您好');
}

describe('every screen fits from 800x600 up, in Chinese and English', () => {
  it('the no-token page is styled and bilingual', async () => {
    const stranger = await browser.newPage({ viewport: SIZES[0] });
    const res = await stranger.goto(`${running.origin}/`);
    expect(res?.status()).toBe(401);
    const text = (await stranger.locator('body').textContent()) ?? '';
    expect(text).toContain('请使用启动时显示的完整地址');
    expect(text).toContain('Open the console with the full address');
    expect(await stranger.locator('h1').count()).toBe(1);
    // Styled by its own stylesheet (no inline styles under the CSP): not the browser's serif.
    const font = await stranger.locator('body').evaluate((b) => getComputedStyle(b).fontFamily);
    expect(font).toContain('Noto Sans');
    for (const size of SIZES) {
      await stranger.setViewportSize(size);
      expect(
        await stranger.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
      await stranger.screenshot({
        path: path.join(galleryDir, `no-token.${size.width}x${size.height}.png`),
      });
    }
    await stranger.close();
  });

  it('first run, with the app’s own messages instead of the browser’s bubbles', async () => {
    await page.goto(running.url);
    await expect.poll(heading).toBe('首次使用：创建主管账户');
    await shoot('first-run');
    // An empty form: the app says what is missing, in the cashier's language, at the field.
    await page.getByRole('button', { name: '完成设置' }).click();
    await expect.poll(() => page.locator('[role=alert]').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'operatorNo',
    );
    expect(await page.locator('form').first().getAttribute('novalidate')).not.toBeNull();
    await shoot('first-run-error');

    await page.fill('input[name=operatorNo]', '1001');
    await page.fill('input[name=name]', '王主管');
    await page.fill('input[name=password]', 'Cashier2026');
    await page.fill('input[name=confirm]', 'Cashier2026');
    await page.keyboard.press('Enter');
    await expect.poll(heading).toBe('操作员登录');
  });

  it('login, and a wrong password', async () => {
    // The notice follows a language switch too.
    await shoot('login', {
      check: async (lang) =>
        expect(await page.locator('.message.info').textContent()).toBe(
          lang === 'en' ? 'Supervisor created. Please log in.' : '主管账户已创建，请登录。',
        ),
    });
    // The operator number is filled in from the first run: the empty password is the problem.
    expect(await page.inputValue('input[name=operatorNo]')).toBe('1001');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('[role=alert]').textContent()).toBe('请填写“密码”。');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
      'password',
    );
    await setLanguage('en');
    expect(await page.locator('[role=alert]').textContent()).toBe('Please fill in “Password”.');
    await setLanguage('zh-CN');
    await page.fill('input[name=password]', 'wrong-one');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role=alert]').textContent()).toMatch(/密码/);
    await shoot('login-error');
    await page.fill('input[name=password]', 'Cashier2026');
    await page.keyboard.press('Enter');
    await expect.poll(heading).toContain('您好');
  });

  it('home', async () => {
    await shoot('home');
  });

  it('bank card: prompt, PIN, result with slip, host error', async () => {
    await page.keyboard.press('F1');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-card');
    await shoot('card-prompt', {
      above: { keys: ['key-cancel', 'card-credit-swipe-swipe'], fromWidth: 800 },
      check: async (lang) => {
        const pad = (await page.getByTestId('training-pad').textContent()) ?? '';
        if (lang === 'zh-CN') {
          expect(pad).toContain('银联借记卡');
          expect(pad).not.toMatch(/UNIONPAY|DEBIT|CREDIT|active/);
        }
      },
    });
    await page.getByTestId('card-debit-swipe-swipe').click();
    await expect.poll(() => step(page)).toBe('waiting-pin');
    await page.waitForTimeout(300);
    for (const digit of '123') await page.getByTestId(`key-${digit}`).click();
    await expect.poll(() => page.locator('.pin-dots .filled').count()).toBe(3);
    await shoot('card-pin', { above: { keys: ['key-cancel', 'key-enter'], fromWidth: 800 } });
    for (const digit of '456') await page.getByTestId(`key-${digit}`).click();
    await page.getByTestId('key-enter').click();
    await page.getByTestId('inquiry-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('available').textContent()).toBe('￥12,000.00');
    // The host answered: the status bar says so, also in a window that logged in moments ago.
    await expect
      .poll(() => page.getByTestId('status-host').textContent(), { timeout: 5_000 })
      .toMatch(/主机：在线|Host: online/);
    await shoot('card-result', {
      keys: ['available'],
      check: async () => {
        // 38 px as ever, and a far longer amount shrinks or wraps but is never cut.
        const balance = page.getByTestId('available');
        expect(await balance.evaluate((el) => getComputedStyle(el).fontSize)).toBe('38.4px');
        const long = await balance.evaluate((el) => {
          const shown = el.textContent;
          el.textContent = '￥999,999,999,999.99';
          const box = el.getBoundingClientRect();
          const fits = box.right <= window.innerWidth && el.scrollWidth <= el.clientWidth + 1;
          el.textContent = shown;
          return fits;
        });
        expect(long).toBe(true);
      },
    });
    await page.keyboard.press('F9');
    await page.getByTestId('slip-preview').locator('img').waitFor();
    await shoot('card-result-slip', { keys: ['available'] });
    await backHome();

    await page.keyboard.press('F4');
    await page.getByTestId('fault-faultHostSilent').click();
    await backHome();
    await page.keyboard.press('F1');
    await expect.poll(() => step(page), { timeout: 15_000 }).toBe('waiting-card');
    await page.getByTestId('card-debit-swipe-swipe').click();
    await expect.poll(() => step(page)).toBe('waiting-pin');
    await typeOnPad(page, '123456');
    await page.getByTestId('inquiry-result').waitFor({ timeout: 20_000 });
    await shoot('card-error');
    await backHome();
    await page.keyboard.press('F4');
    await page.getByTestId('fault-faultNone').click();
    await shoot('diagnostics');
    await backHome();
  });

  it('payment account: the training panel lists the accounts and their passwords', async () => {
    await page.keyboard.press('F2');
    await page.locator('input[name=account]').waitFor();
    const accounts = async () => (await page.getByTestId('training-pad').textContent()) ?? '';
    await expect.poll(accounts).toContain('13900000002');
    expect(await accounts()).toContain('654321');
    // Bank cards are no use here.
    expect(await accounts()).not.toContain('622202');
    await shoot('wallet-account');
    await page.keyboard.type('13812345678');
    await page.keyboard.press('Enter');
    await page.getByTestId('sms-code').first().waitFor();
    await shoot('wallet-code', { above: { keys: ['sms-code'], fromWidth: 800 } });
    const code = (await page.getByTestId('sms-code').first().textContent())!;
    await page.fill('input[name=code]', code);
    await page.keyboard.press('Enter');
    await page.getByTestId('inquiry-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('available').textContent()).toBe('￥12,043.00');
    await shoot('wallet-result', { keys: ['available'] });
    await backHome();
  });

  it('transaction log and a detail', async () => {
    await page.keyboard.press('F3');
    await page.getByTestId('log-table').waitFor();
    await shoot('log');
    await page.locator('.link-row').first().click();
    await page.getByTestId('inquiry-result').waitFor();
    await shoot('log-detail');
    await backHome();
  });

  it('settings, operators, devices, change password and any other function', async () => {
    const known: Record<string, string> = {
      F5: 'devices',
      F6: 'settings',
      F7: 'operators',
      F8: 'change-password',
    };
    const tiles = (await page.locator('.tiles kbd').allTextContents()).filter(
      (key) => !['F1', 'F2', 'F3', 'F4', 'F10'].includes(key),
    );
    for (const key of tiles) {
      await page.keyboard.press(key);
      await expect.poll(heading).not.toContain('您好');
      await page.waitForTimeout(300);
      await shoot(known[key] ?? `screen-${key}`);
      if (key === 'F6') {
        // A save the core refuses: words, not config paths, and the field in error focused.
        await page.fill('input[name=terminalId]', 'T12');
        await page.locator('[data-testid=settings-form] button[type=submit]').click();
        const alert = page.locator('[data-testid=settings-form] [role=alert]');
        await expect.poll(() => alert.textContent()).toContain('终端号（8位字母或数字）');
        expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe(
          'terminalId',
        );
        await setLanguage('en');
        expect(await alert.textContent()).toBe(
          'The settings were not saved. Check the terminal ID (8 letters or digits).',
        );
        await setLanguage('zh-CN');
        await shoot('settings-error');
      }
      if (key === 'F7') {
        // The inline reset form: its placeholder must fit in both languages.
        await page.locator('[data-testid^=operator-] .row-actions button').first().click();
        await page.locator('input[name=tempPassword]').waitFor();
        await shoot('operators-reset');
      }
      await backHome();
    }
  });

  it('logged no browser errors', () => {
    expect(errors).toEqual([]);
  });
});
