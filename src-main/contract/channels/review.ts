// Log review (supervisors): the flags the review rules raise, acknowledged one by one with a
// note; days marked reviewed; the rules' thresholds.
import { z } from 'zod';
import { channel, returns } from '../channel';
import { day, noArgs } from '../fields';
import type { Bilingual } from '../views';

/** The review rules, by name (core/review/rules.ts). */
export const REVIEW_RULES = [
  'repeat-account',
  'card-testing',
  'after-hours',
  'operator-rate',
  'outcome-unknown',
  'late-first-print',
] as const;
export type ReviewRule = (typeof REVIEW_RULES)[number];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time: HH:MM');
const count = (min: number, max: number) => z.number().int().min(min).max(max);

/** Each rule's threshold; a rule that is not enabled raises nothing. */
export const reviewSettingsSchema = z
  .object({
    /** The same card or account asked `count` times or more within `minutes`. */
    repeatAccount: z
      .object({ enabled: z.boolean(), count: count(2, 100), minutes: count(1, 1440) })
      .strict(),
    /** Wrong PINs (55) on `cards` different cards in a row, each within `minutes` of the last. */
    cardTesting: z
      .object({ enabled: z.boolean(), cards: count(2, 50), minutes: count(1, 1440) })
      .strict(),
    /** Inquiries before `open` or from `close` on (local time). */
    afterHours: z.object({ enabled: z.boolean(), open: clock, close: clock }).strict(),
    /** An operator with `minInquiries` or more whose failure-or-cancel rate is `pointsAbove`
     *  percentage points above the other operators' together. */
    operatorRate: z
      .object({
        enabled: z.boolean(),
        minInquiries: count(1, 10_000),
        pointsAbove: count(1, 100),
      })
      .strict(),
    /** Rows still 'outcome unknown' `minutes` after they were started. */
    outcomeUnknown: z.object({ enabled: z.boolean(), minutes: count(1, 1440) }).strict(),
    /** A slip first printed `minutes` or more after the inquiry ended: a reprint from the log
     *  of a slip never printed at the counter. */
    lateFirstPrint: z.object({ enabled: z.boolean(), minutes: count(1, 1440) }).strict(),
  })
  .strict();
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;

export const reviewChannel = channel({
  /** Open flags (Home's count) and unreviewed days; evaluates the rules first. */
  reviewSummary: {
    access: 'supervisor',
    args: noArgs(),
    result: returns<ReviewSummaryView>(),
  },
  /** Flags of one day, or open ones of every day. */
  listReviewFlags: {
    access: 'supervisor',
    args: z.object({ day: day.optional(), open: z.boolean().optional() }).strict(),
    result: returns<ReviewFlagView[]>(),
  },
  /** Acknowledges a flag with a note (audited). */
  acknowledgeReviewFlag: {
    access: 'supervisor',
    args: z.object({ id: z.number().int().positive(), note: z.string().max(500) }).strict(),
    result: returns<ReviewFlagView>(),
  },
  /** Marks a day reviewed (audited); refused while it has open flags. */
  markDayReviewed: {
    access: 'supervisor',
    args: z.object({ day, note: z.string().max(500).optional() }).strict(),
    result: returns<ReviewDayView>(),
  },
  getReviewSettings: {
    access: 'supervisor',
    args: noArgs(),
    result: returns<ReviewSettings>(),
  },
  /** Saves the thresholds (audited as a settings change, with the changed names). */
  saveReviewSettings: {
    access: 'supervisor',
    args: reviewSettingsSchema,
    result: returns<{ settings: ReviewSettings; changed: string[] }>(),
  },
});

export interface ReviewFlagView {
  id: number;
  rule: ReviewRule;
  day: string;
  /** ISO 8601: the first inquiry concerned. */
  at: string;
  operatorNo: string | null;
  operatorName: string | null;
  subject: string;
  transactionIds: number[];
  /** What was found, in both languages. */
  text: Bilingual;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  note: string | null;
}

export interface ReviewDayView {
  day: string;
  inquiries: number;
  flags: number;
  openFlags: number;
  reviewedAt: string | null;
  reviewedBy: string | null;
  note: string | null;
}

export interface ReviewSummaryView {
  openFlags: number;
  unreviewedDays: ReviewDayView[];
}
