// Payment account numbers as the cashier types them: an 11-digit mainland mobile number or a
// 16-digit wallet account number. Also the 12 digits that stand in for the PAN when the PIN pad
// builds an ISO 9564 format 0 block for a payment password (PROTOCOL.md, "Payment password").
import { maskPhone, maskWalletId } from '../../common';
import { WalletInputError } from './errors';

export type WalletAccountKind = 'phone' | 'walletId';

export interface WalletAccount {
  kind: WalletAccountKind;
  /** Digits only, spaces and dashes removed. */
  value: string;
}

/** Accepts spaces and dashes as typed; anything else is refused with ACCOUNT_INVALID. */
export function parseWalletAccount(input: string): WalletAccount {
  const value = input.replace(/[\s-]/g, '');
  if (/^1[3-9]\d{9}$/.test(value)) return { kind: 'phone', value };
  if (/^\d{16}$/.test(value)) return { kind: 'walletId', value };
  throw new WalletInputError('ACCOUNT_INVALID');
}

/** 138****5678 for a phone, 8800********5678 for a wallet account number (common/masking.ts). */
export function maskWalletAccount(account: WalletAccount | string): string {
  const { kind, value } = typeof account === 'string' ? parseWalletAccount(account) : account;
  return kind === 'phone' ? maskPhone(value) : maskWalletId(value);
}

/**
 * The 12-digit "PAN field" for a format 0 payment-password block: the account's rightmost
 * 12 digits, left-padded with 0 (a phone number has 11). This is what a PIN pad command that
 * takes "12 PAN digits" (CN-EPP `37`) must receive.
 */
export function walletPinPanField(account: WalletAccount | string): string {
  const { value } = typeof account === 'string' ? parseWalletAccount(account) : account;
  return value.slice(-12).padStart(12, '0');
}

/**
 * The same 12 digits followed by a dummy check digit `0`, for helpers that take a full PAN and
 * drop its last (check) digit themselves, e.g. `pinBlockFormat0(pin, walletPinBlockPan(acct))`.
 */
export function walletPinBlockPan(account: WalletAccount | string): string {
  return `${walletPinPanField(account)}0`;
}
