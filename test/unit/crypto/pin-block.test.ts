import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tdesEncryptEcb } from '../../../src-main/crypto/des';
import {
  panBlock,
  pinBlockFormat0,
  pinBlockFormat1,
  pinBlockFormat3,
  pinFromFormat0,
} from '../../../src-main/crypto/pin-block';
import { hex, loadCryptoVectors, toHex } from './vectors';

const v = loadCryptoVectors().pin_block_iso0;

describe('ISO 9564 PIN blocks', () => {
  it('reproduces the published format 0 block and its 3DES encryption', () => {
    const block = pinBlockFormat0(v.pin, v.pan);
    expect(toHex(block)).toBe(v.clear_block);
    expect(toHex(tdesEncryptEcb(hex(v.key), block))).toBe(v.encrypted_3des_ecb);
    expect(pinFromFormat0(block, v.pan)).toBe(v.pin);
  });

  it('PAN block uses the 12 rightmost digits without the check digit', () => {
    expect(toHex(panBlock('43219876543210987'))).toBe('0000987654321098');
  });

  it('format 1 carries the PIN and fill without the PAN', () => {
    const fill = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(toHex(pinBlockFormat1('1234', fill))).toBe('141234123456789A');
    expect(toHex(pinBlockFormat1('1234')).slice(0, 6)).toBe('141234');
  });

  it('format 3 has A-F fill and XORs the PAN', () => {
    const pan = '6222020200112233445';
    const block = pinBlockFormat3('123456', pan);
    const clear = Buffer.alloc(8);
    const pb = panBlock(pan);
    for (let i = 0; i < 8; i++) clear[i] = block[i]! ^ pb[i]!;
    const h = toHex(clear);
    expect(h.slice(0, 8)).toBe('36123456');
    expect(h.slice(8)).toMatch(/^[A-F]{8}$/);
  });

  it('round-trips any PIN through format 0', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{4,12}$/),
        fc.stringMatching(/^\d{13,19}$/),
        (pin, pan) => pinFromFormat0(pinBlockFormat0(pin, pan), pan) === pin,
      ),
    );
  });

  it('a malformed block or a wrong PAN is a typed error', () => {
    const pan = '6222020200112233445';
    expect(() => pinFromFormat0(Buffer.alloc(8, 0xff), pan)).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_PIN_BLOCK_INVALID' }),
    );
    expect(() => pinFromFormat0(Buffer.alloc(7), pan)).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_PIN_BLOCK_INVALID' }),
    );
    expect(() => pinBlockFormat0('12a4', pan)).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_PIN_INVALID' }),
    );
    expect(() => pinBlockFormat0('1234', '12')).toThrowError(
      expect.objectContaining({ code: 'CRYPTO_PAN_INVALID' }),
    );
  });
});
