// Field table of the UnionPay-style POS dialect (see shared/reference/cup-pos-8583.md).
// Variable n/z prefixes count digits; an/ans/b prefixes count bytes.
import {
  fixedA,
  fixedB,
  fixedN,
  lllA,
  lllB,
  lllN,
  lllZ,
  llA,
  llN,
  llZ,
  type FieldTable,
} from './field-spec';
import { Iso8583Packager } from './packager';

export const cupPosFields: FieldTable = {
  2: llN('primary account number', 19, { sensitivity: 'pan' }),
  3: fixedN('processing code', 6),
  4: fixedN('amount', 12),
  11: fixedN('system trace audit number', 6),
  12: fixedN('local time hhmmss', 6),
  13: fixedN('local date MMDD', 4),
  14: fixedN('expiry YYMM', 4, { sensitivity: 'secret' }),
  15: fixedN('settlement date MMDD', 4),
  // F22 n3 is left-justified (021 -> 02 10); F23 n3 is right-justified (005 -> 00 05).
  22: fixedN('POS entry mode', 3, { justify: 'left' }),
  23: fixedN('card sequence number', 3),
  25: fixedN('POS condition code', 2),
  26: fixedN('PIN capture code', 2),
  32: llN('acquiring institution id', 11),
  35: llZ('track 2', 37, { sensitivity: 'track' }),
  36: lllZ('track 3', 104, { sensitivity: 'track' }),
  37: fixedA('retrieval reference number', 'an', 12),
  38: fixedA('authorization code', 'an', 6),
  39: fixedA('response code', 'an', 2),
  41: fixedA('terminal id', 'ans', 8),
  42: fixedA('merchant id', 'ans', 15),
  44: llA('additional response data', 'ans', 25),
  47: lllA('additional data (private)', 'ans', 100),
  48: lllN('additional data', 322),
  49: fixedA('currency code', 'an', 3),
  52: fixedB('PIN block', 8, { sensitivity: 'secret' }),
  53: fixedN('security control', 16),
  54: lllA('balances', 'an', 120),
  55: lllB('ICC data', 255, { sensitivity: 'secret' }),
  60: lllN('reserved private (batch, key scheme)', 17),
  61: lllN('original message data', 29),
  62: lllB('reserved private (working keys)', 512, { sensitivity: 'secret' }),
  63: lllA('reserved private (operator)', 'ans', 163),
  64: fixedB('MAC', 8, { sensitivity: 'secret' }),
};

export const cupPosPackager = new Iso8583Packager(cupPosFields);
