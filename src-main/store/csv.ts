// CSV export of the transaction log for a supervisor, made for Excel on Chinese Windows:
// UTF-8 with a BOM (else Excel guesses GBK and garbles 中文), CRLF line ends, bilingual headers.
// Amounts and times follow the console's one format (common/), as plain cells: 1234.56 (a number
// Excel can add up) and 2026-11-23 21:30:05 at the export's UTC offset.
import { formatLocalDateTime, formatYuanPlain } from '../common';
import type { InquiryRecord } from './transactions';

const COLUMNS: [string, (r: InquiryRecord, fmt: (iso: string | null) => string) => string][] = [
  ['编号 ID', (r) => String(r.id)],
  ['时间 Time', (r, fmt) => fmt(r.createdAt)],
  ['操作员 Operator', (r) => r.operatorNo],
  ['账户类型 Account kind', (r) => (r.accountKind === 'card' ? '银行卡 card' : '支付账户 wallet')],
  ['账号 Account', (r) => r.maskedAccount],
  ['读卡方式 Entry mode', (r) => r.entryMode],
  ['流水号 STAN', (r) => r.stan ?? ''],
  ['参考号 RRN', (r) => r.rrn ?? ''],
  ['结果 Outcome', (r) => r.outcome],
  ['应答码 Response code', (r) => r.responseCode ?? ''],
  ['应答类别 Response class', (r) => r.responseClass ?? ''],
  ['账面余额 Ledger balance', (r) => yuan(r.ledgerFen)],
  ['可用余额 Available balance', (r) => yuan(r.availableFen)],
  ['币种 Currency', (r) => r.currency ?? ''],
  ['耗时毫秒 Duration ms', (r) => (r.durationMs === null ? '' : String(r.durationMs))],
  ['打印次数 Prints', (r) => String(r.printedCount)],
  ['培训 Training', (r) => (r.training ? '是 yes' : '否 no')],
  ['错误码 Error code', (r) => r.errorCode ?? ''],
  ['错误信息 Error message', (r) => r.errorMessage ?? ''],
];

/** An amount cell: 123456 fen -> 1234.56; empty when there is none. */
export function yuan(fen: number | null): string {
  return fen === null ? '' : formatYuanPlain(fen);
}

/**
 * Quotes when needed, and defuses cells Excel would run as a formula (= + - @ at the start)
 * by prefixing a quote mark — a negative amount is left as a number.
 */
export function csvCell(value: string): string {
  let v = value;
  if (/^[=+@\t\r]/.test(v) || (/^-/.test(v) && !/^-\d+(\.\d+)?$/.test(v))) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A time cell: `YYYY-MM-DD HH:mm:ss` at a fixed UTC offset (minutes east of UTC). */
function localTime(iso: string | null, offsetMinutes: number): string {
  return iso === null ? '' : formatLocalDateTime(iso, { utcOffsetMinutes: offsetMinutes });
}

export const CSV_BOM = '\uFEFF';

export function csvHeader(): string {
  return `${CSV_BOM}${COLUMNS.map(([h]) => csvCell(h)).join(',')}\r\n`;
}

export function csvRows(rows: InquiryRecord[], offsetMinutes: number): string {
  const fmt = (iso: string | null): string => localTime(iso, offsetMinutes);
  return rows
    .map((r) => `${COLUMNS.map(([, get]) => csvCell(get(r, fmt))).join(',')}\r\n`)
    .join('');
}
