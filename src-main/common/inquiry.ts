// How a balance inquiry ended, as the transaction log stores it and the screens show it.

/** 'unknown' = begun but never completed (crash, power cut, or still running). */
export const OUTCOMES = ['unknown', 'approved', 'declined', 'failed', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** What a completed inquiry can end as. */
export type FinalOutcome = Exclude<Outcome, 'unknown'>;

/** The order the screens list outcomes in: the usual first. */
export const OUTCOME_ORDER: readonly Outcome[] = [
  'approved',
  'declined',
  'failed',
  'cancelled',
  'unknown',
];

/**
 * A day's counts as the parts a summary shows: every outcome (none left out, so the parts add
 * up to the total), in OUTCOME_ORDER, with the total.
 */
export function outcomeParts(byOutcome: Record<Outcome, number>): {
  total: number;
  parts: { outcome: Outcome; count: number }[];
} {
  const parts = OUTCOME_ORDER.map((outcome) => ({ outcome, count: byOutcome[outcome] ?? 0 }));
  return { total: parts.reduce((sum, p) => sum + p.count, 0), parts };
}
