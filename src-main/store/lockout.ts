// Lockout after repeated wrong passwords: the lock ends by itself after a time limit that
// grows with each lockout in a row, so the only supervisor can never be locked out for good
// (a supervisor, or `cashier operators unlock`, can still end it at once). See README.md.
import { formatLocalDate, formatLocalTime } from '../common';

/** Failed logins in a row that lock an operator. */
export const MAX_FAILED_LOGINS = 5;

/** How long the 1st, 2nd, 3rd, 4th and later lockouts in a row last, in minutes. */
export const LOCKOUT_MINUTES: readonly number[] = [5, 15, 60, 240];

/** Length of the `count`-th lockout in a row (1 = the first), capped at the last step. */
export function lockoutMs(count: number): number {
  const step = Math.min(Math.max(count, 1), LOCKOUT_MINUTES.length) - 1;
  return LOCKOUT_MINUTES[step]! * 60_000;
}

/** "5 min" / "1 h 30 min", rounded up to the minute. */
function waitWords(ms: number): [en: string, zh: string] {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return [`${m} min`, `${m} 分钟`];
  return m === 0 ? [`${h} h`, `${h} 小时`] : [`${h} h ${m} min`, `${h} 小时 ${m} 分钟`];
}

export interface LockedNotice {
  /** ISO 8601, UTC: when the operator may try again. */
  lockedUntil: string;
  retryAfterSeconds: number;
  message: string;
  messageZh: string;
}

/**
 * What to tell someone whose operator is locked until `until`: when to try again (this PC's
 * local time and the wait), in both languages.
 */
export function lockedNotice(until: Date, now: Date): LockedNotice {
  const left = Math.max(0, until.getTime() - now.getTime());
  const at = formatLocalTime(until, undefined, { seconds: false });
  const sameDay = until.toDateString() === now.toDateString();
  const day = sameDay
    ? ['', '']
    : [`${formatLocalDate(until)} `, `${until.getMonth() + 1}月${until.getDate()}日 `];
  const [waitEn, waitZh] = waitWords(left);
  return {
    lockedUntil: until.toISOString(),
    retryAfterSeconds: Math.ceil(left / 1000),
    message: `This operator is locked after too many wrong passwords. Try again after ${day[0]}${at} (in ${waitEn}), or ask a supervisor to unlock it.`,
    messageZh: `该操作员因密码错误次数过多已被锁定，请在 ${day[1]}${at}（${waitZh}后）再试，或请主管解锁。`,
  };
}
