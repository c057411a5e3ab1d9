// The host MAC algorithm is a host setting: the client and the acquirer must agree. Our host
// simulator set to each algorithm answers a client set to the same one, and a client set to
// another one gets no trusted answer.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_MAC_ALGORITHMS, type HostMacAlgorithm } from '../../../src-main/common';
import {
  hostMac,
  pinBlockFormat0,
  tdesEncryptEcb,
  unionPayEcbMac,
  x919Mac,
  x99Mac,
} from '../../../src-main/crypto';
import {
  BankHostClient,
  MemoryTerminalState,
  SoftwareKeyStore,
  type HostKeyStore,
} from '../../../src-main/host';
import { defaultHostSimConfig, startHostSimulator } from '../../../src-main/sim/host';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function exchange(hostAlgorithm: HostMacAlgorithm, clientAlgorithm: HostMacAlgorithm) {
  const config = { ...defaultHostSimConfig(), macAlgorithm: hostAlgorithm };
  const sim = await startHostSimulator({ config });
  closers.push(() => sim.close());
  const store = new SoftwareKeyStore(mkdtempSync(path.join(os.tmpdir(), 'mac-alg-')));
  store.setMasterKey(Buffer.from(config.tmk, 'hex'));
  const keys: HostKeyStore = {
    installWorkingKeys: (k) => store.installWorkingKeys(k),
    calculateMac: (mab) => store.calculateMac(mab, clientAlgorithm),
  };
  const client = new BankHostClient({
    host: sim.address.host,
    port: sim.address.port,
    terminalId: 'T0000001',
    merchantId: '898440358120001',
    keys,
    state: new MemoryTerminalState(),
    responseTimeoutMs: 3000,
  });
  closers.push(() => client.close());
  await client.signOn('01');
  const card = config.cards[0]!;
  const pinBlock = tdesEncryptEcb(store.clearKeys().pik, pinBlockFormat0(card.pin, card.pan));
  return client.balanceInquiry({ pan: card.pan, entryMode: '05', pinBlock });
}

describe('host MAC algorithm', () => {
  it('hostMac gives each named algorithm', () => {
    const mak = Buffer.from('C24A8FB57AA20123', 'hex');
    const mab = Buffer.from('0200302004C020C0981100000000000000005100', 'hex');
    expect(hostMac('ecb', mak, mab)).toEqual(unionPayEcbMac(mak, mab));
    expect(hostMac('x9.9', mak, mab)).toEqual(x99Mac(mak, mab));
    expect(hostMac('x9.19', mak, mab)).toEqual(x919Mac(Buffer.concat([mak, mak]), mab));
    const double = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
    expect(hostMac('x9.19', double, mab)).toEqual(x919Mac(double, mab));
  });

  for (const algorithm of HOST_MAC_ALGORITHMS) {
    it(`a host on ${algorithm} answers a terminal on ${algorithm}`, async () => {
      const answer = await exchange(algorithm, algorithm);
      expect(answer).toMatchObject({ approved: true, responseCode: '00' });
    });
  }

  it('a terminal on another algorithm than its host gets no trusted answer', async () => {
    const answer = await exchange('x9.19', 'ecb').catch((e: unknown) => e);
    // The host cannot verify the request (A0, a sign-on-again code) or the client refuses the
    // answer's MAC: either way, no balance is ever shown.
    if (answer instanceof Error) expect(answer).toMatchObject({ code: 'HOST_BAD_MAC' });
    else expect(answer).toMatchObject({ approved: false });
  });
});
