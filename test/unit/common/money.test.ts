import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatYuan,
  formatYuanOrNone,
  formatYuanPlain,
  NO_AMOUNT,
  YUAN_SIGN,
} from '../../../src-main/common';

describe('money', () => {
  it('formats fen as ￥1,234.56 for people', () => {
    expect(YUAN_SIGN).toBe('\uFFE5');
    expect(formatYuan(123456)).toBe('￥1,234.56');
    expect(formatYuan(0)).toBe('￥0.00');
    expect(formatYuan(-5)).toBe('-￥0.05');
    expect(formatYuan(123456789012345678n)).toBe('￥1,234,567,890,123,456.78');
    expect(formatYuanOrNone(null)).toBe(NO_AMOUNT);
    expect(formatYuanOrNone(undefined)).toBe('—');
    expect(formatYuanOrNone(100)).toBe('￥1.00');
  });

  it('formats fen as 1234.56 for spreadsheets', () => {
    expect(formatYuanPlain(123456)).toBe('1234.56');
    expect(formatYuanPlain(-5)).toBe('-0.05');
    expect(formatYuanPlain(-123456n)).toBe('-1234.56');
  });

  it('refuses fractions of a fen', () => {
    expect(() => formatYuan(1.5)).toThrow(RangeError);
    expect(() => formatYuanPlain(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });

  it('gives the same digits for a number and a bigint, both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e14, max: 1e14 }), (fen) => {
        expect(formatYuan(BigInt(fen))).toBe(formatYuan(fen));
        expect(formatYuanPlain(BigInt(fen))).toBe(formatYuanPlain(fen));
        expect(Math.round(Number(formatYuanPlain(fen)) * 100)).toBe(fen);
        expect(formatYuan(fen).replace(/[￥,]/g, '')).toBe(formatYuanPlain(fen));
      }),
    );
  });
});
