// F54 balances: 20 characters each = account type n2 + amount type n2 + currency n3 +
// sign C/D + amount n12 in fen (minor units).
import { Iso8583Error } from './errors';

export type AmountKind = 'ledger' | 'available' | 'other';

export interface Balance {
  accountType: string;
  amountTypeCode: string;
  /** 01 ledger, 02 available (ISO 8583 convention; inferred for this dialect). */
  kind: AmountKind;
  /** ISO 4217 numeric, e.g. '156' for CNY. */
  currency: string;
  sign: 'C' | 'D';
  /** Absolute amount in minor units (fen). */
  amountFen: number;
  /** Signed amount in minor units: negative for D (debit balance). */
  signedFen: number;
}

const ENTRY = /^(\d{2})(\d{2})(\d{3})([CD])(\d{12})$/;

export function parseBalances(field: string): Balance[] {
  if (field.length === 0 || field.length % 20 !== 0) {
    throw new Iso8583Error(
      'ISO_BAD_BALANCE',
      'balance data is not a multiple of 20 characters',
      54,
    );
  }
  const out: Balance[] = [];
  for (let i = 0; i < field.length; i += 20) {
    const m = ENTRY.exec(field.slice(i, i + 20));
    if (!m) throw new Iso8583Error('ISO_BAD_BALANCE', `balance entry ${i / 20 + 1} malformed`, 54);
    const amountTypeCode = m[2]!;
    const sign = m[4] as 'C' | 'D';
    const amountFen = Number(m[5]);
    out.push({
      accountType: m[1]!,
      amountTypeCode,
      kind: amountTypeCode === '01' ? 'ledger' : amountTypeCode === '02' ? 'available' : 'other',
      currency: m[3]!,
      sign,
      amountFen,
      signedFen: sign === 'D' ? -amountFen : amountFen,
    });
  }
  return out;
}

export function formatBalance(b: {
  accountType: string;
  amountTypeCode: string;
  currency: string;
  signedFen: number;
}): string {
  const abs = Math.abs(b.signedFen);
  if (!Number.isSafeInteger(abs) || abs > 999_999_999_999) {
    throw new Iso8583Error('ISO_BAD_BALANCE', 'amount does not fit 12 digits', 54);
  }
  const sign = b.signedFen < 0 ? 'D' : 'C';
  return `${b.accountType}${b.amountTypeCode}${b.currency}${sign}${abs.toString().padStart(12, '0')}`;
}
