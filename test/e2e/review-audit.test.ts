/// <reference lib="dom" />
// Password hygiene, log review and the audit trail in Chromium through the browser shell: a new
// cashier must change the temporary password (Esc does nothing, a banner says why) and cannot
// go back to a recent one; three wrong PINs on three training cards raise a card-testing flag
// that the supervisor acknowledges with a note on the Review screen (F9); the Audit screen
// (F11) lists that acknowledgement, searches by operator and exports CSV. The Review and Audit
// screens are photographed at 1024x768 and 800x600 in both languages.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import type { RunningConsole } from './support/console-process';
import { customerUsesCard, result, snap, snapBoth, startTrainingConsole } from './support/journey';

let browser: Browser;
let running: RunningConsole;
let page: Page;
/** The day the supervisor marked reviewed on the Review screen. */
let reviewedDay = '';
const errors: string[] = [];
const heading = () => page.locator('h1').first().textContent();

beforeAll(async () => {
  running = await startTrainingConsole();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

async function login(operatorNo: string, password: string): Promise<void> {
  await expect.poll(heading, { timeout: 15_000 }).toBe('操作员登录');
  await page.fill('input[name=operatorNo]', operatorNo);
  await page.fill('input[name=password]', password);
  await page.keyboard.press('Enter');
}

async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  await page.fill('input[name=oldPassword]', oldPassword);
  await page.fill('input[name=newPassword]', newPassword);
  await page.fill('input[name=confirm]', newPassword);
  await page.keyboard.press('Enter');
}

/** Both languages at 1024x768, then at 800x600, and back. */
async function snapSizes(name: string): Promise<void> {
  await snapBoth(page, name);
  await page.setViewportSize({ width: 800, height: 600 });
  await snapBoth(page, `${name}-800x600`);
  await page.setViewportSize({ width: 1024, height: 768 });
}

describe('password hygiene, log review and the audit trail', () => {
  it('a new cashier must change the temporary password first, and cannot reuse a recent one', async () => {
    page = await browser.newPage({
      viewport: { width: 1024, height: 768 },
      acceptDownloads: true,
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(running.url);
    // The first supervisor sets their own password (it is not temporary). Generous waits: the
    // machine these run on is shared, and the first run hashes a password.
    await expect.poll(heading, { timeout: 15_000 }).toBe('首次使用：创建主管账户');
    await page.fill('input[name=operatorNo]', '1001');
    await page.fill('input[name=name]', '王主管');
    await page.fill('input[name=password]', 'Cashier2026');
    await page.fill('input[name=confirm]', 'Cashier2026');
    await page.keyboard.press('Enter');
    await login('1001', 'Cashier2026');
    await expect.poll(heading, { timeout: 15_000 }).toContain('您好');
    await page.keyboard.press('F7');
    await expect.poll(heading).toBe('操作员管理');
    await page.fill('input[name=newOperatorNo]', '2001');
    await page.fill('input[name=newName]', '李收银');
    await page.selectOption('select[name=newRole]', 'cashier');
    await page.fill('input[name=newPassword]', 'Temp2026');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('operator-2001').textContent()).toContain('收银员');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F10');

    await login('2001', 'Temp2026');
    await expect.poll(heading).toBe('修改我的密码');
    const banner = page.getByTestId('forced-change');
    await expect.poll(() => banner.textContent()).toContain('这是主管为您设置的临时密码，请先修改');
    // No way around it: Esc, the function keys and a back button do nothing.
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.keyboard.press('F3');
    expect(await heading()).toBe('修改我的密码');
    expect(await page.getByRole('button', { name: /返回/ }).count()).toBe(0);
    await snapSizes('password-forced');

    await changePassword('Temp2026', 'Temp2026');
    await expect
      .poll(() => page.locator('[role=alert]').last().textContent())
      .toContain('不能与当前密码相同');
    await changePassword('Temp2026', 'Mine2026a');
    await expect
      .poll(() => page.locator('p.message[role=status]').textContent())
      .toBe('密码已修改。');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好，李收银');

    // The temporary password is one of the last five: it cannot come back.
    await page.keyboard.press('F8');
    await expect.poll(heading).toBe('修改我的密码');
    expect(await page.getByTestId('forced-change').count()).toBe(0);
    await changePassword('Mine2026a', 'Temp2026');
    await expect
      .poll(() => page.locator('[role=alert]').last().textContent())
      .toContain('新密码不能与最近 5 次使用过的密码相同');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好，李收银');
  });

  it('three wrong PINs on three training cards', async () => {
    const cards = ['card-debit-swipe-swipe', 'card-debit-chip-insert', 'card-credit-swipe-swipe'];
    for (const card of cards) {
      await page.keyboard.press('F1');
      await customerUsesCard(page, card, '000000');
      expect((await result(page)).outcome).toBe('declined');
      await page.keyboard.press('Escape');
      await expect.poll(heading, { timeout: 10_000 }).toContain('您好');
    }
    await page.keyboard.press('F10');
  });

  it('raises a card-testing flag that the supervisor acknowledges with a note on the Review screen', async () => {
    await login('1001', 'Cashier2026');
    await expect.poll(heading).toContain('您好');
    await expect
      .poll(() => page.getByTestId('review-flags').textContent(), { timeout: 10_000 })
      .toMatch(/有 \d+ 条复核提示待确认/);
    await snapBoth(page, 'home-review-flags');
    await page.keyboard.press('F9');
    await expect.poll(heading).toBe('日志复核');
    const flag = page.locator('li.flag[data-rule=card-testing]');
    await expect.poll(() => flag.count()).toBe(1);
    expect(await flag.textContent()).toContain('连续 3 张不同的银行卡密码错误（55）');
    expect(await flag.textContent()).toContain('2001 李收银');
    await expect
      .poll(() => page.getByTestId('unreviewed-days').textContent())
      .toMatch(/3 笔查询，\d+ 条提示未确认/);
    await snapSizes('review');

    // No acknowledgement without a note.
    await flag.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('请填写备注');
    await flag.locator('input[name=note]').fill('已核实：顾客带了三张卡，均忘记密码');
    await flag.getByRole('button', { name: '确认' }).click();
    await expect.poll(() => page.getByTestId('review-done').textContent()).toContain('已确认提示');
    // Open flags only: it is gone from the list; with all flags it shows who and when.
    await expect.poll(() => page.locator('li.flag[data-rule=card-testing]').count()).toBe(0);
    await page.getByTestId('open-only').uncheck();
    await expect
      .poll(() => page.locator('li.flag[data-rule=card-testing]').textContent())
      .toContain('已由 1001 于');

    // Nothing open on that day now: the supervisor marks it reviewed, and it leaves the list.
    const days = page.getByTestId('unreviewed-days');
    const mark = days.locator('button[data-testid^="mark-"]');
    await expect.poll(() => mark.count()).toBe(1);
    await expect.poll(() => mark.isEnabled()).toBe(true);
    reviewedDay = (await mark.getAttribute('data-testid'))!.slice('mark-'.length);
    expect(await days.textContent()).toContain(`${reviewedDay}：3 笔查询，0 条提示未确认`);
    // The app's primary button (filled, white bold text), not the browser's plain grey one.
    const look = await mark.evaluate((b) => {
      const style = getComputedStyle(b);
      return {
        primary: b.classList.contains('primary'),
        color: style.color,
        weight: style.fontWeight,
        radius: style.borderRadius,
        background: style.backgroundColor,
      };
    });
    expect(look).toMatchObject({ primary: true, color: 'rgb(255, 255, 255)', radius: '6px' });
    expect(Number(look.weight)).toBeGreaterThanOrEqual(700);
    expect(look.background).not.toBe('rgb(239, 239, 239)');
    await snapBoth(page, 'review-day-ready');
    await mark.click();
    await expect
      .poll(() => page.getByTestId('review-done').textContent())
      .toContain(`${reviewedDay} 已标记为已复核。`);
    await expect.poll(() => days.textContent()).toBe('所有日期均已复核。');
    await snapSizes('review-day-reviewed');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好');
  });

  it('Settings: the review thresholds are saved (audited); a password about to expire is said on Home', async () => {
    await page.keyboard.press('F6');
    await expect.poll(heading).toBe('设置');
    const rules = page.getByTestId('review-rules');
    await rules.waitFor();
    await rules.locator('input[name="cardTesting.cards"]').fill('4');
    await snapBoth(page, 'settings-review-rules');
    await rules.getByRole('button', { name: '保存复核规则' }).click();
    await expect.poll(() => rules.locator('[role=status]').textContent()).toBe('复核规则已保存。');
    // Out of range: said in the app's words, nothing saved.
    await rules.locator('input[name="cardTesting.cards"]').fill('1');
    await rules.getByRole('button', { name: '保存复核规则' }).click();
    await expect.poll(() => rules.locator('[role=alert]').textContent()).toContain('2 至 50');

    await page.fill('input[name=passwordMaxAge]', '5');
    await page.getByTestId('settings-form').locator('button[type=submit]').click();
    await expect
      .poll(() => page.getByTestId('settings-form').locator('p.message[role=status]').textContent())
      .toContain('设置已保存');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F10');
    await login('1001', 'Cashier2026');
    await expect
      .poll(() => page.getByTestId('password-expiry').textContent())
      .toContain('您的密码将在 5 天后过期');
  });

  it('lists the acknowledgement on the Audit screen, searches by operator and exports CSV', async () => {
    await page.keyboard.press('F11');
    await expect.poll(heading).toBe('审计记录');
    const table = page.getByTestId('audit-table');
    await expect.poll(() => table.textContent()).toContain('确认复核提示');
    expect(await table.textContent()).toContain('已核实：顾客带了三张卡，均忘记密码');
    // The day marked reviewed on the Review screen, and the settings changed, in words.
    expect(await table.locator('tr[data-kind=review-day]').textContent()).toContain(
      `标记当日已复核：日期 ${reviewedDay}`,
    );
    expect(await table.textContent()).toContain('设置已更改：密码有效期 90 → 5 天');
    expect(await table.textContent()).not.toContain('passwordMaxAgeDays');
    await snapSizes('audit');

    // The kind filter: its choices in words (both languages), and only that kind listed.
    const kind = page.locator('select[name=kind]');
    const choices = await kind.locator('option').allTextContents();
    expect(choices[0]).toBe('全部类型');
    expect(choices).toEqual(
      expect.arrayContaining(['登录', '登录失败', '锁定', '解锁', '重置密码', '设置已更改']),
    );
    expect(choices).toEqual(
      expect.arrayContaining(['设备认可', '装载密钥', '导出', '确认复核提示', '标记当日已复核']),
    );
    await kind.selectOption('review-day');
    await page.getByRole('button', { name: '查询' }).click();
    await expect
      .poll(() =>
        table
          .locator('tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind'))),
      )
      .toEqual(['review-day']);
    await page.getByTestId('language-switch').click();
    await expect
      .poll(() => kind.locator('option:checked').textContent())
      .toBe('Day marked reviewed');
    expect(await table.textContent()).toContain(`Day marked reviewed: day ${reviewedDay}`);
    await snap(page, 'audit-kind-filter.en');
    await page.getByTestId('language-switch').click();
    await kind.selectOption('config-change');
    await page.getByRole('button', { name: '查询' }).click();
    await expect
      .poll(() => table.locator('tbody tr[data-kind=config-change]').first().textContent())
      .toContain('设置已更改：');
    expect(await table.locator('tbody tr:not([data-kind=config-change])').count()).toBe(0);
    await kind.selectOption('');

    // By operator 2001: what they did and what was done about them, not the supervisor's own.
    await page.selectOption('select[name=operatorNo]', '2001');
    await page.getByRole('button', { name: '查询' }).click();
    await expect
      .poll(() => table.locator('tr[data-kind=password-change]').count())
      .toBeGreaterThan(0);
    const kinds = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds).toContain('review-ack');
    expect(kinds).toContain('operator-created');
    // The supervisor's own logins are not about 2001.
    const loginsBy = await table
      .locator('tbody tr[data-kind=login] td:nth-child(2)')
      .allTextContents();
    expect(loginsBy.length).toBeGreaterThan(0);
    expect(loginsBy.every((who) => who.startsWith('2001'))).toBe(true);

    const download = page.waitForEvent('download');
    await page.getByTestId('export-audit').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(
      /^cashier-audit-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF编号,时间,类型,操作员,姓名,内容\r\n')).toBe(true);
    expect(csv).toContain('确认复核提示');
    expect(csv).toContain('已核实：顾客带了三张卡，均忘记密码');
    await expect
      .poll(() => page.getByTestId('audit-export-result').textContent())
      .toMatch(/已导出 \d+ 条审计记录/);
    await page.keyboard.press('Escape');
  });

  it('the Log screen: names, account kinds, an operator filter, a summary whose parts add up, the detail', async () => {
    await page.keyboard.press('F3');
    await expect.poll(heading).toContain('交易日志');
    const table = page.getByTestId('log-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('tbody tr').first().textContent()).toContain('2001 李收银');
    expect(await table.locator('tbody tr').first().textContent()).toContain('银行卡');
    const summary = page.getByTestId('daily-summary');
    await expect.poll(() => summary.textContent()).toMatch(/共 3 笔：拒绝 3$/);
    expect(await page.getByTestId('summary-by-operator').textContent()).toContain('2001 李收银');
    // Only the supervisor's own inquiries: none.
    await page.selectOption('select[name=operatorNo]', '1001');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect.poll(() => table.textContent()).toContain('没有符合条件的记录');
    await page.selectOption('select[name=operatorNo]', '2001');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await snapSizes('log-supervisor');
    await page.locator('.link-row').first().click();
    const detail = page.getByTestId('log-detail');
    await expect.poll(() => detail.textContent()).toContain('2001 李收银');
    expect(await detail.textContent()).toContain('刷卡');
    expect(await detail.textContent()).toContain('55');
    await snapBoth(page, 'log-detail');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(heading).toContain('您好');
  });

  it('logged no browser errors', () => {
    expect(errors).toEqual([]);
  });
});
