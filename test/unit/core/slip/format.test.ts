import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assertMasked,
  balanceSlipMarkup,
  displayWidth,
  formatLocalDateTime,
  formatYuan,
  labelValueLines,
  sampleBalanceSlipData,
  SlipError,
  wrapText,
} from '../../../../src-main/core/slip';

describe('formatYuan', () => {
  it('formats fen as full-width yen with thousands separators', () => {
    expect(formatYuan(123456)).toBe('\uFFE51,234.56');
    expect(formatYuan(0)).toBe('￥0.00');
    expect(formatYuan(5)).toBe('￥0.05');
    expect(formatYuan(100000000)).toBe('￥1,000,000.00');
    expect(formatYuan(-12345)).toBe('-￥123.45');
    expect(formatYuan(123456789012345678n)).toBe('￥1,234,567,890,123,456.78');
  });

  it('rejects fractions of a fen', () => {
    expect(() => formatYuan(1.5)).toThrow(SlipError);
  });

  it('round-trips any amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        const s = formatYuan(fen);
        const back = Math.round(Number(s.replace(/[￥,]/g, '')) * 100);
        expect(back).toBe(fen);
      }),
    );
  });
});

describe('assertMasked', () => {
  it('accepts a 6+4 card and a masked phone account', () => {
    expect(assertMasked('622202******1234')).toBe('622202******1234');
    expect(assertMasked('138****5678')).toBe('138****5678');
  });

  it.each([
    '6222021234567891234',
    '6222021234561234',
    '62220212345*67891234',
    '6222021***12341234',
    '622202*1234',
    '',
  ])('refuses %j', (value) => {
    expect(() => assertMasked(value)).toThrow(
      expect.objectContaining({
        code: 'SLIP_ACCOUNT_NOT_MASKED',
        messageZh: '账号未做掩码处理，拒绝打印',
      }),
    );
  });

  it('the slip template refuses a full PAN before producing anything', () => {
    const data = { ...sampleBalanceSlipData(), maskedAccount: '6222021234567891234' };
    expect(() => balanceSlipMarkup(data, { paper: 58, lang: 'zh-CN' })).toThrow(SlipError);
  });
});

describe('layout', () => {
  it('counts Chinese and full-width characters as two columns', () => {
    expect(displayWidth('卡号 ￥1.00')).toBe(2 * 2 + 1 + 2 + 4);
  });

  it('pads label and value to the exact width, or splits them when too long', () => {
    expect(labelValueLines('卡号', '1234', 10)).toEqual(['卡号  1234']);
    expect(labelValueLines('商户名称', '很长的商户名称', 16)).toEqual([
      '商户名称',
      '  很长的商户名称',
    ]);
  });

  it('wraps English at spaces and Chinese anywhere, never beyond the width', () => {
    expect(wrapText('Balance inquiry only: no money was moved.', 32)).toEqual([
      'Balance inquiry only: no money',
      'was moved.',
    ]);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '余', '额', 'b') }),
        fc.integer({ min: 4, max: 48 }),
        (text, cols) => {
          for (const line of wrapText(text, cols))
            expect(displayWidth(line)).toBeLessThanOrEqual(cols);
        },
      ),
    );
  });
});

describe('formatLocalDateTime', () => {
  it('prints the time in the requested zone', () => {
    expect(formatLocalDateTime('2026-11-23T16:05:09Z', 'Asia/Shanghai')).toBe(
      '2026-11-24 00:05:09',
    );
  });

  it('rejects an invalid date', () => {
    expect(() => formatLocalDateTime('not a date')).toThrow(SlipError);
  });
});
