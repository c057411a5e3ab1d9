import { afterEach, describe, expect, it } from 'vitest';
import { HostError } from '../../../src-main/host/errors';
import { CARD, makeRig, track2Of, type Rig } from './helpers';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

async function signedOnRig(...args: Parameters<typeof makeRig>): Promise<Rig> {
  rig = await makeRig(...args);
  await rig.client.signOn('01');
  return rig;
}

function swipe(r: Rig, pin = CARD.pin, pan = CARD.pan, expiry = CARD.expiry) {
  return {
    pan,
    track2: track2Of(pan, expiry),
    expiry,
    entryMode: '02',
    pinBlock: r.pinBlock(pin, pan),
    // After a re-sign-on the PIN pad encrypts the PIN again under the new PIK.
    requestPinBlock: async () => r.pinBlock(pin, pan),
  };
}

async function errorOf(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HostError);
    return e as HostError;
  }
  throw new Error('expected a HostError');
}

describe('BankHostClient against the host simulator over TCP', () => {
  it('signs on: keys verify against their check values and the batch is kept', async () => {
    rig = await makeRig();
    const r = await rig.client.signOn('01');
    expect(r.responseCode).toBe('00');
    expect(r.keyScheme).toBe('003');
    expect(r.batchNo).toMatch(/^\d{6}$/);
    expect(r.checkValues.pik).toMatch(/^[0-9A-F]{8}$/);
    expect(rig.keys.hasWorkingKeys()).toBe(true);
    expect(rig.sim.stats.signOns).toBe(1);
  });

  it('approved inquiry: typed F54 balances, RRN and a verified response MAC', async () => {
    const r = await signedOnRig();
    const res = await r.client.balanceInquiry(swipe(r));
    expect(res.approved).toBe(true);
    expect(res.responseCode).toBe('00');
    expect(res.responseClass).toBe('success');
    expect(res.messageZh).toBe('交易成功');
    expect(res.ledger).toMatchObject({
      kind: 'ledger',
      currency: '156',
      sign: 'C',
      amountFen: 1234567,
    });
    expect(res.available).toMatchObject({ kind: 'available', amountFen: 1200000 });
    expect(res.rrn).toMatch(/^\d{12}$/);
    expect(res.maskedPan).toBe('622202*********3446');
    expect(res.signedOnAgain).toBe(false);
  });

  it('a chip inquiry sends F55 and gets issuer data back; a debit balance has sign D', async () => {
    const r = await signedOnRig();
    const pan = '6258070000000000102';
    const res = await r.client.balanceInquiry({
      pan,
      expiry: '3106',
      entryMode: '05',
      cardSequence: '1',
      iccData: Buffer.from('9F2608112233445566778899', 'hex'),
      pinBlock: r.pinBlock('888888', pan),
    });
    expect(res.approved).toBe(true);
    expect(res.ledger).toMatchObject({ sign: 'D', signedFen: -150000, accountType: '30' });
    expect(res.issuerData?.[0]).toBe(0x91);
  });

  it('55 for a wrong PIN, then 75 after too many tries', async () => {
    const r = await signedOnRig();
    const first = await r.client.balanceInquiry(swipe(r, '000000'));
    expect(first.responseCode).toBe('55');
    expect(first.responseClass).toBe('decline');
    expect(first.approved).toBe(false);
    expect(first.balances).toEqual([]);
    await r.client.balanceInquiry(swipe(r, '000000'));
    const third = await r.client.balanceInquiry(swipe(r, '000000'));
    expect(third.responseCode).toBe('75');
    const locked = await r.client.balanceInquiry(swipe(r));
    expect(locked.responseCode).toBe('75');
  });

  it('lost, expired and unknown cards', async () => {
    const r = await signedOnRig();
    const lost = await r.client.balanceInquiry(swipe(r, '111111', '6217001234567890122', '3012'));
    expect(lost.responseCode).toBe('41');
    const expired = await r.client.balanceInquiry(
      swipe(r, '222222', '6225880012345678913', '2101'),
    );
    expect(expired.responseCode).toBe('54');
    const unknown = await r.client.balanceInquiry(
      swipe(r, '123456', '6222000000000000000', '3012'),
    );
    expect(unknown.responseCode).toBe('14');
  });

  it('network test answers 00 with a latency', async () => {
    const r = await signedOnRig();
    const t = await r.client.networkTest();
    expect(t.responseCode).toBe('00');
    expect(t.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('signs on again by itself and retries once on A0 (host lost our keys)', async () => {
    const r = await signedOnRig();
    r.sim.forgetKeys('T0000001');
    const res = await r.client.balanceInquiry(swipe(r));
    expect(res.responseCode).toBe('00');
    expect(res.signedOnAgain).toBe(true);
    expect(res.retried).toBe(true);
    expect(r.sim.stats.signOns).toBe(2);
    expect(r.sim.stats.macErrors).toBe(1);
  });

  it('after a restart with stored keys, re-signs on with the configured default operator', async () => {
    const r = await signedOnRig();
    await r.client.close();
    const { BankHostClient } = await import('../../../src-main/host/client');
    const { FileTerminalState } = await import('../../../src-main/host/terminal-state');
    const restarted = new BankHostClient({
      host: '127.0.0.1',
      port: r.sim.address.port,
      terminalId: 'T0000001',
      merchantId: '898310048160001',
      keys: r.keys,
      state: new FileTerminalState(`${r.dir}/terminal-state.json`),
      defaultOperatorNo: '01',
    });
    try {
      // Stored keys still work without a new sign-on.
      expect((await restarted.balanceInquiry(swipe(r))).approved).toBe(true);
      r.sim.forgetKeys('T0000001');
      const res = await restarted.balanceInquiry(swipe(r));
      expect(res).toMatchObject({ responseCode: '00', signedOnAgain: true, retried: true });
    } finally {
      await restarted.close();
    }
  });

  it('signs on again and retries on 77 (batch moved on the host)', async () => {
    const r = await signedOnRig();
    r.sim.setBatch('T0000001', '000777');
    const res = await r.client.balanceInquiry(swipe(r));
    expect(res.responseCode).toBe('00');
    expect(res.signedOnAgain).toBe(true);
  });

  it('signs on again and retries on 99 (forced once)', async () => {
    const r = await signedOnRig();
    r.sim.faults.set({ forceResponseCode: '99', mti: ['0200'], times: 1 });
    const res = await r.client.balanceInquiry(swipe(r));
    expect(res.responseCode).toBe('00');
    expect(res.signedOnAgain).toBe(true);
  });

  it('without a way to get a fresh PIN block it signs on again but does not retry', async () => {
    const r = await signedOnRig();
    r.sim.forgetKeys('T0000001');
    const req = swipe(r);
    delete (req as Partial<typeof req>).requestPinBlock;
    const res = await r.client.balanceInquiry(req);
    expect(res).toMatchObject({ responseCode: 'A0', signedOnAgain: true, retried: false });
    expect(r.sim.stats.signOns).toBe(2);
    expect((await r.client.balanceInquiry(swipe(r))).approved).toBe(true);
  });

  it('a header asking for sign-on makes the client sign on after the answer', async () => {
    const r = await signedOnRig();
    r.sim.faults.set({ requireSignOn: true, mti: ['0200'], times: 1 });
    const res = await r.client.balanceInquiry(swipe(r));
    expect(res.approved).toBe(true);
    expect(r.sim.stats.signOns).toBe(2);
    expect((await r.client.balanceInquiry(swipe(r))).approved).toBe(true);
  });

  it('retries only once: a second A0 is returned as it is', async () => {
    const r = await signedOnRig();
    r.sim.faults.set({ forceResponseCode: 'A0', mti: ['0200'] });
    const res = await r.client.balanceInquiry(swipe(r));
    expect(res.responseCode).toBe('A0');
    expect(res.responseClass).toBe('sign-on-again');
    expect(res.signedOnAgain).toBe(true);
    expect(r.sim.stats.signOns).toBe(2);
  });

  it('inquiry before any sign-on is a typed error', async () => {
    rig = await makeRig();
    const e = await errorOf(rig.client.balanceInquiry({ pan: CARD.pan, entryMode: '05' }));
    expect(e.code).toBe('HOST_NOT_SIGNED_ON');
  });

  it('bad card data is refused before anything is sent', async () => {
    const r = await signedOnRig();
    const e = await errorOf(r.client.balanceInquiry({ pan: '12', entryMode: '02' }));
    expect(e.code).toBe('HOST_BAD_REQUEST');
    expect(e.messageZh).toBe('请求数据不合法');
  });

  it('sign-on refused by the host (97) is a typed error with the response code', async () => {
    rig = await makeRig({ faults: { forceResponseCode: '97', mti: ['0800'] } });
    const e = await errorOf(rig.client.signOn('01'));
    expect(e.code).toBe('HOST_SIGN_ON_FAILED');
    expect(e.responseCode).toBe('97');
  });

  it('closes an idle connection and reconnects for the next exchange', async () => {
    rig = await makeRig({}, { idleCloseMs: 100 });
    expect(rig.client.online).toBe(false);
    await rig.client.signOn('01');
    expect(rig.client.online).toBe(true);
    for (let i = 0; i < 50 && rig.client.online; i++) await new Promise((r) => setTimeout(r, 20));
    expect(rig.client.online).toBe(false);
    expect((await rig.client.networkTest()).responseCode).toBe('00');
    expect(rig.client.online).toBe(true);
  });

  it('closed client refuses further work, including work queued before close()', async () => {
    rig = await makeRig();
    await rig.client.signOn('01');
    const first = rig.client.networkTest();
    const queued = rig.client.networkTest();
    await rig.client.close();
    await first.catch(() => undefined);
    expect((await errorOf(queued)).code).toBe('HOST_CLOSED');
    expect(rig.client.online).toBe(false);
    expect((await errorOf(rig.client.networkTest())).code).toBe('HOST_CLOSED');
  });
});

describe('fault knobs reach the client as typed errors', () => {
  it('delay beyond the response timeout -> HOST_TIMEOUT, then the next exchange reconnects', async () => {
    const r = await signedOnRig({}, { responseTimeoutMs: 300 });
    r.sim.faults.set({ delayMs: 1000, times: 1 });
    expect((await errorOf(r.client.balanceInquiry(swipe(r)))).code).toBe('HOST_TIMEOUT');
    const ok = await r.client.balanceInquiry(swipe(r));
    expect(ok.responseCode).toBe('00');
  });

  it('a short delay is only slower', async () => {
    const r = await signedOnRig();
    r.sim.faults.set({ delayMs: 50, times: 1 });
    expect((await r.client.balanceInquiry(swipe(r))).approved).toBe(true);
  });

  it('drop -> HOST_TIMEOUT', async () => {
    const r = await signedOnRig({}, { responseTimeoutMs: 300 });
    r.sim.faults.set({ drop: true, times: 1 });
    expect((await errorOf(r.client.networkTest())).code).toBe('HOST_TIMEOUT');
    expect((await r.client.networkTest()).responseCode).toBe('00');
  });

  it('close mid-frame -> HOST_CONNECTION_CLOSED, then reconnect', async () => {
    const r = await signedOnRig();
    r.sim.faults.set({ closeMidFrame: true, times: 1 });
    const e = await errorOf(r.client.balanceInquiry(swipe(r)));
    expect(e.code).toBe('HOST_CONNECTION_CLOSED');
    expect(e.message).toContain('middle of a frame');
    expect((await r.client.balanceInquiry(swipe(r))).approved).toBe(true);
  });

  it('wrong STAN -> HOST_MISMATCHED_RESPONSE', async () => {
    const r = await signedOnRig();
    r.sim.faults.set({ wrongStan: true, times: 1 });
    expect((await errorOf(r.client.balanceInquiry(swipe(r)))).code).toBe(
      'HOST_MISMATCHED_RESPONSE',
    );
    expect((await r.client.balanceInquiry(swipe(r))).approved).toBe(true);
  });

  it('bad response MAC -> HOST_BAD_MAC and the balance is not returned', async () => {
    const r = await signedOnRig();
    r.sim.faults.set({ badMac: true, times: 1 });
    const e = await errorOf(r.client.balanceInquiry(swipe(r)));
    expect(e.code).toBe('HOST_BAD_MAC');
    expect(e.messageZh).toContain('MAC');
  });

  it('forced response code -> the typed class and texts', async () => {
    const r = await signedOnRig();
    r.sim.faults.set({ forceResponseCode: '51', times: 1 });
    const res = await r.client.balanceInquiry(swipe(r));
    expect(res).toMatchObject({
      responseCode: '51',
      responseClass: 'decline',
      messageZh: '余额不足',
    });
  });

  it('connection refused -> HOST_CONNECT_FAILED', async () => {
    rig = await makeRig();
    const port = rig.sim.address.port;
    await rig.sim.close();
    const { BankHostClient } = await import('../../../src-main/host/client');
    const c = new BankHostClient({
      host: '127.0.0.1',
      port,
      terminalId: 'T0000001',
      merchantId: '898310048160001',
      keys: rig.keys,
      state: new (await import('../../../src-main/host/terminal-state')).MemoryTerminalState(),
    });
    expect((await errorOf(c.networkTest())).code).toBe('HOST_CONNECT_FAILED');
    await c.close();
  });
});
