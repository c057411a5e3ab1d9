import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMaskedAccount, maskPan, maskPhone, maskWalletId } from '../../../src-main/common';

const digits = (min: number, max: number) =>
  fc
    .integer({ min, max })
    .chain((n) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }))
    .map((d) => d.join(''));

describe('masking: one rule per kind of number', () => {
  it('shows a card as first 6 / last 4, whatever separates its digits', () => {
    expect(maskPan('6222021234561234')).toBe('622202******1234');
    expect(maskPan('6222 0212 3456 1234')).toBe('622202******1234');
    expect(maskPan('6222021234567891234')).toBe('622202*********1234');
    // Too short to keep both ends and hide anything: all stars.
    expect(maskPan('1234567890')).toBe('**********');
    expect(maskPan('')).toBe('');
  });

  it('shows a phone as 3 + 4 and a wallet account number as 4 + 4', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskWalletId('8800123456785678')).toBe('8800********5678');
  });

  it('keeps the length and never more than the ends', () => {
    fc.assert(
      fc.property(digits(13, 19), (pan) => {
        const masked = maskPan(pan);
        expect(masked).toHaveLength(pan.length);
        expect(masked.slice(0, 6)).toBe(pan.slice(0, 6));
        expect(masked.slice(-4)).toBe(pan.slice(-4));
        expect(masked.slice(6, -4)).toMatch(/^\*+$/);
      }),
    );
  });

  it('accepts whatever the maskers produce as masked, and no full number', () => {
    fc.assert(
      fc.property(digits(13, 19), digits(11, 11), digits(16, 16), (pan, phone, wallet) => {
        expect(isMaskedAccount(maskPan(pan))).toBe(true);
        expect(isMaskedAccount(maskPhone(phone))).toBe(true);
        expect(isMaskedAccount(maskWalletId(wallet))).toBe(true);
        expect(isMaskedAccount(pan)).toBe(false);
      }),
    );
  });

  it.each([
    '6222021234567891234',
    '62220212345*67891234',
    '6222021***12341234',
    '622202*1234',
    '622202** ****1234',
    '622202******1234=2512',
    `${'*'.repeat(38)}123`,
    '',
  ])('does not take %j for masked', (value) => {
    expect(isMaskedAccount(value)).toBe(false);
  });
});
