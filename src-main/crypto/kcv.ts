// Key check value: the first bytes of the key's encryption of an all-zero block.
import { tdesEncryptEcb } from './des';
import { sm4EncryptEcb } from './sm4';

export function keyCheckValue(key: Buffer, algorithm: '3des' | 'sm4', length = 4): Buffer {
  const full =
    algorithm === 'sm4'
      ? sm4EncryptEcb(key, Buffer.alloc(16))
      : tdesEncryptEcb(key, Buffer.alloc(8));
  return full.subarray(0, Math.min(length, full.length));
}
