// The audit trail as supervisors read it: search by operator, kind and date, and CSV export.
import { z } from 'zod';
import { channel, returns } from '../channel';
import { day, noArgs, operatorNo } from '../fields';
import type { Bilingual } from '../views';

const auditQuery = {
  operatorNo: operatorNo.optional(),
  /** Local days, inclusive. */
  fromDay: day.optional(),
  toDay: day.optional(),
  kind: z
    .string()
    .regex(/^[a-z-]{1,40}$/)
    .optional(),
};

export const auditChannel = channel({
  /** Newest first, a page at a time. */
  searchAudit: {
    access: 'supervisor',
    args: z
      .object({ ...auditQuery, offset: z.number().int().min(0).max(1_000_000).optional() })
      .strict(),
    result: returns<AuditPage>(),
  },
  /** The kinds of entry there are, with their words, for the screen's kind filter. */
  listAuditKinds: {
    access: 'supervisor',
    args: noArgs(),
    result: returns<AuditKindView[]>(),
  },
  /** The matching entries as CSV (oldest first), in the screen's language; audited. */
  exportAudit: {
    access: 'supervisor',
    args: z.object({ ...auditQuery, language: z.enum(['zh-CN', 'en']) }).strict(),
    result: returns<{ fileName: string; csv: string; rows: number }>(),
  },
});

export interface AuditEntryView {
  id: number;
  /** ISO 8601. */
  at: string;
  kind: string;
  operatorNo: string | null;
  operatorName: string | null;
  /** What happened, in both languages (from the entry's kind and detail). */
  text: Bilingual;
}

export interface AuditKindView {
  kind: string;
  /** The kind in both languages, as the list and the CSV say it. */
  text: Bilingual;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Pass as `offset` for the next (older) page; null on the last. */
  nextOffset: number | null;
}
