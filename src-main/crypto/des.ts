// DES / 3DES in ECB mode through Node's OpenSSL. OpenSSL 3 hides plain DES, so a single-length
// key runs as 3DES with K1 = K2 = K3, which gives the same result.
import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import { dataLengthError, keyLengthError } from './errors';

function expandKey(key: Buffer): Buffer {
  if (key.length === 8) return Buffer.concat([key, key, key]);
  if (key.length === 16) return Buffer.concat([key, key.subarray(0, 8)]);
  if (key.length === 24) return key;
  throw keyLengthError('3DES', '8, 16 or 24');
}

// Setting up an OpenSSL context costs far more than encrypting one block, and the same few
// keys (MAK, PIK) are used for every message. ECB without padding keeps no state between
// update() calls, so a context can be reused. The cache is bounded (a busy host simulator serves
// many terminals) and holds only keys that are already in this process's memory.
const CACHE_LIMIT = 256;
const contexts = new Map<string, { enc: Cipher; dec: Decipher }>();

function contextFor(key: Buffer): { enc: Cipher; dec: Decipher } {
  const id = key.toString('latin1');
  let ctx = contexts.get(id);
  if (!ctx) {
    const k = expandKey(key);
    const enc = createCipheriv('des-ede3-ecb', k, null);
    const dec = createDecipheriv('des-ede3-ecb', k, null);
    enc.setAutoPadding(false);
    dec.setAutoPadding(false);
    ctx = { enc, dec };
    if (contexts.size >= CACHE_LIMIT) contexts.delete(contexts.keys().next().value!);
    contexts.set(id, ctx);
  }
  return ctx;
}

function run(decrypt: boolean, key: Buffer, data: Buffer): Buffer {
  if (data.length % 8 !== 0) throw dataLengthError('3DES', 8);
  const ctx = contextFor(key);
  return decrypt ? ctx.dec.update(data) : ctx.enc.update(data);
}

/** 3DES-ECB encryption; an 8-byte key is single DES, 16 bytes is K1K2K1, 24 bytes K1K2K3. */
export function tdesEncryptEcb(key: Buffer, data: Buffer): Buffer {
  return run(false, key, data);
}

export function tdesDecryptEcb(key: Buffer, data: Buffer): Buffer {
  return run(true, key, data);
}
