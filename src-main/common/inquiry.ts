// How a balance inquiry ended, as the transaction log stores it and the screens show it.

/** 'unknown' = begun but never completed (crash, power cut, or still running). */
export const OUTCOMES = ['unknown', 'approved', 'declined', 'failed', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** What a completed inquiry can end as. */
export type FinalOutcome = Exclude<Outcome, 'unknown'>;
