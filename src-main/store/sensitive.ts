// Guards that keep card numbers, track data and PIN blocks out of the database file.
import { StoreError } from './errors';

/** Longest run of digits a masked account may show (first 6 of a PAN). */
const MAX_VISIBLE_DIGIT_RUN = 6;

/**
 * Accepts only a masked account: at least 3 '*', no run of more than 6 digits, printable,
 * at most 40 characters. `622202******1234` and `138****5678` pass; `6222020000001234` is
 * refused with FULL_PAN_REFUSED.
 */
export function assertMaskedAccount(masked: string): void {
  const digitRuns = masked.match(/\d+/g) ?? [];
  const longest = Math.max(0, ...digitRuns.map((r) => r.length));
  const stars = (masked.match(/\*/g) ?? []).length;
  if (longest > MAX_VISIBLE_DIGIT_RUN || stars < 3 || masked.length > 40 || /[\s=^]/.test(masked)) {
    throw new StoreError(
      'FULL_PAN_REFUSED',
      'Refused to store an account number that is not masked (show at most the first 6 and last 4 digits, e.g. 622202******1234)',
      '拒绝保存未遮蔽的卡号或账号（最多显示前6位和后4位，例如 622202******1234）',
    );
  }
}

/** Last 4 visible characters of a masked account, used for "search by last 4 digits". */
export function lastFourOf(masked: string): string {
  return masked.slice(-4);
}

/**
 * Masks anything in free text that could be a PAN or track (13 to 19 digits, possibly split
 * by spaces or dashes) or a PIN block / key (16 or more hex digits). Used for error messages
 * and audit details, which come from places the store does not control.
 */
export function scrubSensitive(text: string): string {
  return text
    .replace(/\d(?:[ -]?\d){12,18}/g, (m) => {
      const digits = m.replace(/[ -]/g, '');
      return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
    })
    .replace(/\b[0-9A-Fa-f]{16,}\b/g, '***');
}
