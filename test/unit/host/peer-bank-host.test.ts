// Our bank host client against the clean-room host peer (test/peers/iso8583-host), and our host
// simulator against the clean-room terminal peer: neither side here shares code with the other.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pinBlockFormat0, tdesEncryptEcb } from '../../../src-main/crypto';
import {
  BankHostClient,
  MemoryTerminalState,
  SoftwareKeyStore,
  type BankHostOptions,
} from '../../../src-main/host';
import { defaultHostSimConfig, startHostSimulator } from '../../../src-main/sim/host';
import { PeerPosTerminal, startPeerBankHost, type PeerBankHost } from '../../peers/iso8583-host';

const TMK = '1F2E3D4C5B6A79880123456789ABCDEF';
const CARD = {
  pan: '6222020200112233446',
  pin: '246810',
  ledgerFen: 1_234_567,
  availableFen: 1_200_000,
};
const TRACK2 = `${CARD.pan}=30121010000000000`;

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function peerHost(options: Partial<Parameters<typeof startPeerBankHost>[0]> = {}) {
  const host = await startPeerBankHost({ port: 0, tmk: TMK, cards: [CARD], ...options });
  closers.push(() => host.close());
  return host;
}

function client(host: PeerBankHost, extra: Partial<BankHostOptions> = {}) {
  const keys = new SoftwareKeyStore(mkdtempSync(path.join(os.tmpdir(), 'peer-host-keys-')));
  keys.setMasterKey(Buffer.from(TMK, 'hex'));
  const c = new BankHostClient({
    host: '127.0.0.1',
    port: host.port,
    terminalId: 'T0000001',
    merchantId: '898440358120001',
    keys,
    state: new MemoryTerminalState(),
    responseTimeoutMs: 3000,
    ...extra,
  });
  closers.push(() => c.close());
  return { c, keys };
}

/** What the PIN pad does: ISO 9564 format 0 under the PIK of the last sign-on. */
function pinBlock(keys: SoftwareKeyStore, pin: string, pan = CARD.pan): Buffer {
  return tdesEncryptEcb(keys.clearKeys().pik, pinBlockFormat0(pin, pan));
}

describe('our BankHostClient against the clean-room host peer', () => {
  it('signs on: working keys pass their check values; the peer sees the 0800 it expects', async () => {
    const host = await peerHost();
    const { c } = client(host);
    const result = await c.signOn('01');
    expect(result.responseCode).toBe('00');
    expect(result.keyScheme).toBe('003');
    const signOn = host.exchanges[0]!;
    expect(signOn.request.mti).toBe('0800');
    expect(signOn.response?.fields[39]).toBe('00');
  });

  it('a swiped card with the right PIN is approved with the host balances; the MAC verified', async () => {
    const host = await peerHost();
    const { c, keys } = client(host);
    await c.signOn('01');
    const answer = await c.balanceInquiry({
      track2: TRACK2,
      entryMode: '02',
      pinBlock: pinBlock(keys, CARD.pin),
    });
    expect(answer).toMatchObject({ approved: true, responseCode: '00' });
    expect(answer.ledger?.signedFen).toBe(CARD.ledgerFen);
    expect(answer.available?.signedFen).toBe(CARD.availableFen);
    expect(answer.rrn).toMatch(/^\w{12}$/);
    expect(host.exchanges.at(-1)!.macValid).toBe(true);
  });

  it('a wrong PIN gives response code 55 (a decline, not an error)', async () => {
    const host = await peerHost();
    const { c, keys } = client(host);
    await c.signOn('01');
    const answer = await c.balanceInquiry({
      track2: TRACK2,
      entryMode: '02',
      pinBlock: pinBlock(keys, '000000'),
    });
    expect(answer).toMatchObject({ approved: false, responseCode: '55', responseClass: 'decline' });
  });

  it('the echo test is answered 00', async () => {
    const host = await peerHost();
    const { c } = client(host);
    await c.signOn('01');
    expect((await c.networkTest()).responseCode).toBe('00');
  });

  it('after the host renews the keys elsewhere (A0), it signs on again and asks for a fresh PIN block', async () => {
    const host = await peerHost();
    const { c, keys } = client(host);
    await c.signOn('01');
    const stale = pinBlock(keys, CARD.pin);
    // Another sign-on from a second client of the same terminal makes our MAK stale.
    const other = client(host);
    await other.c.signOn('01');
    let asked = 0;
    const answer = await c.balanceInquiry({
      track2: TRACK2,
      entryMode: '02',
      pinBlock: stale,
      operatorNo: '02',
      requestPinBlock: async () => {
        asked++;
        return pinBlock(keys, CARD.pin);
      },
    });
    expect(asked).toBe(1);
    expect(answer).toMatchObject({ approved: true, retried: true });
    // The automatic re-sign-on was made in the name of the operator running the inquiry.
    const reSignOn = host.exchanges.filter((e) => e.request.mti === '0800').at(-1)!;
    expect(String(reSignOn.request.fields[63]).trim()).toBe('02');
  });
});

describe('our host simulator against the clean-room terminal peer', () => {
  it('signs on, answers a balance inquiry, refuses a wrong PIN with 55 and echoes', async () => {
    const sim = await startHostSimulator({ port: 0 });
    closers.push(() => sim.close());
    const config = defaultHostSimConfig();
    const card = config.cards[0]!;
    const terminal = await PeerPosTerminal.connect({
      host: '127.0.0.1',
      port: sim.address.port,
      tmk: config.tmk,
      terminalId: 'T0000001',
      merchantId: '898440358120001',
    });
    closers.push(() => terminal.close());
    const signOn = await terminal.signOn('01');
    expect(signOn.responseCode).toBe('00');
    const approved = await terminal.balanceInquiry({
      pan: card.pan,
      track2: `${card.pan}=${card.expiry}1010000000000`,
      pin: card.pin,
    });
    expect(approved.responseCode).toBe('00');
    expect(approved.macValid).toBe(true);
    const available = approved.balances.find((b) => b.amountType === '02');
    expect(available?.signedFen).toBe(card.availableFen);
    const wrong = await terminal.balanceInquiry({
      pan: card.pan,
      track2: `${card.pan}=${card.expiry}1010000000000`,
      pin: card.pin === '000000' ? '111111' : '000000',
    });
    expect(wrong.responseCode).toBe('55');
    expect((await terminal.networkTest()).responseCode).toBe('00');
  });
});
