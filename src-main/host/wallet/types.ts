// What the wallet client hands back to the workflow, and the wire shapes it checks replies
// against (PROTOCOL.md, "Endpoints").
import { z } from 'zod';
import type { Balance } from '../../protocols/iso8583/balance';
import type { WalletAccountKind } from './account';

export const WALLET_PATHS = {
  smsCode: '/wallet/v1/sms-code',
  balance: '/wallet/v1/balance',
  echo: '/wallet/v1/echo',
  pinKey: '/wallet/v1/pin-key',
} as const;

/** ISO 4217 numeric code of the renminbi, as in ISO 8583 field 49. */
export type CurrencyCode = '156';

/** Answer to an SMS code request: where the code went and how long it lives. */
export interface SmsCodeSent {
  accountMasked: string;
  /** The bound mobile number the host texted, masked (138****5678). */
  sentToMasked: string;
  expiresInSeconds: number;
  /** The host refuses another code for this account before this many seconds. */
  resendAfterSeconds: number;
}

/**
 * A payment account balance. Amounts in fen (1/100 yuan), signed (a negative ledger is possible),
 * like the card balances from ISO 8583 field 54 (amount type 01 ledger, 02 available).
 */
export interface WalletBalance {
  accountKind: WalletAccountKind;
  accountMasked: string;
  /** Holder name as the host shows it, already masked by the host (e.g. *三). */
  holderMasked: string;
  ledgerFen: number;
  availableFen: number;
  currency: CurrencyCode;
  /** The same two amounts in the card balance shape (F54 entry, account type `00`). */
  ledger: Balance;
  available: Balance;
  /** Host reference of this inquiry (1-12 letters or digits, like an RRN), for the log and slip. */
  reference: string;
  /** Host time of the answer, ISO 8601 UTC. */
  hostTime: string;
  /** How the customer proved the account. */
  verifiedBy: 'sms' | 'password';
}

/** A signed fen amount as a card balance entry: amount type 01 ledger, 02 available. */
export function walletAmountAsBalance(kind: 'ledger' | 'available', signedFen: number): Balance {
  return {
    accountType: '00',
    amountTypeCode: kind === 'ledger' ? '01' : '02',
    kind,
    currency: '156',
    sign: signedFen < 0 ? 'D' : 'C',
    amountFen: Math.abs(signedFen),
    signedFen,
  };
}

const fen = z.number().int().safe();

export const smsCodeReplySchema = z.object({
  ok: z.literal(true),
  accountMasked: z.string().min(1).max(32),
  sentToMasked: z.string().min(1).max(32),
  expiresInSeconds: z.number().int().positive(),
  resendAfterSeconds: z.number().int().nonnegative(),
});

export const balanceReplySchema = z.object({
  ok: z.literal(true),
  accountKind: z.enum(['phone', 'walletId']),
  accountMasked: z.string().min(1).max(32),
  holderMasked: z.string().max(32),
  ledgerFen: fen,
  availableFen: fen,
  currency: z.literal('156'),
  reference: z.string().regex(/^[0-9A-Za-z]{1,12}$/),
  hostTime: z.string().min(1).max(40),
});

export const pinKeyReplySchema = z.object({
  ok: z.literal(true),
  keyUnderMasterKey: z.string().regex(/^[0-9A-Fa-f]{32}$/),
  checkValue: z.string().regex(/^[0-9A-Fa-f]{8}$/),
});

/** The payment-password PIN key as the host sends it: under the terminal's wallet master key. */
export interface WalletPinKey {
  keyUnderMasterKey: Buffer;
  /** First 4 bytes of 3DES-ECB(8 x 00) under the clear key. */
  checkValue: Buffer;
}

export const echoReplySchema = z.object({
  ok: z.literal(true),
  hostTime: z.iso.datetime(),
});

/** Answer to a connection test: the host is there, keys agree, and how far the clocks differ. */
export interface WalletEcho {
  hostTime: string;
  /** Host clock minus terminal clock (ms, rounded to the request midpoint). Over ±300 000 the
   *  host refuses requests as STALE_TIMESTAMP. */
  clockOffsetMs: number;
}

export const errorReplySchema = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.string().min(1).max(40),
    message: z.string(),
    messageZh: z.string(),
    triesLeft: z.number().int().nonnegative().optional(),
  }),
});
