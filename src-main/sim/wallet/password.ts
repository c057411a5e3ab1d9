// Reading a payment-password PIN block on the host side: decrypt under the terminal's PIN key,
// then undo ISO 9564 format 0 (PAN field = account digits, PROTOCOL.md) or format 1.
import { pinFromFormat0, tdesDecryptEcb } from '../../crypto';

/** Rightmost 12 account digits, zero-padded, plus a dummy check digit for panBlock(). */
function accountAsPan(account: string): string {
  return `${account.slice(-12).padStart(12, '0')}0`;
}

function pinFromFormat1(clear: Buffer): string {
  const hex = clear.toString('hex').toUpperCase();
  if (hex[0] !== '1') throw new Error('format nibble is not 1');
  const len = parseInt(hex[1]!, 16);
  if (len < 4 || len > 12) throw new Error('PIN length out of range');
  const pin = hex.slice(2, 2 + len);
  if (!/^\d+$/.test(pin)) throw new Error('PIN digits are not decimal');
  return pin;
}

/** The clear password, or undefined when the block cannot be read (wrong key or format). */
export function passwordFromBlock(
  pinKey: Buffer,
  blockHex: string,
  format: 0 | 1,
  account: string,
): string | undefined {
  try {
    const clear = tdesDecryptEcb(pinKey, Buffer.from(blockHex, 'hex'));
    return format === 0 ? pinFromFormat0(clear, accountAsPan(account)) : pinFromFormat1(clear);
  } catch {
    return undefined;
  }
}
