// Clean-room security functions for the UnionPay-style POS link (reference: cup-pos-8583.md,
// sections "Sign-on", "MAC" and "PIN blocks"). Every DES operation is node:crypto des-ede3-ecb:
// an 8-byte key runs as K,K,K (= single DES), a 16-byte key as K1,K2,K1.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type KeyScheme = '001' | '003' | '004';

function key24(key: Buffer): Buffer {
  if (key.length === 8) return Buffer.concat([key, key, key]);
  if (key.length === 16) return Buffer.concat([key, key.subarray(0, 8)]);
  if (key.length === 24) return key;
  throw new Error(`DES key must be 8, 16 or 24 bytes, got ${key.length}`);
}

function checkBlocks(data: Buffer): void {
  if (data.length === 0 || data.length % 8 !== 0) {
    throw new Error(`DES data must be a non-empty multiple of 8 bytes, got ${data.length}`);
  }
}

/** ECB encryption, no padding. */
export function desEncrypt(key: Buffer, data: Buffer): Buffer {
  checkBlocks(data);
  const c = createCipheriv('des-ede3-ecb', key24(key), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** ECB decryption, no padding. */
export function desDecrypt(key: Buffer, data: Buffer): Buffer {
  checkBlocks(data);
  const d = createDecipheriv('des-ede3-ecb', key24(key), null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/**
 * Key check value: the first `length` bytes of E_key(8 x 00). With an 8-byte key this is single
 * DES, with a 16-byte key 3DES (reference: "3DES for the PIK, single DES for an 8-byte MAK").
 */
export function checkValue(key: Buffer, length = 4): Buffer {
  return desEncrypt(key, Buffer.alloc(8)).subarray(0, length);
}

/** A random DES key with odd parity in every byte. */
export function randomDesKey(bytes: 8 | 16): Buffer {
  const k = randomBytes(bytes);
  for (let i = 0; i < k.length; i++) {
    const b = k[i]! & 0xfe;
    let ones = 0;
    for (let v = b; v; v >>= 1) ones += v & 1;
    k[i] = ones % 2 === 0 ? b | 1 : b;
  }
  return k;
}

// ---------------------------------------------------------------------------------------------
// UnionPay "ECB" MAC

export interface EcbMacSteps {
  /** XOR of all 8-byte blocks of the zero-padded MAB. */
  xor: Buffer;
  e1: Buffer;
  t: Buffer;
  e2: Buffer;
  /** First 8 characters of uppercase hex(E2), as 8 ASCII bytes (what F64 carries). */
  mac: Buffer;
}

export function unionPayEcbMacSteps(mak: Buffer, mab: Buffer): EcbMacSteps {
  const padded = Buffer.alloc(Math.max(8, Math.ceil(mab.length / 8) * 8));
  mab.copy(padded);
  const xor = Buffer.alloc(8);
  for (let i = 0; i < padded.length; i += 8) {
    for (let j = 0; j < 8; j++) xor[j]! ^= padded[i + j]!;
  }
  const h = Buffer.from(xor.toString('hex').toUpperCase(), 'ascii'); // 16 ASCII bytes
  const e1 = desEncrypt(mak, h.subarray(0, 8));
  const t = Buffer.alloc(8);
  for (let j = 0; j < 8; j++) t[j] = e1[j]! ^ h[8 + j]!;
  const e2 = desEncrypt(mak, t);
  const mac = Buffer.from(e2.toString('hex').toUpperCase().slice(0, 8), 'ascii');
  return { xor, e1, t, e2, mac };
}

export function unionPayEcbMac(mak: Buffer, mab: Buffer): Buffer {
  return unionPayEcbMacSteps(mak, mab).mac;
}

// ---------------------------------------------------------------------------------------------
// ISO 9564-1 PIN blocks

/** The 12 rightmost PAN digits excluding the check digit, left-padded with 0 when shorter. */
export function panField12(pan: string): string {
  if (!/^\d{2,19}$/.test(pan)) throw new Error(`bad PAN ${pan}`);
  return pan.slice(0, -1).slice(-12).padStart(12, '0');
}

/** Clear format 0 block: (0 + len + PIN + F fill) XOR (0000 + 12 PAN digits). */
export function pinBlockFormat0(pin: string, pan: string): Buffer {
  if (!/^\d{4,12}$/.test(pin)) throw new Error('PIN must be 4 to 12 digits');
  const p = Buffer.from(`0${pin.length.toString(16).toUpperCase()}${pin}`.padEnd(16, 'F'), 'hex');
  const a = Buffer.from(`0000${panField12(pan)}`, 'hex');
  const out = Buffer.alloc(8);
  for (let i = 0; i < 8; i++) out[i] = p[i]! ^ a[i]!;
  return out;
}

export type PinBlockResult =
  { ok: true; pin: string; format: 0 | 1 } | { ok: false; reason: string };

/**
 * Reads a clear PIN block. With a PAN it is treated as format 0 (XOR with the PAN field first);
 * without, as format 1 (control nibble 1, fill not checked).
 */
export function readPinBlock(clear: Buffer, pan?: string): PinBlockResult {
  if (clear.length !== 8) return { ok: false, reason: 'PIN block is not 8 bytes' };
  let block = clear;
  if (pan !== undefined) {
    const a = Buffer.from(`0000${panField12(pan)}`, 'hex');
    block = Buffer.alloc(8);
    for (let i = 0; i < 8; i++) block[i] = clear[i]! ^ a[i]!;
  }
  const h = block.toString('hex').toUpperCase();
  const control = pan !== undefined ? '0' : '1';
  if (h[0] !== control) return { ok: false, reason: `control nibble ${h[0]}, expected ${control}` };
  const len = parseInt(h[1]!, 16);
  if (len < 4 || len > 12) return { ok: false, reason: `PIN length ${len} outside 4..12` };
  const pin = h.slice(2, 2 + len);
  if (!/^\d+$/.test(pin)) return { ok: false, reason: 'PIN digits are not decimal' };
  if (pan !== undefined && !/^F*$/.test(h.slice(2 + len))) {
    return { ok: false, reason: 'format 0 fill is not F' };
  }
  return { ok: true, pin, format: pan !== undefined ? 0 : 1 };
}

// ---------------------------------------------------------------------------------------------
// F62 working-key layouts of the sign-on answer

export interface WorkingKeys {
  pik: Buffer;
  mak: Buffer;
  tdk?: Buffer;
}

export const F62_LENGTH: Readonly<Record<KeyScheme, number>> = { '001': 24, '003': 40, '004': 60 };

/** Fresh random working keys sized for a scheme: 001 PIK 8; 003/004 PIK 16; MAK 8; 004 TDK 16. */
export function randomWorkingKeys(scheme: KeyScheme): WorkingKeys {
  const keys: WorkingKeys = {
    pik: randomDesKey(scheme === '001' ? 8 : 16),
    mak: randomDesKey(8),
  };
  if (scheme === '004') keys.tdk = randomDesKey(16);
  return keys;
}

/**
 * Builds F62: keys encrypted under the TMK (3DES-ECB), each followed by its check value.
 *   001: PIK 8 + CV 4 + MAK 8 + CV 4                        (24)
 *   003: PIK 16 + CV 4 + MAK 8 + 8 x 00 + CV 4              (40)
 *   004: the 003 layout + TDK 16 + CV 4                     (60)
 */
export function buildF62(scheme: KeyScheme, keys: WorkingKeys, tmk: Buffer): Buffer {
  const pikLen = scheme === '001' ? 8 : 16;
  if (keys.pik.length !== pikLen) throw new Error(`scheme ${scheme} needs a ${pikLen}-byte PIK`);
  if (keys.mak.length !== 8) throw new Error('the MAK is 8 bytes in every layout');
  const parts = [desEncrypt(tmk, keys.pik), checkValue(keys.pik), desEncrypt(tmk, keys.mak)];
  if (scheme !== '001') parts.push(Buffer.alloc(8));
  parts.push(checkValue(keys.mak));
  if (scheme === '004') {
    if (keys.tdk?.length !== 16) throw new Error('scheme 004 needs a 16-byte TDK');
    parts.push(desEncrypt(tmk, keys.tdk), checkValue(keys.tdk));
  }
  return Buffer.concat(parts);
}

export interface ParsedF62 extends WorkingKeys {
  pikCheckValue: Buffer;
  makCheckValue: Buffer;
  tdkCheckValue?: Buffer;
  /** Every check value in F62 equals the one computed from the decrypted key. */
  checkValuesMatch: boolean;
}

/** Decrypts the keys of an F62 laid out for `scheme`; throws if the length or padding is off. */
export function parseF62(scheme: KeyScheme, f62: Buffer, tmk: Buffer): ParsedF62 {
  if (f62.length !== F62_LENGTH[scheme]) {
    throw new Error(
      `F62 for scheme ${scheme} must be ${F62_LENGTH[scheme]} bytes, got ${f62.length}`,
    );
  }
  const pikLen = scheme === '001' ? 8 : 16;
  let p = 0;
  const take = (n: number): Buffer => {
    const b = f62.subarray(p, p + n);
    p += n;
    return Buffer.from(b);
  };
  const pik = desDecrypt(tmk, take(pikLen));
  const pikCheckValue = take(4);
  const mak = desDecrypt(tmk, take(8));
  if (scheme !== '001') {
    const zeros = take(8);
    if (!zeros.equals(Buffer.alloc(8))) {
      throw new Error(
        `F62 scheme ${scheme}: the 8 bytes after the MAK must be 00, got ${zeros.toString('hex')}`,
      );
    }
  }
  const makCheckValue = take(4);
  const out: ParsedF62 = {
    pik,
    mak,
    pikCheckValue,
    makCheckValue,
    checkValuesMatch:
      checkValue(pik).equals(pikCheckValue) && checkValue(mak).equals(makCheckValue),
  };
  if (scheme === '004') {
    out.tdk = desDecrypt(tmk, take(16));
    out.tdkCheckValue = take(4);
    out.checkValuesMatch &&= checkValue(out.tdk).equals(out.tdkCheckValue);
  }
  return out;
}
