// The EPP driver against a scripted device on a pty: every answer is a frame written out by hand
// (LRC worked out on paper), so what the driver accepts is checked against the reference text,
// not against our own encoder.
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { CardData } from '../../../../src-main/devices/pinpad/card';
import { CnEppPinpad } from '../../../../src-main/devices/pinpad/cn-epp/driver';
import type { PtyPair } from '../../../support/pty';
import { ptyPair } from './pty-fixture';

const hexBytes = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex');
/** RTN 60h, no data. */
const OK = hexBytes('02 30 30 31 60 03 35 32');
/** RTN 60h with the status "M;Z;S;F" (profile row 30h: maker;model;serial;firmware). */
const STATUS = hexBytes('02 30 30 38 60 4D 3B 5A 3B 53 3B 46 03 36 32');
/** ENTER after four digits: raw key bytes outside any frame (profile "PIN entry"). */
const FOUR_DIGITS_ENTER = hexBytes('2A 2A 2A 2A 0D');

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

/** A device that answers the n-th request frame with `answers[n]` (and optional key bytes). */
async function scriptedDevice(pty: PtyPair, answers: Buffer[][]): Promise<Buffer[]> {
  const port = new SerialPort({ path: pty.devicePath, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  closers.push(() => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())));
  const requests: Buffer[] = [];
  let pending = Buffer.alloc(0);
  port.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const etx = pending.indexOf(0x03);
      if (etx < 0 || pending.length < etx + 3) return;
      requests.push(pending.subarray(0, etx + 3));
      pending = pending.subarray(etx + 3);
      for (const bytes of answers[requests.length - 1] ?? []) port.write(bytes);
    }
  });
  return requests;
}

describe('EPP driver: what it accepts as a 37h answer', () => {
  it('an 18-character 37h answer is a PROTOCOL error, not a PIN block (reference L21: 20 bytes)', async () => {
    const pty = await ptyPair('cn-epp-answers');
    closers.push(() => pty.close());
    const shortAnswer = hexBytes(
      // STX "019" RTN 60h "20" "0412AC89ABCDEF67" ETX LRC "5B": the 2 key-number characters missing
      '02 30 31 39 60 32 30 30 34 31 32 41 43 38 39 41 42 43 44 45 46 36 37 03 35 42',
    );
    const requests = await scriptedDevice(pty, [
      [OK], // open(): 35h 5032
      [STATUS], // open(): 30h
      [OK], // 35h 54nn
      [OK], // 35h 55nn
      [OK, FOUR_DIGITS_ENTER], // 36h
      [shortAnswer], // 37h
    ]);
    const pad = new CnEppPinpad({ path: pty.hostPath, pollMs: 50, responseTimeoutMs: 400 });
    closers.push(() => pad.close());
    await pad.open();
    await expect(
      pad.getPin({
        card: new CardData('swipe', { pan: '4000001234562' }),
        key: { scheme: 'mkwk', algorithm: '3des', masterKeyIndex: 1, workingKeyIndex: 0x31 },
      }),
    ).rejects.toMatchObject({ name: 'PinpadError', code: 'PROTOCOL' });
    // The 37h request itself is the reference's own example (key 31h, ISO 0, PAN 400000123456).
    expect(requests[5]?.toString('hex').match(/../g)!.join(' ')).toBe(
      '02 30 31 36 37 33 31 20 34 30 30 30 30 30 31 32 33 34 35 36 03 32 32',
    );
  });
});

describe('EPP driver: what it accepts as a 41h answer', () => {
  it('the MAC answer must be 16 hex characters (profile row 41h); 8 raw MAC characters are refused', async () => {
    const pty = await ptyPair('cn-epp-mac-answer');
    closers.push(() => pty.close());
    // STX "009" RTN 60h "8A9E91B8" ETX LRC "2D": the 8 MAC characters not written as hex.
    const rawMac = hexBytes('02 30 30 39 60 38 41 39 45 39 31 42 38 03 32 44');
    // STX "017" RTN 60h "3841394539314238" ETX LRC "55": the same MAC as the profile says.
    const hexMac = hexBytes(
      '02 30 31 37 60 33 38 34 31 33 39 34 35 33 39 33 31 34 32 33 38 03 35 35',
    );
    const requests = await scriptedDevice(pty, [[OK], [STATUS], [rawMac], [hexMac]]);
    const pad = new CnEppPinpad({ path: pty.hostPath, pollMs: 50, responseTimeoutMs: 400 });
    closers.push(() => pad.close());
    await pad.open();
    const ask = () =>
      pad.computeMac({ keyIndex: 3, algorithm: '3des', data: Buffer.from('0200', 'hex') });
    await expect(ask()).rejects.toMatchObject({ name: 'PinpadError', code: 'PROTOCOL' });
    expect((await ask()).toString('latin1')).toBe('8A9E91B8');
    // 41h: key "03", algorithm "1", input "0200" in hex.
    expect(requests[2]?.toString('hex').toUpperCase().match(/../g)!.join(' ')).toBe(
      '02 30 30 38 41 30 33 31 30 32 30 30 03 34 41',
    );
  });
});

describe('EPP driver: what it accepts as a 30h answer', () => {
  it('a status answer with 3 fields instead of 4 is a PROTOCOL error (profile row 30h)', async () => {
    const pty = await ptyPair('cn-epp-status-answer');
    closers.push(() => pty.close());
    // STX "006" RTN 60h "M;Z;S" ETX LRC "11": the firmware field is missing.
    const threeFields = hexBytes('02 30 30 36 60 4D 3B 5A 3B 53 03 31 31');
    await scriptedDevice(pty, [[OK], [threeFields]]);
    const pad = new CnEppPinpad({ path: pty.hostPath, pollMs: 50, responseTimeoutMs: 400 });
    closers.push(() => pad.close());
    await expect(pad.open()).rejects.toMatchObject({ name: 'PinpadError', code: 'PROTOCOL' });
  });
});
