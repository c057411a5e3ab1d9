// The transaction log's wording (screenshot review): the day summary reads as one sentence in
// both languages, and a payment account's detail says how it was verified, not how it was read.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OperatorView } from '../../src-main/contract';
import { i18n } from '../../src-renderer/i18n/index.svelte';
import TransactionLog from '../../src-renderer/screens/TransactionLog.svelte';
import { fakeConsole } from './support/fake-api';
import { view } from './support/views';

const fake = fakeConsole();
const cashier: OperatorView = { operatorNo: '2001', name: '李收银', role: 'cashier' };
const none = { unknown: 0, approved: 0, declined: 0, failed: 0, cancelled: 0 };

beforeEach(() => {
  fake.reset({
    searchLog: () => ({
      rows: [
        view({ transactionId: 1 }),
        view({
          transactionId: 2,
          accountKind: 'wallet',
          maskedAccount: '138****0000',
          entryMode: 'sms-code',
          at: '2026-12-02T08:05:00.000Z',
        }),
      ],
      nextCursor: null,
      operatorNames: { '2001': '李收银' },
    }),
    dailySummary: ({ day }) => ({
      day,
      total: 3,
      byOutcome: { ...none, approved: 2, declined: 1 },
      byOperator: [],
    }),
  });
});

afterEach(() => i18n.set('zh-CN', false));

const summary = () => screen.getByTestId('daily-summary').textContent?.trim() ?? '';

describe('the day summary', () => {
  it('has one colon in Chinese and reads as a sentence in English', async () => {
    render(TransactionLog, { operator: cashier, ondone: () => undefined });
    await vi.waitFor(() => expect(screen.queryByTestId('daily-summary')).not.toBeNull());
    const day = fake.callsOf('dailySummary')[0]?.day;
    expect(summary()).toBe(`${day} 共 3 笔：成功 2，拒绝 1`);
    i18n.set('en', false);
    await tick();
    expect(summary()).toBe(`${day} — 3 in all: approved 2, declined 1`);
  });
});

describe('the detail of an inquiry', () => {
  // The label and value of the entry-mode line of the detail shown.
  function entryLine(): { label: string; value: string } {
    const dd = screen.getByTestId('log-entry-mode');
    return { label: dd.previousElementSibling?.textContent ?? '', value: dd.textContent ?? '' };
  }

  it('names the entry mode of a card and the verification of a payment account', async () => {
    render(TransactionLog, { operator: cashier, ondone: () => undefined });
    await vi.waitFor(() =>
      expect(screen.getAllByRole('button', { name: /\d\d:\d\d/ })).toHaveLength(2),
    );
    const rows = () => screen.getAllByRole('button', { name: /\d\d:\d\d/ });
    await fireEvent.click(rows()[0]!);
    expect(entryLine()).toEqual({ label: '读卡方式', value: '刷卡' });
    await fireEvent.keyDown(window, { key: 'Escape' });
    await vi.waitFor(() => expect(rows()).toHaveLength(2));
    await fireEvent.click(rows()[1]!);
    expect(entryLine()).toEqual({ label: '验证方式', value: '短信验证码' });
    i18n.set('en', false);
    await tick();
    expect(entryLine()).toEqual({ label: 'Verified by', value: 'SMS code' });
  });
});
