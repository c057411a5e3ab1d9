// How account numbers are shown wherever they leave the code that needs them in full (screens,
// slips, logs, the transaction log): one rule per kind of number, the middle digits as '*'.
//   bank card (PAN)          first 6 / last 4   622202******1234
//   mobile phone (wallet)    first 3 / last 4   138****5678
//   wallet account number    first 4 / last 4   8800********5678
// (ARCHITECTURE.md, "Sensitive data"; host/wallet/PROTOCOL.md, "Accounts".)

/** Digits kept visible at each end, per kind of number. */
export const MASK_RULES = {
  pan: { first: 6, last: 4 },
  phone: { first: 3, last: 4 },
  walletId: { first: 4, last: 4 },
} as const;

/**
 * Keeps `first` and `last` digits and stars the rest; any character other than a digit is
 * dropped first. A number too short to keep both ends and hide something is all stars.
 */
function maskDigits(text: string, first: number, last: number): string {
  const digits = text.replace(/\D/g, '');
  if (digits.length <= first + last) return '*'.repeat(digits.length);
  return digits.slice(0, first) + '*'.repeat(digits.length - first - last) + digits.slice(-last);
}

/** 6222021234561234 -> 622202******1234 (spaces and dashes dropped). */
export function maskPan(pan: string): string {
  return maskDigits(pan, MASK_RULES.pan.first, MASK_RULES.pan.last);
}

/** 13812345678 -> 138****5678 */
export function maskPhone(phone: string): string {
  return maskDigits(phone, MASK_RULES.phone.first, MASK_RULES.phone.last);
}

/** 8800123456785678 -> 8800********5678 */
export function maskWalletId(walletId: string): string {
  return maskDigits(walletId, MASK_RULES.walletId.first, MASK_RULES.walletId.last);
}

/** Longest run of digits a masked account may show (the first 6 of a PAN). */
const MAX_DIGIT_RUN = 6;
/** Digits a masked account may show in all (6 + 4). */
const MAX_VISIBLE_DIGITS = 10;

/**
 * Whether `text` is safe to store or print as an account: at least 3 '*', no run of more than
 * 6 digits, at most 10 digits in all, at most 40 characters, and no white space or track
 * separator ('=', '^'). Whatever the functions above produce passes; a full or half-masked
 * card number does not. The transaction log refuses, and the slip will not print, anything else.
 */
export function isMaskedAccount(text: string): boolean {
  const runs = text.match(/\d+/g) ?? [];
  const digits = runs.reduce((n, run) => n + run.length, 0);
  const longestRun = Math.max(0, ...runs.map((run) => run.length));
  const stars = (text.match(/\*/g) ?? []).length;
  return (
    stars >= 3 &&
    longestRun <= MAX_DIGIT_RUN &&
    digits <= MAX_VISIBLE_DIGITS &&
    text.length <= 40 &&
    !/[\s=^]/.test(text)
  );
}
