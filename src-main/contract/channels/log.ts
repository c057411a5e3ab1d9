// The transaction log: search, summary, export, and the supervisor's integrity check.
// A cashier sees only their own inquiries.
import { z } from 'zod';
import { OUTCOMES } from '../../common';
import { channel, returns } from '../channel';
import { day, noArgs, operatorNo } from '../fields';
import type { Bilingual, InquiryView, Outcome } from '../views';

export const logChannel = channel({
  /** Transaction log search; a cashier sees only their own inquiries. */
  searchLog: {
    access: 'operator',
    args: z
      .object({
        day: day.optional(),
        operatorNo: operatorNo.optional(),
        outcome: z.enum(OUTCOMES).optional(),
        last4: z
          .string()
          .regex(/^\d{4}$/)
          .optional(),
        rrn: z
          .string()
          .regex(/^\w{1,12}$/)
          .optional(),
        cursor: z.string().max(200).optional(),
      })
      .strict(),
    result: returns<LogPage>(),
  },
  /** Checks the hash chain of the whole log (supervisor). */
  verifyLog: {
    access: 'supervisor',
    args: noArgs(),
    result: returns<LogVerifyView>(),
  },
  /** Counts for one local day. */
  dailySummary: {
    access: 'operator',
    args: z.object({ day }).strict(),
    result: returns<DailySummaryView>(),
  },
  /** The log as CSV text for a download: one local day, local days [fromDay, toDay], or
   *  [from, to); in the screen's language when given (成功, 刷卡, 人民币). */
  exportLog: {
    access: 'operator',
    args: z
      .object({
        day: day.optional(),
        fromDay: day.optional(),
        toDay: day.optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        language: z.enum(['zh-CN', 'en']).optional(),
      })
      .strict(),
    result: returns<{ fileName: string; csv: string; rows: number }>(),
  },
});

export interface LogPage {
  rows: InquiryView[];
  nextCursor: string | null;
  /** Names of the operators on this page, by operator number. */
  operatorNames: Record<string, string>;
}

export interface LogVerifyView {
  ok: boolean;
  rows: number;
  problems: Bilingual[];
}

export interface DailySummaryView {
  day: string;
  total: number;
  byOutcome: Record<Outcome, number>;
  byOperator: {
    operatorNo: string;
    name: string | null;
    total: number;
    byOutcome: Record<Outcome, number>;
  }[];
}
