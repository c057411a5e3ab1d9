import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../../support/pty';
import {
  applyPinpadControl,
  startPinpadEmulator,
  type PinpadEmulator,
} from '../../../../src-main/sim/pinpad';

let pty: PtyPair;
let emulator: PinpadEmulator;

beforeAll(async () => {
  const base = `/tmp/cashier-pp-control-${process.pid}`;
  pty = await createPtyPair(`${base}-host`, `${base}-dev`);
  emulator = await startPinpadEmulator({ protocol: 'abecs', path: pty.devicePath, cable: pty });
});

afterAll(async () => {
  await emulator?.close();
  await pty?.close();
});

describe('pinpad-sim control commands', () => {
  it('lists cards with masked numbers only', async () => {
    const reply = (await applyPinpadControl(emulator, 'cards'))?.en;
    expect(reply).toContain('debit-swipe (magstripe) 622202*********3446');
    expect(reply).not.toContain('6222020200112233446');
  });

  it('sets and clears faults', async () => {
    expect((await applyPinpadControl(emulator, 'fault corrupt 2'))?.en).toContain(
      '"corruptCheck":2',
    );
    expect((await applyPinpadControl(emulator, 'fault unplug-on gpn'))?.en).toContain(
      '"unplugOn":"GPN"',
    );
    expect((await applyPinpadControl(emulator, 'fault clear'))?.en).toBe('ok: faults {}');
  });

  it('rejects unknown commands and bad card actions', async () => {
    expect(await applyPinpadControl(emulator, 'dance')).toBeUndefined();
    expect((await applyPinpadControl(emulator, 'insert debit-swipe'))?.en).toBe(
      'error: card "debit-swipe" cannot insert',
    );
    expect((await applyPinpadControl(emulator, 'key x'))?.en).toContain('key 0-9');
  });

  it('unplug and replug the pty pair', async () => {
    expect((await applyPinpadControl(emulator, 'unplug'))?.en).toBe('ok: unplugged');
    expect(pty.plugged).toBe(false);
    expect(emulator.plugged).toBe(false);
    expect((await applyPinpadControl(emulator, 'replug'))?.en).toBe('ok: plugged in');
    expect(emulator.plugged).toBe(true);
  });
});
