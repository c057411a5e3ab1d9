// The on-screen preview (SVG) must show the same text in the same columns as the paper
// (the ESC/POS bytes as the emulator's decoder prints them).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  displayWidth,
  formatYuan,
  renderBalanceSlip,
  renderTestPage,
  sampleBalanceSlipData,
} from '../../../../src-main/core/slip';
import type { PaperWidth, SlipLanguage } from '../../../../src-main/core/slip';
import {
  CUT_MARKER,
  EscPosParser,
  EscPosTextRenderer,
} from '../../../../src-main/protocols/escpos';
import { svgToLines } from './svg-lines';

function paperLines(bytes: Uint8Array, columns: number): string[] {
  const renderer = new EscPosTextRenderer(columns);
  for (const { token } of new EscPosParser().push(bytes)) renderer.consume(token);
  // the preview has no cut and no trailing feed
  const lines = renderer.lines.filter((l) => l !== CUT_MARKER);
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

const COMBOS: [PaperWidth, SlipLanguage][] = [
  [58, 'zh-CN'],
  [58, 'en'],
  [80, 'zh-CN'],
  [80, 'en'],
];

describe('SVG preview matches paper column for column', () => {
  it.each(COMBOS)('balance slip %i mm %s', (paper, lang) => {
    const slip = renderBalanceSlip(
      { ...sampleBalanceSlipData(), merchantName: 'A&B <测试> 商户 "1"' },
      { paper, lang, timeZone: 'Asia/Shanghai' },
    );
    const columns = paper === 58 ? 32 : 48;
    expect(slip.svg).toContain(`width="${columns * 12}px"`);
    const preview = svgToLines(slip.svg);
    expect(preview).toEqual(paperLines(slip.bytes, columns));
    expect(preview).toContain(
      lang === 'en'
        ? 'Available' + ' '.repeat(columns - 19) + '￥1,234.56'
        : '可用余额' + ' '.repeat(columns - 18) + '￥1,234.56',
    );
  });

  it.each(COMBOS)('test page %i mm %s', (paper, lang) => {
    const page = renderTestPage({ paper, lang, timeZone: 'UTC' }, '2026-01-02T03:04:05Z');
    expect(svgToLines(page.svg)).toEqual(paperLines(page.bytes, paper === 58 ? 32 : 48));
  });

  it('the preview loads nothing from the network (CSP: no remote content)', () => {
    const slip = renderBalanceSlip(sampleBalanceSlipData(), { paper: 80, lang: 'en' });
    expect(slip.svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(slip.svg).not.toContain('@import');
  });
});

describe('any slip data', () => {
  const text = (max: number) =>
    fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        '0',
        ' ',
        '-',
        '|',
        '{',
        '}',
        '"',
        '^',
        '~',
        '_',
        '=',
        '\\',
        '`',
        '\n',
        '\t',
        '商',
        '户',
        '（',
        '￥',
        '&',
        '<',
      ),
      minLength: 1,
      maxLength: max,
    });
  const data = fc.record({
    merchantName: text(40).filter((s) => s.trim() !== '' && /[^\s]/.test(s.replace(/[\n\t]/g, ''))),
    operatorId: fc.stringMatching(/^[0-9]{1,6}$/),
    availableBalance: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 14n }),
    ledgerBalance: fc.option(fc.integer({ min: -1e9, max: 1e12 }), { nil: undefined }),
    maskedAccount: fc.constantFrom('622202******1234', '138****5678', '6217***********0019'),
    copy: fc.constantFrom('customer' as const, 'merchant' as const),
    reprint: fc.boolean(),
  });

  it('the preview always equals the paper, no line is wider than the paper, the account is masked', () => {
    fc.assert(
      fc.property(
        data,
        fc.constantFrom(58 as const, 80 as const),
        fc.constantFrom('zh-CN' as const, 'en' as const),
        (d, paper, lang) => {
          const slip = renderBalanceSlip(
            { ...sampleBalanceSlipData(), ...d },
            { paper, lang, timeZone: 'UTC' },
          );
          const columns = paper === 58 ? 32 : 48;
          const lines = paperLines(slip.bytes, columns);
          expect(svgToLines(slip.svg)).toEqual(lines);
          for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(columns);
          expect(lines.join('\n')).toContain(d.maskedAccount);
          expect(lines.join('\n')).toContain(formatYuan(d.availableBalance));
        },
      ),
      { numRuns: 60 },
    );
  });
});
