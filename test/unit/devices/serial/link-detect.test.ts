import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectPinpadProtocol } from '../../../../src-main/devices/pinpad';
import { SerialLink } from '../../../../src-main/devices/serial/link';
import { createPtyPair, type PtyPair } from '../../../support/pty';
import { startPinpadEmulator, type PinpadEmulator } from '../../../../src-main/sim/pinpad';

const base = `/tmp/cashier-link-detect-${process.pid}`;
const pairs: PtyPair[] = [];
const emulators: PinpadEmulator[] = [];

async function pair(name: string): Promise<PtyPair> {
  const p = await createPtyPair(`${base}-${name}-host`, `${base}-${name}-dev`);
  pairs.push(p);
  return p;
}

let abecs: PtyPair;
let epp: PtyPair;
let silent: PtyPair;

beforeAll(async () => {
  abecs = await pair('abecs');
  epp = await pair('epp');
  silent = await pair('silent');
  emulators.push(await startPinpadEmulator({ protocol: 'abecs', path: abecs.devicePath }));
  emulators.push(await startPinpadEmulator({ protocol: 'cn-epp', path: epp.devicePath }));
});

afterAll(async () => {
  for (const e of emulators) await e.close();
  for (const p of pairs) await p.close();
});

describe('protocol detection', () => {
  it('recognises ABECS (CAN/EOT then OPN ACK)', async () => {
    expect(await detectPinpadProtocol(abecs.hostPath, { timeoutMs: 800 })).toBe('abecs');
  });

  it('recognises the Chinese EPP (status command)', async () => {
    expect(await detectPinpadProtocol(epp.hostPath, { timeoutMs: 800 })).toBe('cn-epp');
  });

  it('answers undefined for a port where nothing answers', async () => {
    expect(await detectPinpadProtocol(silent.hostPath, { timeoutMs: 300 })).toBeUndefined();
  });
});

describe('serial link', () => {
  it('a missing path is PORT_MISSING with a Chinese message', async () => {
    const link = new SerialLink({ path: `${base}-nothing`, baudRate: 9600 });
    await expect(link.open()).rejects.toMatchObject({
      code: 'SERIAL_PORT_MISSING',
      messageZh: '找不到该串口，请检查连接线',
    });
    await expect(link.write(Buffer.of(1))).rejects.toMatchObject({ code: 'SERIAL_NOT_OPEN' });
  });

  it('notices an unplug and reopens when the port comes back', async () => {
    const p = await pair('replug');
    const link = new SerialLink({ path: p.hostPath, baudRate: 9600, pollMs: 30 });
    await link.open();
    const states: string[] = [];
    link.on('state', (s) => states.push(s));
    const lost = new Promise((r) => link.once('lost', r));
    await p.unplug();
    expect(await lost).toMatchObject({ code: 'SERIAL_LOST' });
    const reopened = new Promise((r) => link.once('reopened', () => r(true)));
    await p.replug();
    expect(await reopened).toBe(true);
    expect(states).toEqual(['lost', 'open']);
    // The reopened port carries data.
    const other = new SerialLink({ path: p.devicePath, baudRate: 9600 });
    await other.open();
    const got = new Promise<Buffer>((r) => link.once('data', r));
    await other.write(Buffer.from('hi'));
    expect((await got).toString()).toBe('hi');
    await other.close();
    await link.close();
    expect(link.state).toBe('closed');
  });
});
