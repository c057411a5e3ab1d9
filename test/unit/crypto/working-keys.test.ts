import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildF62,
  parseF62,
  unwrapWorkingKeys,
  type ClearWorkingKeys,
} from '../../../src-main/crypto/working-keys';
import { hex, loadCryptoVectors, toHex } from './vectors';

const s = loadCryptoVectors().signon_response_0810;
// F62 of the published 0810 (LLL prefix 0040 stripped): found by its check values.
const f62Start = s.frame.indexOf('0040' + '46F161A7') + 4;
const f62 = hex(s.frame.slice(f62Start, f62Start + 80));

describe('working keys from F62', () => {
  it('unwraps the published 0810 keys (layout 003) and verifies their check values', () => {
    const parsed = parseF62(f62, '003');
    expect(toHex(parsed.pik.checkValue)).toBe(s.pik_check_value);
    expect(toHex(parsed.mak.checkValue)).toBe(s.mak_check_value);
    const clear = unwrapWorkingKeys(parsed, hex(s.tmk));
    expect(toHex(clear.pik)).toBe(s.pik_clear);
    expect(toHex(clear.mak)).toBe(s.mak_clear);
  });

  it('refuses the keys when a check value does not match', () => {
    const bad = Buffer.from(f62);
    bad[39] ^= 0x01;
    expect(() => unwrapWorkingKeys(parseF62(bad, '003'), hex(s.tmk))).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_WORKING_KEY_CHECK_FAILED' }),
    );
    const wrongTmk = hex(s.tmk);
    wrongTmk[0] ^= 0x02;
    expect(() => unwrapWorkingKeys(parseF62(f62, '003'), wrongTmk)).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_WORKING_KEY_CHECK_FAILED' }),
    );
  });

  it('rejects a layout of the wrong length', () => {
    expect(() => parseF62(f62, '004')).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_WORKING_KEY_LAYOUT' }),
    );
  });

  it('builds and parses layouts 001, 003 and 004', () => {
    const tmk = randomBytes(16);
    const cases: ClearWorkingKeys[] = [
      { scheme: '001', pik: randomBytes(8), mak: randomBytes(8) },
      { scheme: '003', pik: randomBytes(16), mak: randomBytes(8) },
      { scheme: '004', pik: randomBytes(16), mak: randomBytes(8), tdk: randomBytes(16) },
    ];
    for (const keys of cases) {
      const field = buildF62(keys, tmk);
      expect(field.length).toBe({ '001': 24, '003': 40, '004': 60 }[keys.scheme]);
      expect(unwrapWorkingKeys(parseF62(field, keys.scheme), tmk)).toEqual(keys);
    }
  });

  it('rebuilds the published F62 byte for byte from the clear keys', () => {
    const field = buildF62(
      { scheme: '003', pik: hex(s.pik_clear), mak: hex(s.mak_clear) },
      hex(s.tmk),
    );
    expect(toHex(field)).toBe(toHex(f62));
  });
});
