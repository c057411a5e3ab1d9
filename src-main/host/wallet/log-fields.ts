// How a payment-account inquiry lands in the transaction log, the same columns as a card
// inquiry (store/transactions: accountKind 'wallet', masked account, entry mode, outcome...).
// Kept here so the workflow does not have to know the wallet error kinds.
import { WalletError } from './errors';
import type { WalletBalance } from './types';

export type WalletEntryMode = 'sms-code' | 'pay-password';

export function walletEntryMode(by: WalletBalance['verifiedBy']): WalletEntryMode {
  return by === 'sms' ? 'sms-code' : 'pay-password';
}

export interface WalletLogFields {
  /** approved = balance shown; declined = the host refused; failed = no trustworthy answer. */
  outcome: 'approved' | 'declined' | 'failed';
  /** 'approved', or the error kind: refused, timeout, network, tls, bad-response, input, config. */
  responseClass: string;
  /** Host reference (≤ 12 characters), in the RRN column. */
  rrn: string | null;
  ledgerFen: number | null;
  availableFen: number | null;
  currency: string | null;
  /** Stable wallet error code, e.g. SMS_CODE_WRONG, RESPONSE_TIMEOUT. */
  errorCode: string | null;
  errorMessage: string | null;
}

export function walletLogFields(result: WalletBalance | WalletError): WalletLogFields {
  if (result instanceof WalletError) {
    return {
      outcome: result.kind === 'refused' ? 'declined' : 'failed',
      responseClass: result.kind,
      rrn: null,
      ledgerFen: null,
      availableFen: null,
      currency: null,
      errorCode: result.code,
      errorMessage: `${result.messageZh} / ${result.message}`,
    };
  }
  return {
    outcome: 'approved',
    responseClass: 'approved',
    rrn: result.reference,
    ledgerFen: result.ledgerFen,
    availableFen: result.availableFen,
    currency: result.currency,
    errorCode: null,
    errorMessage: null,
  };
}
