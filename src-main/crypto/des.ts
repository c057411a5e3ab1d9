// DES / 3DES in ECB mode through Node's OpenSSL. OpenSSL 3 hides plain DES, so a single-length
// key runs as 3DES with K1 = K2 = K3, which gives the same result.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { dataLengthError, keyLengthError } from './errors';

function expandKey(key: Buffer): Buffer {
  if (key.length === 8) return Buffer.concat([key, key, key]);
  if (key.length === 16) return Buffer.concat([key, key.subarray(0, 8)]);
  if (key.length === 24) return key;
  throw keyLengthError('3DES', '8, 16 or 24');
}

function run(decrypt: boolean, key: Buffer, data: Buffer): Buffer {
  if (data.length % 8 !== 0) throw dataLengthError('3DES', 8);
  const k = expandKey(key);
  const cipher = decrypt
    ? createDecipheriv('des-ede3-ecb', k, null)
    : createCipheriv('des-ede3-ecb', k, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** 3DES-ECB encryption; an 8-byte key is single DES, 16 bytes is K1K2K1, 24 bytes K1K2K3. */
export function tdesEncryptEcb(key: Buffer, data: Buffer): Buffer {
  return run(false, key, data);
}

export function tdesDecryptEcb(key: Buffer, data: Buffer): Buffer {
  return run(true, key, data);
}
