// The review rules: what in a day's log a supervisor should look at. Each rule is a pure
// function of the day's inquiries (oldest first) and its threshold, and returns flags keyed by
// what they are about, so evaluating a day again raises nothing twice. Accounts are compared by
// their kind and keyed hash (account-key.ts): two cards with the same first 6 / last 4 are two
// cards. Rows without a hash (logged before it was kept, or without the hash key) fall back to
// the masked number, the only thing the log holds of a card besides.
import type { ReviewRule, ReviewSettings } from '../../contract';
import type { FlagDraft, ReviewRow } from '../../store';

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  repeatAccount: { enabled: true, count: 3, minutes: 10 },
  cardTesting: { enabled: true, cards: 3, minutes: 30 },
  afterHours: { enabled: true, open: '08:00', close: '22:00' },
  operatorRate: { enabled: true, minInquiries: 10, pointsAbove: 30 },
  outcomeUnknown: { enabled: true, minutes: 10 },
  lateFirstPrint: { enabled: true, minutes: 10 },
};

/** The day being evaluated and the clock. */
export interface RuleContext {
  day: string;
  /** Minutes east of UTC of this PC on that day. */
  utcOffsetMinutes: number;
  nowMs: number;
}

type Rule = (rows: ReviewRow[], settings: ReviewSettings, ctx: RuleContext) => FlagDraft[];

const MINUTE = 60_000;

function draft(
  rule: ReviewRule,
  ctx: RuleContext,
  subjectKey: string,
  rows: ReviewRow[],
  fields: Pick<FlagDraft, 'operatorNo' | 'subject' | 'detail'>,
): FlagDraft {
  return {
    rule,
    day: ctx.day,
    key: `${rule}:${ctx.day}:${subjectKey}`,
    at: rows[0]!.createdAt,
    txIds: rows.map((r) => r.id),
    ...fields,
  };
}

/** Rows grouped by a key, each group oldest first (push, not copy: a busy day has 14k rows). */
function groupBy(rows: ReviewRow[], key: (r: ReviewRow) => string): Map<string, ReviewRow[]> {
  const groups = new Map<string, ReviewRow[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Which account a row asked about: its keyed hash, else (older rows) its masked number. */
function accountOf(row: ReviewRow): string {
  return row.accountKey !== null
    ? `${row.accountKind}#${row.accountKey}`
    : `${row.accountKind}:${row.maskedAccount}`;
}

/** The only operator of some rows, or null when several. */
function soleOperator(rows: ReviewRow[]): string | null {
  const set = new Set(rows.map((r) => r.operatorNo));
  return set.size === 1 ? rows[0]!.operatorNo : null;
}

/** The same card or account asked `count` times or more within `minutes`. */
export const repeatAccount: Rule = (rows, { repeatAccount: s }, ctx) => {
  if (!s.enabled) return [];
  const byAccount = groupBy(rows, accountOf);
  const flags: FlagDraft[] = [];
  for (const asks of byAccount.values()) {
    // Mark every ask inside some window of `minutes` holding `count` asks, then report each
    // run of marked asks once, keyed by its first.
    const marked = new Array<boolean>(asks.length).fill(false);
    let start = 0;
    for (let i = 0; i < asks.length; i++) {
      while (asks[i]!.createdAt - asks[start]!.createdAt > s.minutes * MINUTE) start++;
      if (i - start + 1 >= s.count) marked.fill(true, start, i + 1);
    }
    for (let i = 0; i < asks.length; i++) {
      if (!marked[i]) continue;
      let j = i;
      while (j + 1 < asks.length && marked[j + 1]) j++;
      const run = asks.slice(i, j + 1);
      const spanMinutes = Math.ceil((run[run.length - 1]!.createdAt - run[0]!.createdAt) / MINUTE);
      flags.push(
        draft(
          'repeat-account',
          ctx,
          `${run[0]!.accountKind}:${run[0]!.maskedAccount}:${run[0]!.id}`,
          run,
          {
            operatorNo: soleOperator(run),
            subject: run[0]!.maskedAccount,
            detail: {
              accountKind: run[0]!.accountKind,
              asks: run.length,
              minutes: spanMinutes,
              limit: s.count,
              window: s.minutes,
            },
          },
        ),
      );
      i = j;
    }
  }
  return flags;
};

/**
 * Wrong PINs (response 55) on `cards` different cards in a row: card testing. A card inquiry
 * the bank answered otherwise ends the run, and so does a gap of more than `minutes`; inquiries
 * the bank never answered (no card, cancelled) neither count nor break it.
 */
export const cardTesting: Rule = (rows, { cardTesting: s }, ctx) => {
  if (!s.enabled) return [];
  const flags: FlagDraft[] = [];
  let run: ReviewRow[] = [];
  const close = () => {
    const cards = new Set(run.map(accountOf));
    if (cards.size >= s.cards) {
      flags.push(
        draft('card-testing', ctx, String(run[0]!.id), run, {
          operatorNo: soleOperator(run),
          // Masked numbers only; two cards sharing 6/4 are both listed.
          subject: [...new Map(run.map((r) => [accountOf(r), r.maskedAccount])).values()].join(
            ', ',
          ),
          detail: { cards: cards.size, wrongPins: run.length, limit: s.cards },
        }),
      );
    }
    run = [];
  };
  for (const row of rows) {
    if (row.accountKind !== 'card' || row.responseCode === null) continue;
    const last = run[run.length - 1];
    if (last && row.createdAt - last.createdAt > s.minutes * MINUTE) close();
    if (row.responseCode === '55') run.push(row);
    else close();
  }
  close();
  return flags;
};

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Inquiries before opening or from closing time (local), one flag per operator and day. */
export const afterHours: Rule = (rows, { afterHours: s }, ctx) => {
  if (!s.enabled) return [];
  const open = minutesOf(s.open);
  const close = minutesOf(s.close);
  if (open === close) return [];
  const inside = (m: number) => (open < close ? m >= open && m < close : m >= open || m < close);
  const outsideRows = rows.filter((row) => {
    const local = Math.floor((row.createdAt + ctx.utcOffsetMinutes * MINUTE) / MINUTE);
    return !inside(((local % 1440) + 1440) % 1440);
  });
  const byOperator = groupBy(outsideRows, (row) => row.operatorNo);
  return [...byOperator].map(([operatorNo, outside]) =>
    draft('after-hours', ctx, operatorNo, outside, {
      operatorNo,
      subject: operatorNo,
      detail: { inquiries: outside.length, open: s.open, close: s.close },
    }),
  );
};

const failedOrCancelled = (r: ReviewRow) => r.outcome === 'failed' || r.outcome === 'cancelled';

/**
 * An operator whose failure-or-cancel rate stands `pointsAbove` percentage points above the
 * other operators' together; both sides need `minInquiries`, so a few unlucky asks do not count.
 */
export const operatorRate: Rule = (rows, { operatorRate: s }, ctx) => {
  if (!s.enabled) return [];
  const byOperator = groupBy(rows, (row) => row.operatorNo);
  const flags: FlagDraft[] = [];
  const bad = rows.filter(failedOrCancelled).length;
  for (const [operatorNo, own] of byOperator) {
    const othersTotal = rows.length - own.length;
    if (own.length < s.minInquiries || othersTotal < s.minInquiries) continue;
    const ownBad = own.filter(failedOrCancelled);
    const rate = (ownBad.length / own.length) * 100;
    const othersRate = ((bad - ownBad.length) / othersTotal) * 100;
    if (rate - othersRate < s.pointsAbove) continue;
    flags.push(
      draft('operator-rate', ctx, operatorNo, ownBad.length ? ownBad : own, {
        operatorNo,
        subject: operatorNo,
        detail: {
          inquiries: own.length,
          failedOrCancelled: ownBad.length,
          rate: Math.round(rate),
          othersRate: Math.round(othersRate),
          pointsAbove: s.pointsAbove,
        },
      }),
    );
  }
  return flags;
};

/** Rows still 'outcome unknown' `minutes` after they started (the console stopped mid-way). */
export const outcomeUnknown: Rule = (rows, { outcomeUnknown: s }, ctx) => {
  if (!s.enabled) return [];
  return rows
    .filter((r) => r.outcome === 'unknown' && ctx.nowMs - r.createdAt >= s.minutes * MINUTE)
    .map((r) =>
      draft('outcome-unknown', ctx, String(r.id), [r], {
        operatorNo: r.operatorNo,
        subject: r.maskedAccount,
        detail: { accountKind: r.accountKind },
      }),
    );
};

/** A slip first printed `minutes` or more after the inquiry ended: printed later from the log,
 *  though it was never printed at the counter. */
export const lateFirstPrint: Rule = (rows, { lateFirstPrint: s }, ctx) => {
  if (!s.enabled) return [];
  return rows
    .filter(
      (r) =>
        r.firstPrintedAt !== null &&
        r.firstPrintedAt - (r.completedAt ?? r.createdAt) >= s.minutes * MINUTE,
    )
    .map((r) =>
      draft('late-first-print', ctx, String(r.id), [r], {
        operatorNo: r.operatorNo,
        subject: r.maskedAccount,
        detail: {
          minutes: Math.floor((r.firstPrintedAt! - (r.completedAt ?? r.createdAt)) / MINUTE),
          prints: r.printedCount,
        },
      }),
    );
};

export const RULES: Record<ReviewRule, Rule> = {
  'repeat-account': repeatAccount,
  'card-testing': cardTesting,
  'after-hours': afterHours,
  'operator-rate': operatorRate,
  'outcome-unknown': outcomeUnknown,
  'late-first-print': lateFirstPrint,
};

/** Every rule over one day's inquiries (oldest first). */
export function evaluateDay(
  rows: ReviewRow[],
  settings: ReviewSettings,
  ctx: RuleContext,
): FlagDraft[] {
  return Object.values(RULES).flatMap((rule) => rule(rows, settings, ctx));
}
