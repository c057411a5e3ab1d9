// CSV export of the transaction log for a supervisor, made for Excel on Chinese Windows:
// UTF-8 with a BOM (else Excel guesses GBK and garbles 中文), CRLF line ends, bilingual headers.
// Amounts and times follow the console's one format (common/), as plain cells: 1234.56 (a number
// Excel can add up) and 2026-11-23 21:30:05 at the export's UTC offset.
import { formatLocalDateTime, formatYuanPlain } from '../common';
import type { InquiryRecord } from './transactions';

/**
 * The language of a report: `zh-CN` (Chinese headers and values: 成功, 刷卡, 人民币) or `en`, as
 * the screen that asked for it. Without one (the command line), the headers are bilingual and
 * the values the log's own codes, as before.
 */
export type CsvLanguage = 'zh-CN' | 'en';

type Words = Record<string, { zh: string; en: string }>;

const OUTCOME_WORDS: Words = {
  approved: { zh: '成功', en: 'Approved' },
  declined: { zh: '拒绝', en: 'Declined' },
  failed: { zh: '失败', en: 'Failed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  unknown: { zh: '结果未知', en: 'Outcome unknown' },
};

const ENTRY_WORDS: Words = {
  swipe: { zh: '刷卡', en: 'Swipe' },
  chip: { zh: '插卡', en: 'Chip' },
  contactless: { zh: '挥卡', en: 'Contactless' },
  fallback: { zh: '降级刷卡', en: 'Fallback swipe' },
  manual: { zh: '手工输入', en: 'Manual' },
  'sms-code': { zh: '短信验证码', en: 'SMS code' },
  'pay-password': { zh: '支付密码', en: 'Payment password' },
};

const CURRENCY_WORDS: Words = {
  CNY: { zh: '人民币', en: 'CNY' },
  '156': { zh: '人民币', en: 'CNY' },
};

/** A value in the report's language; the code itself where there are no words for it. */
function word(table: Words, code: string | null, lang: CsvLanguage | undefined): string {
  if (code === null) return '';
  const words = table[code];
  if (!words || !lang) return code;
  return lang === 'zh-CN' ? words.zh : words.en;
}

type Cell = (r: InquiryRecord, fmt: (iso: string | null) => string, lang?: CsvLanguage) => string;

/** [Chinese header, English header, cell]. */
const COLUMNS: [string, string, Cell][] = [
  ['编号', 'ID', (r) => String(r.id)],
  ['时间', 'Time', (r, fmt) => fmt(r.createdAt)],
  ['操作员', 'Operator', (r) => r.operatorNo],
  [
    '账户类型',
    'Account kind',
    (r, _f, lang) =>
      r.accountKind === 'card'
        ? lang === 'zh-CN'
          ? '银行卡'
          : lang === 'en'
            ? 'Bank card'
            : '银行卡 card'
        : lang === 'zh-CN'
          ? '支付账户'
          : lang === 'en'
            ? 'Payment account'
            : '支付账户 wallet',
  ],
  ['账号', 'Account', (r) => r.maskedAccount],
  ['读卡/验证方式', 'Entry or verification', (r, _f, lang) => word(ENTRY_WORDS, r.entryMode, lang)],
  ['流水号', 'STAN', (r) => r.stan ?? ''],
  ['参考号', 'RRN', (r) => r.rrn ?? ''],
  ['结果', 'Outcome', (r, _f, lang) => word(OUTCOME_WORDS, r.outcome, lang)],
  ['应答码', 'Response code', (r) => r.responseCode ?? ''],
  ['应答类别', 'Response class', (r) => r.responseClass ?? ''],
  ['账面余额', 'Ledger balance', (r) => yuan(r.ledgerFen)],
  ['可用余额', 'Available balance', (r) => yuan(r.availableFen)],
  ['币种', 'Currency', (r, _f, lang) => word(CURRENCY_WORDS, r.currency, lang)],
  ['耗时毫秒', 'Duration ms', (r) => (r.durationMs === null ? '' : String(r.durationMs))],
  ['打印次数', 'Prints', (r) => String(r.printedCount)],
  [
    '培训',
    'Training',
    (r, _f, lang) =>
      lang === 'zh-CN'
        ? r.training
          ? '是'
          : '否'
        : lang === 'en'
          ? r.training
            ? 'yes'
            : 'no'
          : r.training
            ? '是 yes'
            : '否 no',
  ],
  ['错误码', 'Error code', (r) => r.errorCode ?? ''],
  ['错误信息', 'Error message', (r) => r.errorMessage ?? ''],
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

export function csvHeader(lang?: CsvLanguage): string {
  const header = ([zh, en]: [string, string, Cell]): string =>
    lang === 'zh-CN' ? zh : lang === 'en' ? en : `${zh} ${en}`;
  return `${CSV_BOM}${COLUMNS.map((c) => csvCell(header(c))).join(',')}\r\n`;
}

export function csvRows(rows: InquiryRecord[], offsetMinutes: number, lang?: CsvLanguage): string {
  const fmt = (iso: string | null): string => localTime(iso, offsetMinutes);
  return rows
    .map((r) => `${COLUMNS.map(([, , get]) => csvCell(get(r, fmt, lang))).join(',')}\r\n`)
    .join('');
}
