// Each review rule: a case that flags and a case that does not (core/review/rules.ts). Times are
// UTC+8 local (utcOffsetMinutes 480), the day 2026-06-01.
import { describe, expect, it } from 'vitest';
import type { ReviewSettings } from '../../../src-main/contract';
import {
  DEFAULT_REVIEW_SETTINGS,
  RULES,
  evaluateDay,
  type RuleContext,
} from '../../../src-main/core/review';
import type { ReviewRow } from '../../../src-main/store';

const MIN = 60_000;
/** 2026-06-01 10:00 in Beijing. */
const T0 = Date.parse('2026-06-01T10:00:00+08:00');
const ctx: RuleContext = { day: '2026-06-01', utcOffsetMinutes: 480, nowMs: T0 + 24 * 60 * MIN };

let nextId = 1;
function row(over: Partial<ReviewRow> & { at?: number }): ReviewRow {
  const createdAt = over.at ?? T0;
  return {
    id: nextId++,
    createdAt,
    completedAt: createdAt + 5_000,
    operatorNo: '2001',
    accountKind: 'card',
    maskedAccount: '622202******1234',
    accountKey: null,
    entryMode: 'swipe',
    outcome: 'approved',
    responseCode: '00',
    training: false,
    printedCount: 0,
    firstPrintedAt: null,
    ...over,
  };
}

const settings = (over: Partial<ReviewSettings> = {}): ReviewSettings => ({
  ...DEFAULT_REVIEW_SETTINGS,
  ...over,
});

describe('review rules', () => {
  it('repeat-account: the same card asked 3 times within 10 minutes flags once, keyed by the first', () => {
    const rows = [
      row({ at: T0 }),
      row({ at: T0 + 4 * MIN }),
      row({ at: T0 + 9 * MIN }),
      row({ at: T0 + 12 * MIN, maskedAccount: '622202******9999' }),
    ];
    const flags = RULES['repeat-account'](rows, settings(), ctx);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      rule: 'repeat-account',
      subject: '622202******1234',
      txIds: rows.slice(0, 3).map((r) => r.id),
      operatorNo: '2001',
      detail: { asks: 3, limit: 3, window: 10 },
    });
    expect(flags[0]!.key).toBe(`repeat-account:2026-06-01:card:622202******1234:${rows[0]!.id}`);
    // A fourth ask in the same run joins the flag (same key), it does not raise another.
    const more = [...rows, row({ at: T0 + 11 * MIN })];
    const again = RULES['repeat-account'](more, settings(), ctx);
    expect(again).toHaveLength(1);
    expect(again[0]!.key).toBe(flags[0]!.key);
    expect(again[0]!.txIds).toHaveLength(4);
  });

  it('repeat-account: 3 asks spread over more than 10 minutes, or 2 asks, do not flag', () => {
    const spread = [row({ at: T0 }), row({ at: T0 + 6 * MIN }), row({ at: T0 + 11 * MIN })];
    expect(RULES['repeat-account'](spread, settings(), ctx)).toEqual([]);
    expect(RULES['repeat-account'](spread.slice(0, 2), settings(), ctx)).toEqual([]);
    // A card and a payment account with the same masked form are different accounts.
    const mixed = [
      row({ at: T0 }),
      row({ at: T0 + MIN, accountKind: 'wallet' }),
      row({ at: T0 + 2 * MIN }),
    ];
    expect(RULES['repeat-account'](mixed, settings(), ctx)).toEqual([]);
    const off = settings({ repeatAccount: { enabled: false, count: 3, minutes: 10 } });
    expect(RULES['repeat-account']([...spread, row({ at: T0 + 7 * MIN })], off, ctx)).toEqual([]);
  });

  it('card-testing: wrong PINs on 3 different cards in a row flag', () => {
    const wrong = (n: number, at: number) =>
      row({ at, maskedAccount: `62148${n}******000${n}`, outcome: 'declined', responseCode: '55' });
    // A cancelled inquiry in between (no answer from the bank) neither counts nor breaks it.
    const rows = [
      wrong(1, T0),
      row({ at: T0 + MIN, outcome: 'cancelled', responseCode: null }),
      wrong(2, T0 + 2 * MIN),
      wrong(3, T0 + 3 * MIN),
    ];
    const flags = RULES['card-testing'](rows, settings(), ctx);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      rule: 'card-testing',
      txIds: [rows[0]!.id, rows[2]!.id, rows[3]!.id],
      detail: { cards: 3, wrongPins: 3 },
    });
  });

  it('card-testing: the same card 3 times, or a good answer in between, does not flag', () => {
    const wrong = (account: string, at: number) =>
      row({ at, maskedAccount: account, outcome: 'declined', responseCode: '55' });
    const sameCard = [
      wrong('621483******0001', T0),
      wrong('621483******0001', T0 + MIN),
      wrong('621483******0001', T0 + 2 * MIN),
    ];
    expect(RULES['card-testing'](sameCard, settings(), ctx)).toEqual([]);
    const broken = [
      wrong('621481******0001', T0),
      wrong('621482******0002', T0 + MIN),
      row({ at: T0 + 2 * MIN }),
      wrong('621483******0003', T0 + 3 * MIN),
    ];
    expect(RULES['card-testing'](broken, settings(), ctx)).toEqual([]);
    // Too far apart: more than 30 minutes between two of them.
    const slow = [
      wrong('621481******0001', T0),
      wrong('621482******0002', T0 + MIN),
      wrong('621483******0003', T0 + 40 * MIN),
    ];
    expect(RULES['card-testing'](slow, settings(), ctx)).toEqual([]);
  });

  it('after-hours: inquiries before 08:00 or from 22:00 local flag once per operator', () => {
    const early = Date.parse('2026-06-01T07:59:00+08:00');
    const late = Date.parse('2026-06-01T22:00:00+08:00');
    const rows = [
      row({ at: early }),
      row({ at: T0 }),
      row({ at: late }),
      row({ at: late, operatorNo: '2002' }),
    ];
    const flags = RULES['after-hours'](rows, settings(), ctx);
    expect(flags.map((f) => [f.operatorNo, f.txIds.length])).toEqual([
      ['2001', 2],
      ['2002', 1],
    ]);
  });

  it('after-hours: inquiries within business hours do not flag, and an overnight shop is inside', () => {
    const rows = [
      row({ at: Date.parse('2026-06-01T08:00:00+08:00') }),
      row({ at: Date.parse('2026-06-01T21:59:59+08:00') }),
    ];
    expect(RULES['after-hours'](rows, settings(), ctx)).toEqual([]);
    const overnight = settings({ afterHours: { enabled: true, open: '18:00', close: '06:00' } });
    const night = [
      row({ at: Date.parse('2026-06-01T23:30:00+08:00') }),
      row({ at: Date.parse('2026-06-01T05:00:00+08:00') }),
    ];
    expect(RULES['after-hours'](night, overnight, ctx)).toEqual([]);
    expect(RULES['after-hours']([row({ at: T0 })], overnight, ctx)).toHaveLength(1);
  });

  it('operator-rate: an operator far above the others in failures and cancels flags', () => {
    const s = settings({ operatorRate: { enabled: true, minInquiries: 5, pointsAbove: 30 } });
    const rows = [
      ...Array.from({ length: 6 }, (_, i) =>
        row({ at: T0 + i * MIN, operatorNo: '2001', outcome: i < 4 ? 'cancelled' : 'approved' }),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        row({ at: T0 + i * MIN, operatorNo: '2002', outcome: i < 1 ? 'failed' : 'approved' }),
      ),
    ];
    const flags = RULES['operator-rate'](rows, s, ctx);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      operatorNo: '2001',
      detail: { inquiries: 6, failedOrCancelled: 4, rate: 67, othersRate: 10 },
    });
  });

  it('operator-rate: close to the others, or too few inquiries, does not flag', () => {
    const s = settings({ operatorRate: { enabled: true, minInquiries: 5, pointsAbove: 30 } });
    const rows = [
      ...Array.from({ length: 6 }, (_, i) =>
        row({ operatorNo: '2001', outcome: i < 2 ? 'failed' : 'approved' }),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        row({ operatorNo: '2002', outcome: i < 1 ? 'failed' : 'approved' }),
      ),
    ];
    expect(RULES['operator-rate'](rows, s, ctx)).toEqual([]);
    const few = Array.from({ length: 4 }, () => row({ operatorNo: '2003', outcome: 'cancelled' }));
    expect(RULES['operator-rate']([...rows, ...few], s, ctx)).toEqual([]);
  });

  it('outcome-unknown: a row left unknown for 10 minutes flags, a running one does not', () => {
    const stuck = row({ at: T0, outcome: 'unknown', responseCode: null, completedAt: null });
    const running = row({
      at: T0 + 55 * MIN,
      outcome: 'unknown',
      responseCode: null,
      completedAt: null,
    });
    const now = { ...ctx, nowMs: T0 + 60 * MIN };
    const flags = RULES['outcome-unknown']([stuck, running, row({})], settings(), now);
    expect(flags.map((f) => f.txIds)).toEqual([[stuck.id]]);
    expect(flags[0]!.key).toBe(`outcome-unknown:2026-06-01:${stuck.id}`);
  });

  it('late-first-print: a slip first printed from the log 10+ minutes later flags; printed at once does not', () => {
    const late = row({ printedCount: 1, firstPrintedAt: T0 + 5_000 + 30 * MIN });
    const atOnce = row({ printedCount: 2, firstPrintedAt: T0 + 20_000 });
    const never = row({});
    const flags = RULES['late-first-print']([late, atOnce, never], settings(), ctx);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ txIds: [late.id], detail: { minutes: 30, prints: 1 } });
  });

  it('evaluateDay runs every rule; a quiet day flags nothing', () => {
    const quiet = [row({ at: T0 }), row({ at: T0 + 30 * MIN, maskedAccount: '622202******5678' })];
    expect(evaluateDay(quiet, DEFAULT_REVIEW_SETTINGS, ctx)).toEqual([]);
  });
});
