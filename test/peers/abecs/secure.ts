// "Comunicação Segura", spec §5.2: KSEC (16 bytes) sent RSA-encrypted in a PKCS #1 type-2 block
// (§5.2.1), then packets DC2 + AES-CBC(KSEC, IV = 0) of DATALEN X2 + DATACRC X2 + CLRDATA + 00h
// filler to a multiple of 16 (§5.2.2.1, §5.2.2.2).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AbecsFormatError, DC2, crc16 } from './codec.js';

/** Largest CLRDATA, §5.2.2 (DATALEN "até 2044 bytes"). */
export const MAX_CLRDATA = 2044;

export function bigFromBytes(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex'));
}

export function bytesFromBig(v: bigint, size: number): Buffer {
  const hex = v.toString(16).padStart(size * 2, '0');
  if (hex.length > size * 2) throw new Error('value does not fit');
  return Buffer.from(hex, 'hex');
}

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** §5.2.1 block: 00h 02h + non-zero random bytes + 00h + key, as long as the modulus. */
export function pkcs1Type2Block(key: Uint8Array, size: number): Buffer {
  const padLen = size - 3 - key.length;
  if (padLen < 8) throw new Error('modulus too small for PKCS #1 block');
  const pad = Buffer.alloc(padLen);
  for (let i = 0; i < padLen; i++) {
    let b = 0;
    while (b === 0) b = randomBytes(1)[0]!;
    pad[i] = b;
  }
  return Buffer.concat([Buffer.of(0x00, 0x02), pad, Buffer.of(0x00), Buffer.from(key)]);
}

/** Raw RSA with the public key (KMOD, KPUB) over a §5.2.1 block: the CRKSEC of OPN. */
export function rsaEncryptKey(key: Uint8Array, modulus: Uint8Array, exponent: Uint8Array): Buffer {
  const n = bigFromBytes(modulus);
  const block = pkcs1Type2Block(key, modulus.length);
  return bytesFromBig(modPow(bigFromBytes(block), bigFromBytes(exponent), n), modulus.length);
}

/** Raw RSA with the private exponent; returns the key inside the §5.2.1 block. */
export function rsaDecryptKey(
  crypto: Uint8Array,
  modulus: Uint8Array,
  privateExponent: Uint8Array,
): Buffer {
  const n = bigFromBytes(modulus);
  const block = bytesFromBig(
    modPow(bigFromBytes(crypto), bigFromBytes(privateExponent), n),
    modulus.length,
  );
  if (block[0] !== 0x00 || block[1] !== 0x02) throw new Error('not a PKCS #1 type 2 block');
  const sep = block.indexOf(0x00, 2);
  if (sep < 0) throw new Error('PKCS #1 block without separator');
  return block.subarray(sep + 1);
}

function aes(encrypt: boolean, ksec: Uint8Array, data: Uint8Array): Buffer {
  const iv = Buffer.alloc(16);
  const c = encrypt
    ? createCipheriv('aes-128-cbc', Buffer.from(ksec), iv)
    : createDecipheriv('aes-128-cbc', Buffer.from(ksec), iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** The clear structure before encryption (§5.2.2): DATALEN, DATACRC, CLRDATA, FILLER. */
export function secureEnvelope(clrdata: Uint8Array): Buffer {
  if (clrdata.length > MAX_CLRDATA) throw new AbecsFormatError('CLRDATA too long');
  const head = Buffer.alloc(4);
  head.writeUInt16BE(clrdata.length, 0);
  head.writeUInt16BE(crc16(clrdata), 2);
  const body = Buffer.concat([head, Buffer.from(clrdata)]);
  const fill = (16 - (body.length % 16)) % 16;
  return Buffer.concat([body, Buffer.alloc(fill)]);
}

/** PKTDATA of an encrypted packet: DC2 + AES-CBC(KSEC, IV = 0)(envelope). */
export function encryptPacket(ksec: Uint8Array, clrdata: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(DC2), aes(true, ksec, secureEnvelope(clrdata))]);
}

/**
 * Opens an encrypted PKTDATA (§5.2.2.2): the length after DC2 must be a multiple of 16, DATALEN
 * coherent and DATACRC equal to the CRC-16 of CLRDATA. Throws AbecsFormatError otherwise.
 */
export function decryptPacket(ksec: Uint8Array, pktdata: Uint8Array): Buffer {
  if (pktdata[0] !== DC2) throw new AbecsFormatError('encrypted PKTDATA must start with DC2');
  const body = pktdata.subarray(1);
  if (body.length === 0 || body.length % 16 !== 0) {
    throw new AbecsFormatError('encrypted PKTDATA is not a multiple of 16 bytes');
  }
  const clear = aes(false, ksec, body);
  const len = clear.readUInt16BE(0);
  if (len > body.length - 4) throw new AbecsFormatError('DATALEN incoherent');
  const clrdata = clear.subarray(4, 4 + len);
  if (crc16(clrdata) !== clear.readUInt16BE(2)) throw new AbecsFormatError('DATACRC mismatch');
  return Buffer.from(clrdata);
}
