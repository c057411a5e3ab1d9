// Guards that keep card numbers, track data and PIN blocks out of the database file. What
// counts as masked, and how a card number is masked, is the console's one rule
// (common/masking.ts).
import { isMaskedAccount, maskPan } from '../common';
import { StoreError } from './errors';

/**
 * Accepts only a masked account (`isMaskedAccount`: at least 3 '*', no run of more than 6
 * digits, at most 10 digits in all, no white space, at most 40 characters).
 * `622202******1234` and `138****5678` pass; `6222020000001234` is refused with FULL_PAN_REFUSED.
 */
export function assertMaskedAccount(masked: string): void {
  if (!isMaskedAccount(masked)) {
    throw new StoreError('FULL_PAN_REFUSED');
  }
}

/** Last 4 visible characters of a masked account, used for "search by last 4 digits". */
export function lastFourOf(masked: string): string {
  return masked.slice(-4);
}

/**
 * Masks anything in free text that could be a PAN or track (13 to 19 digits, possibly split
 * by spaces or dashes) to first 6 / last 4, and a PIN block / key (16 or more hex digits) to
 * `***`. Used for error messages and audit details, which come from places the store does not
 * control.
 */
export function scrubSensitive(text: string): string {
  return text
    .replace(/\d(?:[ -]?\d){12,18}/g, (m) => maskPan(m))
    .replace(/\b[0-9A-Fa-f]{16,}\b/g, '***');
}
