// §5.4.1 truncation / masking examples, the nibble coding of §3.1.3.2 and the PIN block rules
// of §6.5.11, each expected value quoted from the spec or worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  pan12,
  pinBlockFormat0,
  pinFromFormat0,
  tdesDecryptEcb,
  tdesEncryptEcb,
  tdesKey,
} from './crypto.js';
import {
  incompleteTrack1,
  incompleteTrack2,
  incompleteTrack3,
  maskPan,
  packNibbles,
  panFromTracks,
  unpackNibbles,
} from './tracks.js';

describe('§5.4.1 incomplete tracks', () => {
  it('track 2: seven positions after "="', () => {
    expect(incompleteTrack2('66733246732413=1512601234879534275432')).toBe(
      '66733246732413=1512601',
    );
  });
  it('track 1: seven positions after the second "^"', () => {
    expect(incompleteTrack1('B9994444333322221111^NOME^1512601234879')).toBe(
      'B9994444333322221111^NOME^1512601',
    );
  });
  it('track 2 without separator: the first 19 positions', () => {
    expect(incompleteTrack2('667332467324131512601234879534275432')).toBe('6673324673241315126');
  });
  it('track 1 with one "^" only: the first 19 positions', () => {
    expect(incompleteTrack1('A756325325535^PROPRIETARYFORMAT=6562532')).toBe('A756325325535^PROPR');
  });
  it('track 3: always the first 19 positions', () => {
    expect(incompleteTrack3('0123456789012345678901234')).toBe('0123456789012345678');
  });
  it('the spec CEX example value', () => {
    expect(incompleteTrack2('4313032929830011=15086011234567890')).toBe('4313032929830011=1508601');
  });
});

describe('§5.4.1 SPE_PANMASK', () => {
  it('"0604" on a track 1 with spaces in the PAN', () => {
    const field = incompleteTrack1('B3764 329710 01006^JOE^2108100265123756');
    expect(field).toBe('B3764 329710 01006^JOE^2108100');
    expect(maskPan(field, '0604')).toBe('B3764 32**** *1006^JOE^2108100');
  });
  it('"0700" on a track 2', () => {
    const field = incompleteTrack2('4444333322221111=2212601019923625524');
    expect(maskPan(field, '0700')).toBe('4444333*********=2212601');
  });
  it('"0005" on a proprietary track 1', () => {
    const field = incompleteTrack1('A756325325535^PROPRIETARYFORMAT=6562532');
    expect(maskPan(field, '0005')).toBe('A*******25535^PROPR');
  });
  it('no masking when ee + dd exceeds the PAN digits', () => {
    expect(maskPan('4444333322221111=2212601', '1008')).toBe('4444333322221111=2212601');
  });
});

describe('nibble coding (PP_TRACK2, PP_TRACK3, PP_ENCPAN)', () => {
  it('PP_ENCPAN example: "9781234789432" -> 97 81 23 47 89 43 2F', () => {
    expect(packNibbles('9781234789432')).toEqual(
      Buffer.from('97812347894 32F'.replace(' ', ''), 'hex'),
    );
  });
  it('"=" is Dh and the filler Fh', () => {
    expect(packNibbles('4313032929830011=1508601')).toEqual(
      Buffer.from('4313032929830011D1508601', 'hex'),
    );
    expect(packNibbles('12=3')).toEqual(Buffer.from('12D3', 'hex'));
    expect(packNibbles('12=')).toEqual(Buffer.from('12DF', 'hex'));
    expect(unpackNibbles(Buffer.from('12DF', 'hex'))).toBe('12=');
  });
  it('PAN as the pad reads it from the tracks', () => {
    expect(panFromTracks(undefined, '6222020200112233446=30121010000000000')).toBe(
      '6222020200112233446',
    );
    expect(panFromTracks('B3764 329710 01006^JOE^2108100265123756', undefined)).toBe(
      '376432971001006',
    );
  });
});

describe('§6.5.11 PIN block', () => {
  it('PAN digits: the 12 rightmost excluding the check digit, short PANs zero-padded', () => {
    expect(pan12('409127890417894231')).toBe('789041789423');
    expect(pan12('670192387')).toBe('000067019238');
  });
  it('ISO 9564 format 0 worked out by hand: PIN 1234, PAN 4111111111111111', () => {
    // PIN field 04 12 34 FF FF FF FF FF xor PAN field 00 00 11 11 11 11 11 11
    expect(pinBlockFormat0('1234', '4111111111111111')).toEqual(
      Buffer.from('041225EEEEEEEEEE', 'hex'),
    );
    expect(pinFromFormat0(Buffer.from('041225EEEEEEEEEE', 'hex'), '4111111111111111')).toBe('1234');
  });
  it('a 16-byte key K1K2 is used as K1K2K1', () => {
    const k = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
    expect(tdesKey(k)).toEqual(
      Buffer.from('0123456789ABCDEFFEDCBA98765432100123456789ABCDEF', 'hex'),
    );
    // K1 = K2 makes TDES single DES: the classic DES worked example (key 133457799BBCDFF1,
    // plaintext 0123456789ABCDEF, ciphertext 85E813540F0AB405).
    const single = Buffer.from('133457799BBCDFF1133457799BBCDFF1', 'hex');
    const c = tdesEncryptEcb(single, Buffer.from('0123456789ABCDEF', 'hex'));
    expect(c.toString('hex').toUpperCase()).toBe('85E813540F0AB405');
    expect(tdesDecryptEcb(single, c)).toEqual(Buffer.from('0123456789ABCDEF', 'hex'));
    expect(tdesDecryptEcb(k, tdesEncryptEcb(k, Buffer.alloc(16, 7)))).toEqual(Buffer.alloc(16, 7));
  });
});
