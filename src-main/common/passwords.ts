// Password rules both sides apply: how many past passwords may not come back, when the screens
// start reminding of expiry, and where a password stands against the expiry setting.

/** A new password may not be any of the operator's last this many (the current one included). */
export const PASSWORD_HISTORY = 5;

/** Days before expiry from which the login and Home screens remind the operator. */
export const PASSWORD_REMINDER_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Where a password stands against the expiry setting (0 = never): expired, and whole days left
 * (rounded up; null when it never expires). The one rule for the login and the reminders.
 */
export function passwordExpiry(
  changedAtIso: string,
  maxAgeDays: number,
  now: Date,
): { expired: boolean; daysLeft: number | null; expiresAt: string | null } {
  if (maxAgeDays <= 0) return { expired: false, daysLeft: null, expiresAt: null };
  const expiresMs = Date.parse(changedAtIso) + maxAgeDays * DAY_MS;
  const leftMs = expiresMs - now.getTime();
  return {
    expired: leftMs <= 0,
    daysLeft: Math.max(0, Math.ceil(leftMs / DAY_MS)),
    expiresAt: new Date(expiresMs).toISOString(),
  };
}
