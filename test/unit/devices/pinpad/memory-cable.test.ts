// Training mode on any PC: the same drivers and emulators over an in-memory cable (no socat).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinFromFormat0, tdesDecryptEcb, tdesEncryptEcb } from '../../../../src-main/crypto';
import { createPinpad, type Pinpad, type PinpadHealth } from '../../../../src-main/devices/pinpad';
import { createMemoryCablePair, type Cable } from '../../../../src-main/devices/serial/cable';
import {
  TRAINING_MASTER_KEY_HEX,
  startPinpadEmulator,
  type PinpadEmulator,
} from '../../../../src-main/sim/pinpad';
import { waitForEvent } from './pty-fixture';

const WK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const key = {
  scheme: 'mkwk' as const,
  algorithm: '3des' as const,
  masterKeyIndex: 1,
  workingKeyEncrypted: tdesEncryptEcb(Buffer.from(TRAINING_MASTER_KEY_HEX, 'hex'), WK),
};

let cable: Cable;
let emulator: PinpadEmulator;
let pad: Pinpad;

beforeAll(async () => {
  cable = createMemoryCablePair(`pinpad-memory-${process.pid}`);
  emulator = await startPinpadEmulator({
    protocol: 'abecs',
    path: cable.devicePath,
    cable,
    pin: '123456',
    autoCard: 'debit-swipe',
    keyIntervalMs: 2,
  });
  pad = createPinpad({ protocol: 'abecs', path: cable.hostPath, pollMs: 30 });
});

afterAll(async () => {
  await pad?.close().catch(() => undefined);
  await emulator?.close();
  await cable?.close();
});

describe('ABECS over an in-memory cable', () => {
  it('opens, reads a swiped card and a PIN block', async () => {
    expect((await pad.open()).model).toBe('ABECS-EMU');
    const read = await pad.waitForCard();
    if (read.outcome !== 'card') throw new Error(read.outcome);
    expect(read.card.maskedPan).toBe('622202*********3446');
    const pin = await pad.getPin({ card: read.card, key });
    if (pin.outcome !== 'pin') throw new Error(pin.outcome);
    expect(pinFromFormat0(tdesDecryptEcb(WK, pin.pinBlock), read.card.pan)).toBe('123456');
  });

  it('an unplugged cable is NOT_CONNECTED; plugging it back reconnects', async () => {
    const gone = waitForEvent<{ state: PinpadHealth }>(
      (cb) => pad.on('health', cb),
      (h) => h.state === 'disconnected',
    );
    await emulator.unplug();
    await gone;
    await expect(pad.info()).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    const back = waitForEvent<{ state: PinpadHealth }>(
      (cb) => pad.on('health', cb),
      (h) => h.state === 'connected',
    );
    await emulator.replug();
    await back;
    expect((await pad.info()).serialNumber).toBe('EMU0000000000001');
  });
});
