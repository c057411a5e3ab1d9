// Plug a PIN pad in (a pty pair with an emulator appears), see it in the list with its protocol.
import { rmSync, symlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { PinpadFinder, type FoundPinpad } from '../../../../src-main/devices/pinpad';
import type { PortDescriptor } from '../../../../src-main/devices/serial/discovery';
import { createPtyPair, type PtyPair } from '../../../../src-main/devices/serial/pty';
import { startPinpadEmulator, type PinpadEmulator } from '../../../../src-main/sim/pinpad';

const base = `/tmp/cashier-finder-${process.pid}`;
let pty: PtyPair | undefined;
let emulator: PinpadEmulator | undefined;
// The finder watches an alias that appears only once the emulator is up (like a udev by-id link).
const alias = `${base}-by-id`;
const finder = new PinpadFinder({
  extraPaths: [alias],
  intervalMs: 50,
  detectTimeoutMs: 500,
  list: async () => [],
});

afterAll(async () => {
  finder.stop();
  await emulator?.stop();
  await pty?.close();
  rmSync(alias, { force: true });
});

describe('PinpadFinder', () => {
  it('reports a plugged-in EPP with its protocol, and its removal', async () => {
    await finder.start();
    expect(finder.pinpads).toEqual([]);
    const found = new Promise<FoundPinpad>((r) => finder.once('found', r));
    pty = await createPtyPair(`${base}-host`, `${base}-dev`);
    emulator = await startPinpadEmulator({ protocol: 'cn-epp', path: pty.devicePath, cable: pty });
    symlinkSync(pty.hostPath, alias);
    const item = await found;
    expect(item).toEqual({ port: { path: alias, source: 'extra' }, protocol: 'cn-epp' });
    expect(finder.pinpads).toHaveLength(1);
    const lost = new Promise<PortDescriptor>((r) => finder.once('lost', r));
    await emulator.unplug();
    expect((await lost).path).toBe(alias);
    expect(finder.pinpads).toEqual([]);
  });
});
