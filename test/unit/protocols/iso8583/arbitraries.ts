// fast-check generators for valid values of every field of a table.
import fc from 'fast-check';
import type { FieldSpec, FieldTable } from '../../../../src-main/protocols/iso8583/field-spec';
import type { FieldValue, IsoMessage } from '../../../../src-main/protocols/iso8583/message';

const digit = fc.constantFrom(...'0123456789'.split(''));
const trackChar = fc.constantFrom(...'0123456789='.split(''));
const oneByteChar = fc.integer({ min: 0x00, max: 0xff }).map((c) => String.fromCharCode(c));

export function valueFor(spec: FieldSpec): fc.Arbitrary<FieldValue> {
  const fixed = spec.lengthKind === 'fixed';
  const len = fixed ? fc.constant(spec.length) : fc.integer({ min: 0, max: spec.length });
  return len.chain((n): fc.Arbitrary<FieldValue> => {
    switch (spec.type) {
      case 'n':
        return fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
      case 'z':
        return fc.array(trackChar, { minLength: n, maxLength: n }).map((a) => a.join(''));
      case 'b':
        return fc.uint8Array({ minLength: n, maxLength: n }).map((a) => Buffer.from(a));
      default:
        return fc.array(oneByteChar, { minLength: n, maxLength: n }).map((a) => a.join(''));
    }
  });
}

export function messageArb(table: FieldTable): fc.Arbitrary<IsoMessage> {
  const numbers = Object.keys(table).map(Number);
  return fc
    .tuple(
      fc.array(digit, { minLength: 4, maxLength: 4 }).map((a) => a.join('')),
      fc.subarray(numbers),
    )
    .chain(([mti, chosen]) =>
      fc
        .tuple(...chosen.map((n) => valueFor(table[n]!)))
        .map((values) => ({ mti, fields: new Map(chosen.map((n, i) => [n, values[i]!])) })),
    );
}
