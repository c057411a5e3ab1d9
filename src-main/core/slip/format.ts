// Formatting rules for what goes on paper: money, masked accounts, local date and time.
import { SlipError } from './errors';
import type { MinorUnits } from './types';

/** Full-width yen U+FFE5: GB2312 A3 A4, which every Chinese printer font has. */
export const YUAN_SIGN = '\uFFE5';

/** 123456 fen -> "￥1,234.56"; negative balances get a leading minus. */
export function formatYuan(amount: MinorUnits): string {
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) {
    throw new SlipError(
      'SLIP_BAD_DATA',
      'Amount must be a whole number of fen',
      '金额格式错误（须为整数分）',
    );
  }
  const value = BigInt(amount);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fen = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${YUAN_SIGN}${yuan}.${fen}`;
}

const MAX_VISIBLE_DIGITS = 10;
const MAX_DIGIT_RUN = 6;

/**
 * Refuses anything that could be a full card number. Same rule as the transaction log
 * (store/sensitive.ts): at least 3 '*', no run of more than 6 digits, at most 40 characters;
 * and at most 10 digits in all (6+4). Throws instead of printing.
 */
export function assertMasked(account: string): string {
  const digits = (account.match(/\d/g) ?? []).length;
  const longestRun = Math.max(0, ...(account.match(/\d+/g) ?? []).map((r) => r.length));
  const stars = (account.match(/\*/g) ?? []).length;
  if (
    stars < 3 ||
    digits > MAX_VISIBLE_DIGITS ||
    longestRun > MAX_DIGIT_RUN ||
    account.length > 40
  ) {
    throw new SlipError(
      'SLIP_ACCOUNT_NOT_MASKED',
      'Refusing to print an account number that is not masked (at most the first 6 and last 4 digits)',
      '账号未做掩码处理，拒绝打印',
    );
  }
  return account;
}

/** "2026-11-23 21:30:05" in the given IANA zone (or the machine's zone). */
export function formatLocalDateTime(value: Date | string, timeZone?: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    throw new SlipError('SLIP_BAD_DATA', 'Invalid date and time', '日期时间无效');
  }
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}
