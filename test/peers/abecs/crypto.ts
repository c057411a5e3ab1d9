// Small crypto for the peer: TDES (MK/WK, spec §5.1) and the PIN block of GPN (§6.5.11:
// "padrões estabelecidos pela ANSI X9.8", i.e. ISO 9564-1 format 0, with the PAN rule of §6.5.11).
import { createCipheriv, createDecipheriv } from 'node:crypto';

/** A double-length key K1K2 is used as K1K2K1 (keying option 2); a 24-byte key as is; 8 bytes as K1K1K1. */
export function tdesKey(key: Uint8Array): Buffer {
  const k = Buffer.from(key);
  if (k.length === 8) return Buffer.concat([k, k, k]);
  if (k.length === 16) return Buffer.concat([k, k.subarray(0, 8)]);
  if (k.length === 24) return k;
  throw new Error(`TDES key must be 8, 16 or 24 bytes, got ${k.length}`);
}

function ecb(encrypt: boolean, key: Uint8Array, data: Uint8Array): Buffer {
  if (data.length % 8 !== 0) throw new Error('TDES data must be a multiple of 8 bytes');
  const k = tdesKey(key);
  const c = encrypt
    ? createCipheriv('des-ede3-ecb', k, null)
    : createDecipheriv('des-ede3-ecb', k, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

export function tdesEncryptEcb(key: Uint8Array, data: Uint8Array): Buffer {
  return ecb(true, key, data);
}

export function tdesDecryptEcb(key: Uint8Array, data: Uint8Array): Buffer {
  return ecb(false, key, data);
}

export function tdesEncryptCbc(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = Buffer.alloc(8),
): Buffer {
  if (data.length % 8 !== 0) throw new Error('TDES data must be a multiple of 8 bytes');
  const c = createCipheriv('des-ede3-cbc', tdesKey(key), Buffer.from(iv));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

export function tdesDecryptCbc(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = Buffer.alloc(8),
): Buffer {
  const c = createDecipheriv('des-ede3-cbc', tdesKey(key), Buffer.from(iv));
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/**
 * The 12 PAN digits used in the PIN block, §6.5.11: "os 12 últimos dígitos do PAN excetuando-se o
 * dígito verificador", a PAN shorter than 13 digits first padded with zeros on the left.
 * Spec examples: "409127890417894231" → "789041789423"; "670192387" → "000067019238".
 */
export function pan12(pan: string): string {
  if (!/^[0-9]{1,19}$/.test(pan)) throw new Error(`PAN "${pan}" must be 1 to 19 digits`);
  const padded = pan.padStart(13, '0');
  return padded.slice(-13, -1);
}

/**
 * ISO 9564-1 format 0 (ANSI X9.8) clear PIN block: "0" + PIN length (1 hex digit) + PIN + "F"
 * filler to 16 digits, XOR "0000" + pan12(PAN). A PIN longer than 12 digits keeps its first 12
 * (§6.5.11: "os dígitos à direita devem ser desprezados").
 */
export function pinBlockFormat0(pin: string, pan: string): Buffer {
  if (!/^[0-9]+$/.test(pin)) throw new Error('PIN must be digits');
  const p = pin.slice(0, 12);
  const pinField = Buffer.from(('0' + p.length.toString(16) + p).padEnd(16, 'F'), 'hex');
  const panField = Buffer.from('0000' + pan12(pan), 'hex');
  const out = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) out[i] = pinField[i]! ^ panField[i]!;
  return out;
}

/** Inverse of pinBlockFormat0 (for tests): returns the PIN, or throws if the block is not format 0. */
export function pinFromFormat0(block: Uint8Array, pan: string): string {
  const panField = Buffer.from('0000' + pan12(pan), 'hex');
  const clear = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) clear[i] = block[i]! ^ panField[i]!;
  const hex = clear.toString('hex').toUpperCase();
  if (hex[0] !== '0') throw new Error('not a format 0 PIN block');
  const len = parseInt(hex[1]!, 16);
  const pin = hex.slice(2, 2 + len);
  if (len < 4 || len > 12 || !/^[0-9]+$/.test(pin) || !/^F*$/.test(hex.slice(2 + len))) {
    throw new Error('not a format 0 PIN block');
  }
  return pin;
}
