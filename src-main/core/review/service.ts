// Runs the review rules over the log, day by day (this PC's local days), and keeps what they
// find in the store. A day is evaluated again while it lasts (and a little after, for rows
// still settling); once evaluated after its end it is final and never read again, so a call
// costs one day's rows. A log older than the console's review reaches back at most 31 days.
import { formatLocalDate } from '../../common';
import { reviewSettingsSchema, type ReviewSettings } from '../../contract';
import type { ReviewStore } from '../../store';
import { DEFAULT_REVIEW_SETTINGS, evaluateDay } from './rules';

const MAX_LOOKBACK_DAYS = 31;
/** After a day ends, rows may still complete (an inquiry across midnight): wait this long. */
const SETTLE_MS = 15 * 60_000;

/** Local midnight of a YYYY-MM-DD day, and of the next. */
function dayBounds(day: string): { from: Date; to: Date } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { from: new Date(y, m - 1, d), to: new Date(y, m - 1, d + 1) };
}

function nextDay(day: string): string {
  return formatLocalDate(dayBounds(day).to);
}

export class ReviewService {
  private running: Promise<void> | undefined;
  /** When the last evaluation finished (epoch ms), and the log's version it saw. */
  private lastDoneMs = -Infinity;
  private lastLogVersion = -1;

  constructor(
    private readonly store: ReviewStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The thresholds as saved, each rule falling back to its default where none was saved. */
  async settings(): Promise<ReviewSettings> {
    const saved = (await this.store.readSettings()) as Partial<ReviewSettings> | undefined;
    const merged = { ...DEFAULT_REVIEW_SETTINGS, ...(saved ?? {}) };
    const parsed = reviewSettingsSchema.safeParse(merged);
    // A hand-edited row that no longer fits the schema: the defaults, never no review at all.
    return parsed.success ? parsed.data : DEFAULT_REVIEW_SETTINGS;
  }

  async saveSettings(next: ReviewSettings): Promise<string[]> {
    const before = await this.settings();
    const changed: string[] = [];
    for (const rule of Object.keys(next) as (keyof ReviewSettings)[]) {
      for (const [field, value] of Object.entries(next[rule])) {
        if ((before[rule] as Record<string, unknown>)[field] !== value) {
          changed.push(`review.${rule}.${field}`);
        }
      }
    }
    await this.store.saveSettings(next);
    // New thresholds apply at the next look, not after the freshness wait.
    this.lastDoneMs = -Infinity;
    return changed;
  }

  /**
   * Evaluates every day not yet final, up to today; concurrent callers share one run. A busy
   * day (14k inquiries) costs about 0.2-0.4 s, so callers that come often (Home, the Review
   * screen) skip it when the last run ended less than `maxAgeMs` ago and the log has not
   * changed since (a new row is flagged at the next look, not after the wait).
   */
  async refresh(maxAgeMs = 0): Promise<void> {
    const version = await this.store.logVersion();
    if (
      !this.running &&
      version === this.lastLogVersion &&
      this.now().getTime() - this.lastDoneMs < maxAgeMs
    ) {
      return;
    }
    this.running ??= this.evaluate()
      .then(() => {
        this.lastDoneMs = this.now().getTime();
        this.lastLogVersion = version;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async evaluate(): Promise<void> {
    const now = this.now();
    const today = formatLocalDate(now);
    const lookback = formatLocalDate(
      new Date(now.getFullYear(), now.getMonth(), now.getDate() - MAX_LOOKBACK_DAYS),
    );
    const lastFinal = await this.store.lastFinalDay();
    let day = lastFinal && lastFinal >= lookback ? nextDay(lastFinal) : lookback;
    if (!lastFinal) {
      // A new console or a first review: start at the oldest inquiry within the lookback.
      const first = await this.store.firstInquiryAt(dayBounds(lookback).from.getTime());
      if (first === undefined) return;
      day = formatLocalDate(new Date(first));
    }
    const settings = await this.settings();
    for (; day <= today; day = nextDay(day)) {
      const { from, to } = dayBounds(day);
      const rows = await this.store.rowsBetween(from.getTime(), to.getTime());
      const nowMs = this.now().getTime();
      const final = nowMs >= to.getTime() + SETTLE_MS;
      const flags = evaluateDay(rows, settings, {
        day,
        // Minutes east of UTC on that day (noon: clear of daylight-saving switches).
        utcOffsetMinutes: -new Date(from.getTime() + 12 * 3_600_000).getTimezoneOffset(),
        nowMs,
      });
      await this.store.saveDay(day, rows.length, flags, { nowMs, final });
    }
  }
}
