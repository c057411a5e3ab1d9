// "A driver written by someone else from the reference": hand-built bytes on a plain SerialPort,
// with its own bitwise CRC, none of this project's codec. Checks the emulator's link behaviour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { createPtyPair, type PtyPair } from '../../../support/pty';
import { startPinpadEmulator, type PinpadEmulator } from '../../../../src-main/sim/pinpad';

function crcXmodem(bytes: number[]): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** SYN + escaped data + ETB + CRC(data + ETB), written out by hand. */
function frame(text: string): Buffer {
  const data = [...Buffer.from(text, 'latin1')];
  const crc = crcXmodem([...data, 0x17]);
  const escaped = data.flatMap((b) =>
    b === 0x13 || b === 0x16 || b === 0x17 ? [0x13, b + 0x20] : [b],
  );
  return Buffer.from([0x16, ...escaped, 0x17, crc >> 8, crc & 0xff]);
}

let pty: PtyPair;
let emulator: PinpadEmulator;
let port: SerialPort;
let received = Buffer.alloc(0);

async function readUntil(check: (buf: Buffer) => boolean, timeoutMs = 5000): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  while (!check(received)) {
    if (Date.now() > deadline) throw new Error(`timeout; got ${received.toString('hex')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const out = received;
  received = Buffer.alloc(0);
  return out;
}

function write(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => port.write(bytes, (e) => (e ? reject(e) : resolve())));
}

const endsWithFrame = (buf: Buffer) =>
  buf.length >= 4 && buf[buf.length - 3] === 0x17 && buf.includes(0x16);

beforeAll(async () => {
  const base = `/tmp/cashier-abecs-3p-${process.pid}`;
  pty = await createPtyPair(`${base}-host`, `${base}-dev`);
  emulator = await startPinpadEmulator({ protocol: 'abecs', path: pty.devicePath, pin: '1234' });
  port = new SerialPort({ path: pty.hostPath, baudRate: 19200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
});

afterAll(async () => {
  await new Promise<void>((r) => (port?.isOpen ? port.close(() => r()) : r()));
  await emulator?.close();
  await pty?.close();
});

describe('ABECS emulator with a hand-written host', () => {
  it('answers CAN with EOT', async () => {
    await write(Buffer.of(0x18));
    expect((await readUntil((b) => b.length >= 1)).toString('hex')).toBe('04');
  });

  it('ACKs the spec OPN frame and answers OPN000 with the vector CRC', async () => {
    expect(frame('OPN').toString('hex').toUpperCase()).toBe('164F504E17A8A9');
    await write(Buffer.from('164F504E17A8A9', 'hex'));
    const got = await readUntil((b) => b.length >= 10);
    expect(got.toString('hex').toUpperCase()).toBe('06' + '164F504E30303017775E');
  });

  it('NAKs a frame with a corrupted CRC', async () => {
    const bad = frame('GIN00200');
    bad[bad.length - 1]! ^= 0x01;
    await write(bad);
    expect((await readUntil((b) => b.length >= 1)).toString('hex')).toBe('15');
  });

  it('NAKs a frame with an invalid escape sequence', async () => {
    await write(Buffer.from([0x16, 0x44, 0x13, 0x41, 0x17, 0x00, 0x00]));
    expect((await readUntil((b) => b.length >= 1)).toString('hex')).toBe('15');
  });

  it('answers an unknown command with ERR010', async () => {
    await write(frame('XYZ'));
    const got = await readUntil((b) => b.length >= 10);
    expect(got.toString('hex').toUpperCase()).toBe('06' + '1645525230313017B711');
  });

  it('answers GIN and resends the last response on NAK', async () => {
    await write(frame('GIN00200'));
    const first = await readUntil((b) => b.length > 1 && endsWithFrame(b.subarray(1)));
    expect(first[0]).toBe(0x06);
    const response = first.subarray(1);
    expect(response.subarray(1, 10).toString('latin1')).toBe('GIN000100');
    expect(response.subarray(10, 26).toString('latin1')).toBe('CASHIER TRAINING');
    const crc = crcXmodem([...response.subarray(1, response.length - 3), 0x17]);
    expect([response[response.length - 2], response[response.length - 1]]).toEqual([
      crc >> 8,
      crc & 0xff,
    ]);
    await write(Buffer.of(0x15));
    const again = await readUntil((b) => endsWithFrame(b));
    expect(again.equals(response)).toBe(true);
  });

  it('ignores a stray ACK', async () => {
    await write(Buffer.of(0x06));
    await new Promise((r) => setTimeout(r, 200));
    expect(received.length).toBe(0);
  });

  it('CAN during a blocking CEX: EOT and no CEX response', async () => {
    // CEX010 + TLV 0006 0006 "010000" (magstripe only), written out by hand.
    const body = Buffer.concat([
      Buffer.from('CEX010'),
      Buffer.from([0x00, 0x06, 0x00, 0x06]),
      Buffer.from('010000'),
    ]);
    await write(frame(body.toString('latin1')));
    expect((await readUntil((b) => b.length >= 1)).toString('hex')).toBe('06');
    await write(Buffer.of(0x18));
    expect((await readUntil((b) => b.length >= 1)).toString('hex')).toBe('04');
    await new Promise((r) => setTimeout(r, 300));
    expect(received.length).toBe(0);
  });

  it('a new command aborts a blocking CEX: only the new one is answered', async () => {
    const body = Buffer.concat([
      Buffer.from('CEX010'),
      Buffer.from([0x00, 0x06, 0x00, 0x06]),
      Buffer.from('010000'),
    ]);
    await write(frame(body.toString('latin1')));
    expect((await readUntil((b) => b.length >= 1)).toString('hex')).toBe('06');
    await write(frame('DSP032' + 'NEW COMMAND'.padEnd(32, ' ')));
    const got = await readUntil((b) => b.length > 1 && endsWithFrame(b.subarray(1)));
    expect(got.subarray(2, got.length - 3).toString('latin1')).toBe('DSP000');
    emulator.swipeCard('debit-swipe');
    await new Promise((r) => setTimeout(r, 200));
    expect(received.length).toBe(0);
    emulator.removeCard();
  });

  it('a half frame: after 2 s without a byte and 500 ms of silence, NAK (§6.2.1); then the next frame', async () => {
    const half = frame('GIN00200').subarray(0, 5);
    await write(half);
    await new Promise((r) => setTimeout(r, 1800));
    expect(received.length).toBe(0);
    // 2 s after the last byte the packet is dropped; NAK follows 500 ms of silence.
    expect((await readUntil((b) => b.length >= 1, 1500)).toString('hex')).toBe('15');
    await write(frame('OPN'));
    const got = await readUntil((b) => b.length >= 10);
    expect(got.toString('hex').toUpperCase()).toBe('06' + '164F504E30303017775E');
  });

  it('a swiped card completes CEX with PP_EVENT 90', async () => {
    const body = Buffer.concat([
      Buffer.from('CEX010'),
      Buffer.from([0x00, 0x06, 0x00, 0x06]),
      Buffer.from('010000'),
    ]);
    await write(frame(body.toString('latin1')));
    await readUntil((b) => b.length >= 1);
    emulator.swipeCard('debit-swipe');
    const got = await readUntil((b) => endsWithFrame(b));
    // Spec 2.12 §5.4.1: PP_TRK2INC is track 2 in clear, truncated seven positions after '='.
    expect(got.subarray(1, 10).toString('latin1')).toBe('CEX000037');
    expect(got.subarray(10, 16).toString('hex')).toBe('804000023930');
    expect(got.subarray(16, 20).toString('hex')).toBe('8042001b');
    expect(got.subarray(20, 47).toString('latin1')).toBe('6222020200112233446=3012101');
  });

  it('GTK once after the swipe; a second GTK and GPN with PANLEN 00 answer 010', async () => {
    // SPE_TRACKS "0010": track 2 only (spec 2.12 §6.5.12, positions PAN, T1, T2, T3).
    await write(frame('GTK008' + '\x00\x07\x00\x040010'));
    const first = await readUntil((b) => b.length > 1 && endsWithFrame(b.subarray(1)));
    expect(first.subarray(2, 8).toString('latin1')).toBe('GTK000');
    // Block "023": PP_TRACK2 (8045h), length 13h (escaped on the wire as 13 33), then 37
    // track symbols one per nibble ('=' as D) and one F filler.
    expect(first.subarray(8, 35).toString('hex').toUpperCase()).toBe(
      '303233' + '8045' + '001333' + '6222020200112233446D30121010000000000F',
    );
    await write(frame('GTK008' + '\x00\x07\x00\x040010'));
    const second = await readUntil((b) => b.length > 1 && endsWithFrame(b.subarray(1)));
    expect(second.subarray(2, second.length - 3).toString('latin1')).toBe('GTK010');
    const gpn =
      '1' +
      '01' +
      '0'.repeat(32) +
      '00' +
      ' '.repeat(19) +
      '1' +
      '04' +
      '06' +
      'PIN'.padEnd(32, ' ');
    await write(frame(`GPN${String(gpn.length).padStart(3, '0')}${gpn}`));
    const third = await readUntil((b) => b.length > 1 && endsWithFrame(b.subarray(1)));
    expect(third.subarray(2, third.length - 3).toString('latin1')).toBe('GPN010');
  });
});
