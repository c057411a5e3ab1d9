import { describe, expect, it } from 'vitest';
import {
  cupPosPackager,
  formatBalance,
  isoMessage,
  parseBalances,
  dumpMessage,
  cupPosFields,
} from '../../../../src-main/protocols/iso8583';
import { maskPan } from '../../../../src-main/common';
import { loadCryptoVectors } from '../../crypto/vectors';

const [single, double] = loadCryptoVectors().f54_balance_examples;

describe('F54 balances', () => {
  it('parses the published single balance', () => {
    const [b] = parseBalances(single.field);
    expect(b).toEqual({
      accountType: single.account_type,
      amountTypeCode: single.amount_type,
      kind: 'available',
      currency: single.currency,
      sign: single.sign,
      amountFen: single.amount_fen,
      signedFen: 2407,
    });
  });

  it('parses the published two-balance field after its LLL length', () => {
    const text = double.field_with_prefix;
    expect(Number(text.slice(0, 3))).toBe(text.length - 3);
    const balances = parseBalances(text.slice(3));
    expect(balances).toHaveLength(double.balances);
    expect(balances.map((b) => b.kind)).toEqual(['ledger', 'available']);
    expect(balances[0]!.amountFen).toBe(154271);
    // On the wire the LLL prefix is BCD: 00 40.
    const packed = cupPosPackager.pack(isoMessage('0210', { 54: text.slice(3) }));
    expect(packed.subarray(10, 12).toString('hex')).toBe('0040');
    expect(cupPosPackager.unpack(packed).fields.get(54)).toBe(text.slice(3));
  });

  it('debit sign gives a negative signed amount; format is the inverse of parse', () => {
    const [b] = parseBalances('1001156D000000000150');
    expect(b!.signedFen).toBe(-150);
    expect(formatBalance(b!)).toBe('1001156D000000000150');
  });

  it('malformed F54 is a typed error', () => {
    for (const bad of ['', '1002156C00000000240', '1002156X000000002407', '10021 6C000000002407']) {
      expect(() => parseBalances(bad)).toThrowError(
        expect.objectContaining({ code: 'ISO_BAD_BALANCE' }),
      );
    }
  });
});

describe('dump', () => {
  it('masks the PAN and hides track, PIN block, MAC and keys', () => {
    const m = isoMessage('0200', {
      2: '6222021234567890123',
      3: '310000',
      35: '6222021234567890123=30121010000000000',
      52: Buffer.from('1122334455667788', 'hex'),
      62: Buffer.from('AABBCCDD', 'hex'),
      64: Buffer.from('8A9E91B8'),
    });
    const text = dumpMessage(m, cupPosFields);
    expect(text).toContain('622202*********0123');
    expect(text).toContain("'310000'");
    expect(text).not.toContain('6222021234567890123');
    expect(text).not.toContain('1122334455667788');
    expect(text).not.toContain('AABBCCDD');
    expect(text).not.toContain('8A9E91B8');
    expect(text).not.toContain('30121010');
    expect(maskPan('6222021234561234')).toBe('622202******1234');
  });
});
