// Slip templates: data in, ReceiptLine markup out. The same markup is turned into ESC/POS
// bytes for paper and into SVG for the screen, so both show the same columns.
import { YUAN_SIGN } from '../../common';
import { assertMasked, formatLocalDateTime, formatYuan } from './format';
import { SlipError, type RequiredSlipField } from './errors';
import { SLIP_LABELS } from './labels';
import { labelValueLines, wrapText } from './layout';
import { columnsFor } from './types';
import type { BalanceSlipData, SlipOptions } from './types';

/** Escapes characters that ReceiptLine treats as markup in text; spaces become `~`. */
export function escapeText(text: string): string {
  return text.replace(/[\\|{}\-=~_"`^]/g, (c) => `\\${c}`).replace(/ /g, '~');
}

/** Escapes characters that ReceiptLine treats as markup in a property value. */
function escapeProperty(text: string): string {
  // \xNN is the one escape ReceiptLine accepts for every special character in a value.
  return text.replace(/[\\|{}:;]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * A rule made of '-' characters instead of ReceiptLine's `---`, which prints a code-page
 * box-drawing glyph that some Chinese clones lack.
 */
function rule(columns: number): string {
  return '\\-'.repeat(columns);
}

/** Left-aligned lines already padded to the paper width; `style` is '"' (bold) or ''. */
function rows(label: string, value: string, columns: number, style = ''): string[] {
  return labelValueLines(label, value, columns).map((l) => `|${style}${escapeText(l)}${style}`);
}

/** Centered lines, wrapped to the paper width; `style` is e.g. '"' or '^^'. */
function centered(text: string, columns: number, style = ''): string[] {
  return wrapText(text, columns).map(
    (l) => `${style}${escapeText(l)}${style.startsWith('"') ? '"' : ''}`,
  );
}

/** Control characters and odd spaces would break the markup's line structure. */
function sanitize(value: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u00a0\u2028\u2029]/g, ' ').trim();
}

function requireText(value: string, field: RequiredSlipField): string {
  const clean = typeof value === 'string' ? sanitize(value) : '';
  if (clean === '') throw new SlipError('SLIP_FIELD_MISSING', { field });
  return clean;
}

/** Optional rows (reference, trace) are printed only when the inquiry has them. */
function optionalText(value: string | undefined): string | undefined {
  const clean = typeof value === 'string' ? sanitize(value) : '';
  return clean === '' ? undefined : clean;
}

/** ReceiptLine markup for a balance slip. Throws SlipError for an unmasked account. */
export function balanceSlipMarkup(data: BalanceSlipData, options: SlipOptions): string {
  const labels = SLIP_LABELS[options.lang];
  const columns = columnsFor(options.paper);
  const account = assertMasked(requireText(data.maskedAccount, 'maskedAccount'));
  const row = (label: string, value: string, style = ''): string[] =>
    rows(label, value, columns, style);
  const copy =
    data.copy === 'customer' && data.accountKind === 'bank-card'
      ? labels.cardholderCopy
      : labels.copy[data.copy];
  const trainingMark = data.training ? centered(labels.training, columns, '"') : [];
  const lines: string[] = [
    ...centered(requireText(data.merchantName, 'merchantName'), columns, '"'),
    ...centered(labels.title, columns, '^^'),
    ...trainingMark,
    ...centered(copy + (data.reprint ? ` (${labels.reprint})` : ''), columns),
    rule(columns),
    ...row(labels.merchantId, requireText(data.merchantId, 'merchantId')),
    ...row(labels.terminalId, requireText(data.terminalId, 'terminalId')),
    ...row(labels.operator, requireText(data.operatorId, 'operatorId')),
    ...row(labels.dateTime, formatLocalDateTime(data.dateTime, options.timeZone)),
    rule(columns),
    ...row(labels.accountKind, labels.accountKinds[data.accountKind]),
    ...row(labels.accountNumber[data.accountKind], account),
  ];
  if (data.ledgerBalance !== undefined) {
    lines.push(...row(labels.ledgerBalance, formatYuan(data.ledgerBalance)));
  }
  lines.push(...row(labels.availableBalance, formatYuan(data.availableBalance), '"'));
  const rrn = optionalText(data.rrn);
  const trace = optionalText(data.trace);
  if (rrn || trace) {
    lines.push(rule(columns));
    if (rrn) lines.push(...row(labels.rrn[data.accountKind], rrn));
    if (trace) lines.push(...row(labels.trace, trace));
  }
  lines.push(rule(columns), ...centered(labels.noMoneyMoved, columns), ...trainingMark);
  if (data.qr) {
    lines.push(`{code:${escapeProperty(data.qr)};option:qrcode,3,l}`);
  }
  return `${lines.join('\n')}\n`;
}

/** ReceiptLine markup for a printer test page: a column ruler, Chinese text, ￥, a cut. */
export function testPageMarkup(options: SlipOptions, now: Date | string = new Date()): string {
  const labels = SLIP_LABELS[options.lang];
  const columns = columnsFor(options.paper);
  const ruler = Array.from({ length: columns }, (_, i) => String((i + 1) % 10)).join('');
  return (
    [
      ...centered(labels.testTitle, columns, '^^'),
      ...centered(formatLocalDateTime(now, options.timeZone), columns),
      rule(columns),
      `|${ruler}`,
      ...wrapText(labels.testChinese, columns).map((l) => `|${escapeText(l)}`),
      ...rows(labels.testPaper, `${options.paper} mm`, columns),
      ...rows(labels.testColumns, String(columns), columns),
      ...rows(labels.testAmount, `${YUAN_SIGN}1,234.56`, columns),
      rule(columns),
      ...centered(labels.testEnd, columns),
    ].join('\n') + '\n'
  );
}
