// What a slip shows. The core fills BalanceSlipData from the transaction log row, so a slip
// can be reprinted later from the log alone. It never carries a full card number.

export type SlipLanguage = 'zh-CN' | 'en';
/** Paper width in mm: 58 mm paper prints 32 columns, 80 mm paper 48 (font A). */
export type PaperWidth = 58 | 80;
export type AccountKind = 'bank-card' | 'payment-account';
export type SlipCopy = 'customer' | 'merchant';

/** Money in minor units (fen). Integers only, so no floating-point rounding on paper. */
export type MinorUnits = number | bigint;

export interface BalanceSlipData {
  merchantName: string;
  /** 15-digit merchant ID (field 42). */
  merchantId: string;
  /** 8-character terminal ID (field 41). */
  terminalId: string;
  /** Operator number of the cashier who ran the inquiry. */
  operatorId: string;
  /** When the inquiry happened; printed in local time (see SlipOptions.timeZone). */
  dateTime: Date | string;
  accountKind: AccountKind;
  /** Already masked: a card as 6+4 (622202******1234), an account e.g. 138****5678. */
  maskedAccount: string;
  /** Ledger (book) balance; omitted when the host did not return one. */
  ledgerBalance?: MinorUnits;
  availableBalance: MinorUnits;
  /** Retrieval reference number (field 37), or the wallet host's reference; row left out when absent. */
  rrn?: string;
  /** System trace audit number (field 11); payment accounts have none, and the row is left out. */
  trace?: string;
  copy: SlipCopy;
  /** A slip of this inquiry was printed before: this one says it is a copy (重打印). */
  reprint?: boolean;
  /** A training-mode inquiry: the slip says so at the top and the bottom. */
  training?: boolean;
  /** Optional short text for a small QR code (e.g. the RRN for look-up). */
  qr?: string;
}

export interface SlipOptions {
  paper: PaperWidth;
  lang: SlipLanguage;
  /** IANA time zone for the printed date and time; default: the machine's local zone. */
  timeZone?: string;
}

export function columnsFor(paper: PaperWidth): number {
  return paper === 58 ? 32 : 48;
}
