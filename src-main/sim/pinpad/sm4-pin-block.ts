// SM4 PIN block layout used by the emulated EPP (command 6Fh): the ISO 9564 format 0 block
// followed by eight FFh bytes, giving one 16-byte SM4 block. No public ZT598 document fixes this
// layout; the host side must use the same one. It belongs in src-main/crypto once agreed.
import { pinBlockFormat0 } from '../../crypto';

export function sm4PinField(pin: string, pan: string): Buffer {
  return Buffer.concat([pinBlockFormat0(pin, pan), Buffer.alloc(8, 0xff)]);
}
