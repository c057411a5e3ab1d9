// Answers a pad may give that our emulator never does: a scripted pad on a raw SerialPort with
// hand-written frames and its own bitwise CRC (none of this project's codec), so the driver's
// handling of odd or unknown answers is seen from the wire. None may reach the cashier as an
// internal error: each is a PinpadError with a Chinese text.
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { AbecsPinpad } from '../../../../src-main/devices/pinpad/abecs/driver';
import { CardData } from '../../../../src-main/devices/pinpad/card';
import { ptyPair } from './pty-fixture';

function crcXmodem(bytes: number[]): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function frame(text: string): Buffer {
  const data = [...Buffer.from(text, 'latin1')];
  const crc = crcXmodem([...data, 0x17]);
  const escaped = data.flatMap((b) =>
    b === 0x13 || b === 0x16 || b === 0x17 ? [0x13, b + 0x20] : [b],
  );
  return Buffer.from([0x16, ...escaped, 0x17, crc >> 8, crc & 0xff]);
}

/** A pad that ACKs every frame, answers EOT to CAN and the scripted text per command id. */
async function scriptedPad(name: string, answers: Record<string, string>) {
  const pty = await ptyPair(name);
  const port = new SerialPort({ path: pty.devicePath, baudRate: 19200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  let pending: number[] | undefined;
  let tail = 0;
  port.on('data', (chunk: Buffer) => {
    for (const b of chunk) {
      if (pending === undefined) {
        if (b === 0x18) port.write(Buffer.of(0x04));
        if (b === 0x16) pending = [];
        continue;
      }
      if (tail > 0) {
        if (--tail === 0) {
          const id = Buffer.from(pending).toString('latin1', 0, 3);
          pending = undefined;
          port.write(Buffer.of(0x06));
          port.write(frame(answers[id] ?? 'ERR010'));
        }
        continue;
      }
      if (b === 0x17) tail = 2;
      else pending.push(b);
    }
  });
  const driver = new AbecsPinpad({ path: pty.hostPath });
  closers.push(
    () => driver.close(),
    () => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())),
    () => pty.close(),
  );
  return driver;
}

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => undefined);
});

const GIN_OK =
  'GIN000100' +
  'ACME'.padEnd(20) +
  'PAD;1MB'.padEnd(19) +
  ' ' +
  'OS'.padEnd(20) +
  '2.12' +
  '001.00 190411'.padEnd(16) +
  'SN1'.padEnd(20);
const card = new CardData('swipe', { pan: '6222020200112233446' });
const key = {
  scheme: 'mkwk' as const,
  algorithm: '3des' as const,
  masterKeyIndex: 1,
  workingKeyEncrypted: Buffer.alloc(16, 0x11),
};

describe('ABECS driver and answers from the wire', () => {
  it('a GIN answer shorter than its 100 characters is a PROTOCOL error, not a crash', async () => {
    const driver = await scriptedPad('abecs-answers-gin', { OPN: 'OPN000', GIN: 'GIN000005SHORT' });
    const err = await driver.open().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'PinpadError', code: 'PROTOCOL' });
    expect((err as { messageZh: string }).messageZh).toBe('密码键盘通讯错误，请重试');
  });

  it('a GPN answer that is not hexadecimal is a PROTOCOL error', async () => {
    const driver = await scriptedPad('abecs-answers-gpn', {
      OPN: 'OPN000',
      GIN: GIN_OK,
      GPN: 'GPN000036' + 'Z'.repeat(36),
    });
    await driver.open();
    await expect(driver.getPin({ card, key })).rejects.toMatchObject({
      name: 'PinpadError',
      code: 'PROTOCOL',
    });
  });

  it('§3.1.1 statuses: 044 is BUSY, 061 is CARD_ERROR, one the table lacks is DEVICE_ERROR', async () => {
    const driver = await scriptedPad('abecs-answers-status', {
      OPN: 'OPN000',
      GIN: GIN_OK,
      GPN: 'GPN044',
      DSP: 'DSP099',
      DEX: 'DEX061',
    });
    await driver.open();
    await expect(driver.getPin({ card, key })).rejects.toMatchObject({
      code: 'BUSY',
      details: { command: 'GPN', status: 44 },
      messageZh: '密码键盘正忙，请稍候',
    });
    await expect(driver.showText('X')).rejects.toMatchObject({
      code: 'CARD_ERROR',
      details: { status: 61 },
    });
    await expect(driver.showMessage('X')).rejects.toMatchObject({
      code: 'DEVICE_ERROR',
      details: { command: 'DSP', status: 99 },
      messageZh: '密码键盘返回错误，请重试',
    });
  });

  it('a card number the GPN block cannot carry is BAD_ARGUMENT before anything is sent', async () => {
    const driver = await scriptedPad('abecs-answers-pan', { OPN: 'OPN000', GIN: GIN_OK });
    await driver.open();
    const long = new CardData('swipe', { pan: '12345678901234567890' });
    await expect(driver.getPin({ card: long, key })).rejects.toMatchObject({
      name: 'PinpadError',
      code: 'BAD_ARGUMENT',
    });
  });
});
