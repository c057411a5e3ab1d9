// Clean-room crypto for the EPP peer, from shared/reference/cup-pos-8583.md ("MAC", "PIN blocks",
// sign-on check values) and test/peers/cn-epp/DEVICE-PROFILE.md ("Commands"). node:crypto only.
import { createCipheriv, createDecipheriv } from 'node:crypto';

/** 3DES key as the 24 bytes des-ede3 wants: K → KKK, K1K2 → K1K2K1, K1K2K3 as is. */
export function tdesKey24(key: Buffer): Buffer {
  if (key.length === 8) return Buffer.concat([key, key, key]);
  if (key.length === 16) return Buffer.concat([key, key.subarray(0, 8)]);
  if (key.length === 24) return Buffer.from(key);
  throw new RangeError(`3DES key must be 8, 16 or 24 bytes, not ${key.length}`);
}

function ecb(
  algorithm: 'des-ede3-ecb' | 'sm4-ecb',
  encrypt: boolean,
  key: Buffer,
  data: Buffer,
): Buffer {
  const block = algorithm === 'sm4-ecb' ? 16 : 8;
  if (data.length % block !== 0) {
    throw new RangeError(`${algorithm} data must be a multiple of ${block} bytes`);
  }
  const cipher = encrypt
    ? createCipheriv(algorithm, key, null)
    : createDecipheriv(algorithm, key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export function tdesEncrypt(key: Buffer, data: Buffer): Buffer {
  return ecb('des-ede3-ecb', true, tdesKey24(key), data);
}

export function tdesDecrypt(key: Buffer, data: Buffer): Buffer {
  return ecb('des-ede3-ecb', false, tdesKey24(key), data);
}

function sm4Key(key: Buffer): Buffer {
  if (key.length !== 16) throw new RangeError(`SM4 key must be 16 bytes, not ${key.length}`);
  return key;
}

export function sm4Encrypt(key: Buffer, data: Buffer): Buffer {
  return ecb('sm4-ecb', true, sm4Key(key), data);
}

export function sm4Decrypt(key: Buffer, data: Buffer): Buffer {
  return ecb('sm4-ecb', false, sm4Key(key), data);
}

/** KCV: first 4 bytes of 3DES-ECB(8 × 00), 8 uppercase hex (DEVICE-PROFILE 31h). */
export function kcv3des(key: Buffer): string {
  return tdesEncrypt(key, Buffer.alloc(8)).subarray(0, 4).toString('hex').toUpperCase();
}

/** KCV: first 4 bytes of SM4-ECB(16 × 00), 8 uppercase hex (DEVICE-PROFILE 62h). */
export function kcvSm4(key: Buffer): string {
  return sm4Encrypt(key, Buffer.alloc(16)).subarray(0, 4).toString('hex').toUpperCase();
}

/** The 12 rightmost PAN digits excluding the check digit (ISO 9564 format 0). */
export function panDigits12(pan: string): string {
  if (!/^[0-9]{2,19}$/.test(pan)) throw new RangeError('PAN must be 2..19 digits');
  return pan.slice(0, -1).slice(-12).padStart(12, '0');
}

/** Clear ISO 9564 format 0 block: `0` + length + PIN + F fill, XOR `0000` + 12 PAN digits. */
export function iso0Block(pin: string, pan12: string): Buffer {
  if (!/^[0-9]{4,12}$/.test(pin)) throw new RangeError('PIN must be 4..12 digits');
  if (!/^[0-9]{12}$/.test(pan12)) throw new RangeError('PAN field must be 12 digits');
  const pinField = Buffer.from(
    ('0' + pin.length.toString(16).toUpperCase() + pin).padEnd(16, 'F'),
    'hex',
  );
  const panField = Buffer.from('0000' + pan12, 'hex');
  return Buffer.from(pinField.map((b, i) => b ^ (panField[i] as number)));
}

export interface EcbMacSteps {
  /** XOR of the 00-padded input blocks. */
  r: Buffer;
  /** Uppercase hex of r, as ASCII bytes. */
  h: Buffer;
  e1: Buffer;
  t: Buffer;
  e2: Buffer;
  /** The 8 ASCII characters carried in ISO 8583 field 64. */
  mac: Buffer;
}

function xorBlocks(data: Buffer, block: number): Buffer {
  const r = Buffer.alloc(block);
  for (let i = 0; i < data.length; i++) {
    const at = i % block;
    r[at] = (r[at] as number) ^ (data[i] as number);
  }
  return r;
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((x, i) => x ^ (b[i] as number)));
}

/**
 * UnionPay POS "ECB" MAC (cup-pos-8583.md "MAC" steps 2-5): pad with 00 to 8, XOR the blocks,
 * hex-expand to 16 ASCII bytes, E(first 8), XOR the last 8, E again, first 8 hex chars of E2.
 */
export function unionPayEcbMac3des(key: Buffer, data: Buffer): EcbMacSteps {
  const r = xorBlocks(data, 8);
  const h = Buffer.from(r.toString('hex').toUpperCase(), 'ascii');
  const e1 = tdesEncrypt(key, h.subarray(0, 8));
  const t = xor(e1, h.subarray(8, 16));
  const e2 = tdesEncrypt(key, t);
  const mac = Buffer.from(e2.toString('hex').toUpperCase().slice(0, 8), 'ascii');
  return { r, h, e1, t, e2, mac };
}

/**
 * The SM4 variant (cup-pos-8583.md "MAC", last paragraph): 16-byte blocks, XOR, 32 hex chars,
 * SM4 the first 16, XOR the last 16, SM4 again. Truncation (the sources differ) is this peer's
 * reading of DEVICE-PROFILE 41h: the same 8 ASCII characters as the 3DES MAC, i.e. the first 8
 * uppercase hex characters of E2.
 */
export function unionPayEcbMacSm4(key: Buffer, data: Buffer): EcbMacSteps {
  const r = xorBlocks(data, 16);
  const h = Buffer.from(r.toString('hex').toUpperCase(), 'ascii');
  const e1 = sm4Encrypt(key, h.subarray(0, 16));
  const t = xor(e1, h.subarray(16, 32));
  const e2 = sm4Encrypt(key, t);
  const mac = Buffer.from(e2.toString('hex').toUpperCase().slice(0, 8), 'ascii');
  return { r, h, e1, t, e2, mac };
}
