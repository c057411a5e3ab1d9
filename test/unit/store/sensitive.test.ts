import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertMaskedAccount, scrubSensitive, StoreError } from '../../../src-main/store';

const pan = fc
  .integer({ min: 13, max: 19 })
  .chain((n) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }))
  .map((digits) => digits.join(''));

function refused(value: string): boolean {
  try {
    assertMaskedAccount(value);
    return false;
  } catch (err) {
    return err instanceof StoreError && err.code === 'FULL_PAN_REFUSED';
  }
}

describe('sensitive data guards', () => {
  it('refuses every unmasked PAN, with or without separators', () => {
    fc.assert(
      fc.property(pan, fc.constantFrom('', ' ', '-'), (p, sep) => {
        const spaced = p.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
        expect(refused(p)).toBe(true);
        expect(refused(spaced)).toBe(true);
      }),
    );
  });

  it('accepts first-6 / last-4 masks of any PAN and short wallet masks', () => {
    fc.assert(
      fc.property(pan, (p) => {
        expect(refused(`${p.slice(0, 6)}${'*'.repeat(p.length - 10)}${p.slice(-4)}`)).toBe(false);
      }),
    );
    expect(refused('138****5678')).toBe(false);
    expect(refused('wx_***_a1b2')).toBe(false);
  });

  it('leaves no full PAN in free text, wherever it sits', () => {
    fc.assert(
      fc.property(fc.string(), pan, fc.string(), (before, p, after) => {
        // Text around the PAN must not extend its digit run, or it would be a different number.
        const text = `${before.replace(/\d/g, 'x')} ${p} ${after.replace(/\d/g, 'x')}`;
        const out = scrubSensitive(text);
        expect(out).not.toContain(p);
        expect(out).toContain(`${p.slice(0, 6)}`);
        expect(out).toContain(`${p.slice(-4)}`);
      }),
    );
  });

  it('hides PIN blocks and keys given as hex', () => {
    expect(scrubSensitive('pin block 06127C9E6F7A8B9C, key 0123456789ABCDEFFEDCBA9876543210')).toBe(
      'pin block ***, key ***',
    );
  });
});
