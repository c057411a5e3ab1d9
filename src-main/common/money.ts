// Money as a Chinese cashier reads it. Amounts are integers in fen (1/100 yuan) everywhere, so
// no floating point ever rounds a balance.

/** Full-width yen U+FFE5 (GB2312 A3 A4, which every Chinese printer font has). */
export const YUAN_SIGN = '\uFFE5';

/** Shown where there is no amount (e.g. a host that sent no ledger balance). */
export const NO_AMOUNT = '—';

function split(fen: number | bigint): { negative: boolean; yuan: string; cents: string } {
  if (typeof fen === 'number' && !Number.isSafeInteger(fen)) {
    throw new RangeError(`An amount must be a whole number of fen, got ${fen}`);
  }
  if (typeof fen === 'number') {
    const abs = Math.abs(fen);
    return {
      negative: fen < 0,
      yuan: String(Math.trunc(abs / 100)),
      cents: String(abs % 100).padStart(2, '0'),
    };
  }
  const abs = fen < 0n ? -fen : fen;
  return {
    negative: fen < 0n,
    yuan: (abs / 100n).toString(),
    cents: (abs % 100n).toString().padStart(2, '0'),
  };
}

/** 123456 fen -> "￥1,234.56"; a negative balance gets a leading minus: "-￥123.45". */
export function formatYuan(fen: number | bigint): string {
  const { negative, yuan, cents } = split(fen);
  return `${negative ? '-' : ''}${YUAN_SIGN}${yuan.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** Like formatYuan, with NO_AMOUNT ("—") when there is no amount. */
export function formatYuanOrNone(fen: number | bigint | null | undefined): string {
  return fen === null || fen === undefined ? NO_AMOUNT : formatYuan(fen);
}

/** 123456 fen -> "1234.56", no sign or separators: a number a spreadsheet reads as one (CSV). */
export function formatYuanPlain(fen: number | bigint): string {
  const { negative, yuan, cents } = split(fen);
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}
