// SM4 (GB/T 32907) in ECB mode. This Node's OpenSSL provides 'sm4-ecb'; if a build lacks it we
// fall back to a straightforward implementation of the standard so both paths give one result.
import { createCipheriv, createDecipheriv, getCiphers } from 'node:crypto';
import { dataLengthError, keyLengthError } from './errors';

const hasNativeSm4 = getCiphers().includes('sm4-ecb');

const SBOX = Buffer.from(
  'd690e9fecce13db716b614c228fb2c052b679a762abe04c3aa441326498606999c4250f491ef987a33540b43edcfac62' +
    'e4b31ca9c908e89580df94fa758f3fa64707a7fcf37317ba83593c19e6854fa8686b81b27164da8bf8eb0f4b70569d35' +
    '1e240e5e6358d1a225227c3b01217887d40046579fd327524c3602e7a0c4c89eeabf8ad240c738b5a3f7f2cef96115a1' +
    'e0ae5da49b341a55ad933230f58cb1e31df6e22e8266ca60c02923ab0d534e6fd5db3745defd8e2f03ff6a726d6c5b51' +
    '8d1baf92bbddbc7f11d95c411f105ad80ac13188a5cd7bbd2d74d012b8e5b4b08969974a0c96777e65b9f109c56ec684' +
    '18f07dec3adc4d2079ee5f3ed7cb3948',
  'hex',
);
const FK = [0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc];

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

function tau(a: number): number {
  return (
    ((SBOX[(a >>> 24) & 0xff]! << 24) |
      (SBOX[(a >>> 16) & 0xff]! << 16) |
      (SBOX[(a >>> 8) & 0xff]! << 8) |
      SBOX[a & 0xff]!) >>>
    0
  );
}

function roundKeys(key: Buffer): number[] {
  const k = [0, 1, 2, 3].map((i) => (key.readUInt32BE(i * 4) ^ FK[i]!) >>> 0);
  const rk: number[] = [];
  for (let i = 0; i < 32; i++) {
    // CK_i bytes are (4i + j) * 7 mod 256.
    let ck = 0;
    for (let j = 0; j < 4; j++) ck = (ck << 8) | (((4 * i + j) * 7) & 0xff);
    const b = tau((k[i + 1]! ^ k[i + 2]! ^ k[i + 3]! ^ (ck >>> 0)) >>> 0);
    const next = (k[i]! ^ b ^ rotl(b, 13) ^ rotl(b, 23)) >>> 0;
    k.push(next);
    rk.push(next);
  }
  return rk;
}

function cryptBlock(rk: number[], input: Buffer, offset: number, out: Buffer): void {
  const x = [0, 1, 2, 3].map((i) => input.readUInt32BE(offset + i * 4));
  for (let i = 0; i < 32; i++) {
    const b = tau((x[i + 1]! ^ x[i + 2]! ^ x[i + 3]! ^ rk[i]!) >>> 0);
    x.push((x[i]! ^ b ^ rotl(b, 2) ^ rotl(b, 10) ^ rotl(b, 18) ^ rotl(b, 24)) >>> 0);
  }
  for (let i = 0; i < 4; i++) out.writeUInt32BE(x[35 - i]!, offset + i * 4);
}

/** Pure-TypeScript SM4-ECB, exported so a test can compare it with OpenSSL's. */
export function sm4EcbSoftware(decrypt: boolean, key: Buffer, data: Buffer): Buffer {
  check(key, data);
  const rk = roundKeys(key);
  if (decrypt) rk.reverse();
  const out = Buffer.alloc(data.length);
  for (let off = 0; off < data.length; off += 16) cryptBlock(rk, data, off, out);
  return out;
}

function check(key: Buffer, data: Buffer): void {
  if (key.length !== 16) throw keyLengthError('SM4', '16');
  if (data.length % 16 !== 0) throw dataLengthError('SM4', 16);
}

function run(decrypt: boolean, key: Buffer, data: Buffer): Buffer {
  check(key, data);
  if (!hasNativeSm4) return sm4EcbSoftware(decrypt, key, data);
  const cipher = decrypt
    ? createDecipheriv('sm4-ecb', key, null)
    : createCipheriv('sm4-ecb', key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

export function sm4EncryptEcb(key: Buffer, data: Buffer): Buffer {
  return run(false, key, data);
}

export function sm4DecryptEcb(key: Buffer, data: Buffer): Buffer {
  return run(true, key, data);
}
