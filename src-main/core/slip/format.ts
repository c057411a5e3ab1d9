// What goes on paper, checked for paper: the rules themselves live in common/ (money, masking,
// date and time, shared with the screens and the log); these wrappers refuse bad data with a
// SlipError before a single byte is printed.
import {
  formatLocalDateTime as commonDateTime,
  formatYuan as commonYuan,
  isMaskedAccount,
} from '../../common';
import { SlipError } from './errors';
import type { MinorUnits } from './types';

/** 123456 fen -> "￥1,234.56"; negative balances get a leading minus. */
export function formatYuan(amount: MinorUnits): string {
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) {
    throw new SlipError('SLIP_BAD_AMOUNT');
  }
  return commonYuan(amount);
}

/**
 * Refuses anything that could be a full card number (common/masking.ts `isMaskedAccount`, the
 * transaction log's rule: at least 3 '*', no run of more than 6 digits, at most 10 digits in
 * all, at most 40 characters). Throws instead of printing.
 */
export function assertMasked(account: string): string {
  if (!isMaskedAccount(account)) {
    throw new SlipError('SLIP_ACCOUNT_NOT_MASKED');
  }
  return account;
}

/** "2026-11-23 21:30:05" in the given IANA zone (or the machine's zone). */
export function formatLocalDateTime(value: Date | string, timeZone?: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) {
    throw new SlipError('SLIP_BAD_DATE');
  }
  return commonDateTime(date, timeZone);
}
