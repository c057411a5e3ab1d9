// Training mode: the UI drives the in-process emulator while the real driver reads it.
import { afterAll, describe, expect, it } from 'vitest';
import { pinFromFormat0, tdesDecryptEcb, tdesEncryptEcb } from '../../../../src-main/crypto';
import { createPinpad } from '../../../../src-main/devices/pinpad';
import {
  TRAINING_MASTER_KEY_HEX,
  TRAINING_MASTER_KEY_INDEX,
  startTrainingPinpad,
  type PinpadEmulator,
} from '../../../../src-main/sim/pinpad';

const opened: PinpadEmulator[] = [];
afterAll(async () => {
  for (const t of opened) await t.close();
});

describe('startTrainingPinpad', () => {
  it('a virtual key pad drives a whole swipe + PIN entry, with display and progress events', async () => {
    const training = await startTrainingPinpad({ protocol: 'abecs' });
    opened.push(training);
    const emulator = training;
    const pad = createPinpad({ protocol: 'abecs', path: training.address.hostPath });
    await pad.open();
    const displays: string[] = [];
    const progress: number[] = [];
    emulator.on('display', ({ lines }) => displays.push(lines.join('/')));
    emulator.on('pinProgress', ({ digits }) => progress.push(digits));
    emulator.on('prompt', ({ kind }) => {
      // What the training UI would do when the cashier clicks on the virtual pad.
      if (kind === 'card') emulator.swipeCard('debit-swipe');
      if (kind === 'pin')
        for (const k of ['1', '2', '3', '4', '5', '6', 'enter'] as const) emulator.pressKey(k);
    });
    const read = await pad.waitForCard({ timeoutMs: 10_000 });
    if (read.outcome !== 'card') throw new Error(read.outcome);
    const wk = Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex');
    const pin = await pad.getPin({
      card: read.card,
      timeoutMs: 10_000,
      key: {
        scheme: 'mkwk',
        algorithm: '3des',
        masterKeyIndex: TRAINING_MASTER_KEY_INDEX,
        workingKeyEncrypted: tdesEncryptEcb(Buffer.from(TRAINING_MASTER_KEY_HEX, 'hex'), wk),
      },
    });
    if (pin.outcome !== 'pin') throw new Error(pin.outcome);
    expect(pinFromFormat0(tdesDecryptEcb(wk, pin.pinBlock), read.card.pan)).toBe('123456');
    expect(displays).toContain('INSERT OR SWIPE/CARD');
    expect(displays).toContain('PIN:/******');
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    await pad.close();
  });

  it('two training pads at once get separate cables', async () => {
    const a = await startTrainingPinpad({ protocol: 'cn-epp' });
    const b = await startTrainingPinpad({ protocol: 'cn-epp' });
    opened.push(a, b);
    expect(a.address.hostPath).not.toBe(b.address.hostPath);
    const pad = createPinpad({ protocol: 'cn-epp', path: b.address.hostPath });
    expect((await pad.open()).model).toBe('ZT598-EMU');
    await pad.close();
  });
});
