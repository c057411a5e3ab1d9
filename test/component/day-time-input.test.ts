// Days and times typed the same way in both languages, whatever the browser's locale (issue 16,
// finding 13): YYYY-MM-DD and 24-hour HH:MM in plain text fields, never the browser's own
// mm/dd/yyyy or "08:00 AM"; what a cashier types is read leniently and written back in the one
// format; a day that is none is named in the app's words, and nothing is sent.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewSettings } from '../../src-main/contract';
import { normalizeClock, normalizeDay } from '../../src-renderer/components/date-time';
import ReviewRules from '../../src-renderer/components/ReviewRules.svelte';
import { i18n } from '../../src-renderer/i18n/index.svelte';
import Audit from '../../src-renderer/screens/Audit.svelte';
import { fakeConsole } from './support/fake-api';

const fake = fakeConsole();

function input(name: string): HTMLInputElement {
  const found = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

describe('reading what was typed', () => {
  it('days: the one format, and real days only', () => {
    expect(normalizeDay('2026-12-02')).toBe('2026-12-02');
    expect(normalizeDay('20261202')).toBe('2026-12-02');
    expect(normalizeDay('2026/1/2')).toBe('2026-01-02');
    expect(normalizeDay('2026-02-30')).toBeNull();
    expect(normalizeDay('12/02/2026')).toBeNull();
    expect(normalizeDay('')).toBeNull();
  });

  it('times: 24-hour HH:MM', () => {
    expect(normalizeClock('08:00')).toBe('08:00');
    expect(normalizeClock('8:00')).toBe('08:00');
    expect(normalizeClock('2230')).toBe('22:30');
    expect(normalizeClock('800')).toBe('08:00');
    expect(normalizeClock('24:00')).toBeNull();
    expect(normalizeClock('08:00 PM')).toBeNull();
  });
});

describe('the Audit screen', () => {
  beforeEach(() => {
    fake.reset({
      searchAudit: () => ({ entries: [], nextOffset: null }),
      listAuditKinds: () => [],
      listOperators: () => ({ operators: [], next: null }),
    });
  });

  it('shows its days as YYYY-MM-DD text in both languages, not a locale date field', async () => {
    render(Audit, { ondone: () => undefined });
    for (const language of ['zh-CN', 'en'] as const) {
      i18n.set(language, false);
      await tick();
      for (const name of ['fromDay', 'toDay']) {
        expect(input(name).type).toBe('text');
        expect(input(name).placeholder).toBe('YYYY-MM-DD');
        expect(input(name).value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
    i18n.set('zh-CN', false);
  });

  it('sends a day typed as 20261201 as 2026-12-01, and refuses one that is none', async () => {
    render(Audit, { ondone: () => undefined });
    await vi.waitFor(() => expect(fake.callsOf('searchAudit')).toHaveLength(1));
    await fireEvent.input(input('fromDay'), { target: { value: '20261201' } });
    await fireEvent.submit(screen.getByTestId('audit-filters'));
    await vi.waitFor(() => expect(fake.callsOf('searchAudit')).toHaveLength(2));
    expect(fake.callsOf('searchAudit')[1]).toMatchObject({ fromDay: '2026-12-01' });
    await fireEvent.blur(input('fromDay'));
    expect(input('fromDay').value).toBe('2026-12-01');

    await fireEvent.input(input('toDay'), { target: { value: '2026-02-30' } });
    await fireEvent.submit(screen.getByTestId('audit-filters'));
    await tick();
    expect(fake.callsOf('searchAudit')).toHaveLength(2);
    expect(screen.getByRole('alert').textContent).toBe(
      '“结束日期”格式不对：年-月-日，如 2026-12-02。',
    );
    expect(document.activeElement).toBe(input('toDay'));
  });
});

describe('business hours (review rules on Settings)', () => {
  const settings: ReviewSettings = {
    repeatAccount: { enabled: true, count: 3, minutes: 10 },
    cardTesting: { enabled: true, cards: 3, minutes: 10 },
    afterHours: { enabled: true, open: '08:00', close: '22:00' },
    operatorRate: { enabled: false, minInquiries: 20, pointsAbove: 20 },
    outcomeUnknown: { enabled: true, minutes: 30 },
    lateFirstPrint: { enabled: true, minutes: 60 },
  };

  it('shows 24-hour HH:MM text and saves what was typed in that format', async () => {
    fake.reset({
      getReviewSettings: () => settings,
      saveReviewSettings: (args) => ({ settings: args, changed: ['afterHours.close'] }),
    });
    i18n.set('en', false);
    try {
      render(ReviewRules);
      await vi.waitFor(() => expect(input('afterHours.open').value).toBe('08:00'));
      expect(input('afterHours.open').type).toBe('text');
      expect(input('afterHours.close').placeholder).toBe('HH:MM');
      await fireEvent.input(input('afterHours.close'), { target: { value: '2230' } });
      await fireEvent.submit(screen.getByTestId('review-rules'));
      await vi.waitFor(() => expect(fake.callsOf('saveReviewSettings')).toHaveLength(1));
      expect(fake.callsOf('saveReviewSettings')[0]?.afterHours).toEqual({
        enabled: true,
        open: '08:00',
        close: '22:30',
      });
    } finally {
      i18n.set('zh-CN', false);
    }
  });
});
