// Money and dates as a Chinese cashier reads them: ￥1,234.56 and local date-times.
import type { Language } from '../src-main/contract';

/** Fen to ￥1,234.56 (full-width yen, as on the slip); negative balances keep their sign. */
export function yuan(fen: number | null): string {
  if (fen === null) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}￥${whole}.${String(abs % 100).padStart(2, '0')}`;
}

export function localDateTime(iso: string, language: Language): string {
  return new Date(iso).toLocaleString(language, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

export function todayLocal(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
