// Message authentication codes of the UnionPay POS dialect and ANSI X9.19.
import type { HostMacAlgorithm } from '../common';
import { tdesDecryptEcb, tdesEncryptEcb } from './des';
import { dataLengthError, keyLengthError } from './errors';
import { sm4EncryptEcb } from './sm4';

function xorInto(target: Buffer, source: Buffer, offset = 0): void {
  for (let i = 0; i < target.length; i++) target[i] ^= source[offset + i] ?? 0;
}

/** XOR of all zero-padded blocks of `data` (block size 8 or 16). */
export function xorBlocks(data: Buffer, blockSize: number): Buffer {
  const r = Buffer.alloc(blockSize);
  for (let off = 0; off < data.length; off += blockSize) xorInto(r, data, off);
  return r;
}

export interface EcbMacSteps {
  /** XOR of the padded MAB blocks. */
  xor: Buffer;
  e1: Buffer;
  t: Buffer;
  e2: Buffer;
  /** 8 ASCII bytes, as carried in F64. */
  mac: Buffer;
}

/**
 * UnionPay "ECB" MAC with a DES (8-byte) or 3DES (16/24-byte) MAK, with its intermediate
 * values so tests can follow the published walkthrough step by step.
 */
export function unionPayEcbMacSteps(mak: Buffer, mab: Buffer): EcbMacSteps {
  if (![8, 16, 24].includes(mak.length)) throw keyLengthError('MAC', '8, 16 or 24');
  const xor = xorBlocks(mab, 8);
  const h = Buffer.from(xor.toString('hex').toUpperCase(), 'ascii');
  const e1 = tdesEncryptEcb(mak, h.subarray(0, 8));
  const t = Buffer.from(e1);
  xorInto(t, h, 8);
  const e2 = tdesEncryptEcb(mak, t);
  const mac = Buffer.from(e2.toString('hex').toUpperCase().slice(0, 8), 'ascii');
  return { xor, e1, t, e2, mac };
}

export function unionPayEcbMac(mak: Buffer, mab: Buffer): Buffer {
  return unionPayEcbMacSteps(mak, mab).mac;
}

/**
 * SM4 variant: 16-byte blocks, hex-expand to 32 characters, SM4 the first 16, XOR the last 16,
 * SM4 again. Sources differ on the truncation; we keep the first 8 hex characters as ASCII,
 * the same shape as the DES variant, so F64 stays 8 bytes.
 */
export function unionPayEcbMacSm4(mak: Buffer, mab: Buffer): Buffer {
  if (mak.length !== 16) throw keyLengthError('SM4 MAC', '16');
  const xor = xorBlocks(mab, 16);
  const h = Buffer.from(xor.toString('hex').toUpperCase(), 'ascii');
  const t = sm4EncryptEcb(mak, h.subarray(0, 16));
  xorInto(t, h, 16);
  const e2 = sm4EncryptEcb(mak, t);
  return Buffer.from(e2.toString('hex').toUpperCase().slice(0, 8), 'ascii');
}

/**
 * ANSI X9.19 retail MAC (ISO 9797-1 algorithm 3, padding method 1): single-DES CBC-MAC with the
 * left key half, then decrypt with the right half and encrypt with the left on the last block.
 */
export function x919Mac(key: Buffer, data: Buffer): Buffer {
  if (key.length !== 16) throw keyLengthError('X9.19', '16');
  const left = key.subarray(0, 8);
  const right = key.subarray(8, 16);
  const padded = Buffer.alloc(Math.max(8, Math.ceil(data.length / 8) * 8));
  data.copy(padded);
  let chain: Buffer = Buffer.alloc(8);
  for (let off = 0; off < padded.length; off += 8) {
    xorInto(chain, padded, off);
    chain = tdesEncryptEcb(left, chain);
  }
  return tdesEncryptEcb(left, tdesDecryptEcb(right, chain));
}

/** ANSI X9.9: plain single-DES CBC-MAC, zero padding. */
export function x99Mac(key: Buffer, data: Buffer): Buffer {
  if (key.length !== 8) throw keyLengthError('X9.9', '8');
  if (data.length === 0) throw dataLengthError('X9.9', 8);
  const padded = Buffer.alloc(Math.ceil(data.length / 8) * 8);
  data.copy(padded);
  let chain: Buffer = Buffer.alloc(8);
  for (let off = 0; off < padded.length; off += 8) {
    xorInto(chain, padded, off);
    chain = tdesEncryptEcb(key, chain);
  }
  return chain;
}

/**
 * The MAC of field 64 by the host's algorithm: the UnionPay POS "ECB" MAC, ANSI X9.9 (single-DES
 * CBC-MAC) or ANSI X9.19 (retail MAC; an 8-byte MAK runs as K||K, which equals X9.9).
 */
export function hostMac(algorithm: HostMacAlgorithm, mak: Buffer, mab: Buffer): Buffer {
  switch (algorithm) {
    case 'ecb':
      return unionPayEcbMac(mak, mab);
    case 'x9.9':
      return x99Mac(mak.subarray(0, 8), mab);
    case 'x9.19':
      return x919Mac(mak.length === 8 ? Buffer.concat([mak, mak]) : mak.subarray(0, 16), mab);
  }
}
