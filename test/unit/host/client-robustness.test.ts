// The client against hosts that misbehave below the fault knobs: wrong TMK, garbage bytes,
// absurd lengths. Also checks that its diagnostic log never carries card data or keys.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BankHostClient } from '../../../src-main/host/client';
import { HostError } from '../../../src-main/host/errors';
import { MemoryTerminalState } from '../../../src-main/host/terminal-state';
import { defaultHostSimConfig } from '../../../src-main/sim/host/config';
import { CARD, makeRig, track2Of, type Rig } from './helpers';

let rig: Rig | undefined;
let server: Server | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function rawHost(answer: Buffer): Promise<number> {
  server = createServer((s) => {
    s.on('error', () => undefined);
    s.once('data', () => s.write(answer));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

function clientFor(port: number): BankHostClient {
  return new BankHostClient({
    host: '127.0.0.1',
    port,
    terminalId: 'T0000001',
    merchantId: '898310048160001',
    keys: {
      installWorkingKeys: async () => undefined,
      calculateMac: async () => Buffer.from('00000000'),
    },
    state: new MemoryTerminalState(),
    responseTimeoutMs: 1000,
  });
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return (e as HostError).code;
  }
  return 'no error';
}

describe('client robustness', () => {
  it('refuses working keys when the host uses another TMK (check values fail)', async () => {
    rig = await makeRig();
    expect(defaultHostSimConfig().tmk).not.toBe('0123456789ABCDEFFEDCBA9876543210');
    rig.keys.setMasterKey(Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex'));
    expect(await codeOf(rig.client.signOn('01'))).toBe('HOST_KEYS_REFUSED');
    expect(rig.keys.hasWorkingKeys()).toBe(false);
  });

  it('garbage from the host is HOST_BAD_FRAME', async () => {
    const c = clientFor(await rawHost(Buffer.from('0006FFFFFFFFFFFF', 'hex')));
    expect(await codeOf(c.networkTest())).toBe('HOST_BAD_FRAME');
    await c.close();
  });

  it('an absurd length header is HOST_BAD_FRAME, not a wait for 64 KB', async () => {
    const c = clientFor(await rawHost(Buffer.from('FFFF00', 'hex')));
    expect(await codeOf(c.networkTest())).toBe('HOST_BAD_FRAME');
    await c.close();
  });

  it('the diagnostic log masks the card number and hides PIN block, MAC and keys', async () => {
    const lines: string[] = [];
    rig = await makeRig({}, { log: (l) => lines.push(l) });
    await rig.client.signOn('01');
    const pinBlock = rig.pinBlock(CARD.pin, CARD.pan);
    const r = await rig.client.balanceInquiry({
      pan: CARD.pan,
      track2: track2Of(CARD.pan, CARD.expiry),
      expiry: CARD.expiry,
      entryMode: '02',
      pinBlock,
    });
    expect(r.approved).toBe(true);
    const text = lines.join('\n');
    expect(text).toContain('622202*********3446');
    // A swipe sends the PAN in track 2 only (F2 is for chip and keyed entry).
    expect(text).not.toMatch(/\[002\]/);
    expect(text).toMatch(/\[035\][^\n]*622202\*{9}3446=\*\*\*/);
    expect(text).toContain('0210');
    expect(text).not.toContain(CARD.pan);
    expect(text.toUpperCase()).not.toContain(pinBlock.toString('hex').toUpperCase());
    const keys = rig.keys.clearKeys();
    expect(text.toUpperCase()).not.toContain(keys.mak.toString('hex').toUpperCase());
    expect(text).toMatch(/\[062\][^\n]*\*\*\*/);
    expect(text).toMatch(/\[064\][^\n]*\*\*\*/);
  });
});
