// ISO 9564-1 PIN blocks, formats 0, 1 and 3. These run in the PIN pad simulator and in the host
// simulator; the real terminal never sees a clear PIN (the PIN pad builds and encrypts the block).
import { randomBytes } from 'node:crypto';
import { CryptoError } from './errors';

function checkPin(pin: string): void {
  if (!/^\d{4,12}$/.test(pin)) {
    throw new CryptoError('CRYPTO_PIN_INVALID');
  }
}

/** `0000` + the 12 rightmost PAN digits excluding the check digit, as 8 bytes. */
export function panBlock(pan: string): Buffer {
  if (!/^\d{13,19}$/.test(pan)) {
    throw new CryptoError('CRYPTO_PAN_INVALID');
  }
  const body = pan.slice(0, -1);
  return Buffer.from('0000' + body.slice(-12), 'hex');
}

function fillNibbles(
  count: number,
  fill: Buffer | undefined,
  toNibble: (b: number) => string,
): string {
  const bytes = fill ?? randomBytes(count);
  if (bytes.length < count) {
    throw new CryptoError('CRYPTO_PIN_BLOCK_FILL', { bytes: count });
  }
  let out = '';
  for (let i = 0; i < count; i++) out += toNibble(bytes[i]!);
  return out;
}

function xor8(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

function pinField(format: number, pin: string, fill: string): Buffer {
  return Buffer.from(`${format}${pin.length.toString(16).toUpperCase()}${pin}${fill}`, 'hex');
}

/** Format 0: `0` + length + PIN + `F` fill, XOR the PAN block. */
export function pinBlockFormat0(pin: string, pan: string): Buffer {
  checkPin(pin);
  return xor8(pinField(0, pin, 'F'.repeat(14 - pin.length)), panBlock(pan));
}

/** Format 1: `1` + length + PIN + fill nibbles (random unless `fill` gives one byte per nibble). */
export function pinBlockFormat1(pin: string, fill?: Buffer): Buffer {
  checkPin(pin);
  const n = 14 - pin.length;
  return pinField(
    1,
    pin,
    fillNibbles(n, fill, (b) => (b & 0x0f).toString(16)),
  );
}

/** Format 3: like format 0 but the fill nibbles are random `A`-`F`. */
export function pinBlockFormat3(pin: string, pan: string, fill?: Buffer): Buffer {
  checkPin(pin);
  const n = 14 - pin.length;
  const nibbles = fillNibbles(n, fill, (b) => (10 + (b % 6)).toString(16));
  return xor8(pinField(3, pin, nibbles), panBlock(pan));
}

function malformed(reason: string): CryptoError {
  return new CryptoError('CRYPTO_PIN_BLOCK_INVALID', { detail: reason });
}

/** Recovers the PIN from a clear format 0 block; anything else is a typed error. */
export function pinFromFormat0(block: Buffer, pan: string): string {
  if (block.length !== 8) throw malformed('length is not 8 bytes');
  const hex = xor8(block, panBlock(pan)).toString('hex').toUpperCase();
  if (hex[0] !== '0') throw malformed('format nibble is not 0');
  const len = parseInt(hex[1]!, 16);
  if (len < 4 || len > 12) throw malformed('PIN length out of range');
  const pin = hex.slice(2, 2 + len);
  if (!/^\d+$/.test(pin)) throw malformed('PIN digits are not decimal');
  if (!/^F*$/.test(hex.slice(2 + len))) throw malformed('fill is not F');
  return pin;
}
