// Time bounds of log queries: what a caller passes (ISO text or a Date) as epoch milliseconds,
// and a local day as a [from, to) range.
import { badInput } from './errors';

/** An ISO date-time or a Date as epoch ms; anything else is BAD_INPUT naming the field. */
export function toMillis(value: string | Date, field: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw badInput(field, field === 'from' ? '开始时间' : '结束时间');
  return ms;
}

/** The local day `YYYY-MM-DD` at `offsetMinutes` east of UTC, as [from, to) epoch ms. */
export function localDayRange(day: string, offsetMinutes: number): { from: number; to: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw badInput('day', '日期');
  const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(utcMidnight)) throw badInput('day', '日期');
  const from = utcMidnight - offsetMinutes * 60_000;
  return { from, to: from + 24 * 60 * 60 * 1000 };
}
