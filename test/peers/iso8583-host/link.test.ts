// Peer terminal against peer host over real TCP, and once over TLS with a throw-away self-signed
// certificate made with the openssl CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hex } from './codec.js';
import { startPeerBankHost, type PeerBankHost, type PeerBankHostOptions } from './host.js';
import { PeerPosTerminal, type PeerPosTerminalOptions } from './terminal.js';

const TMK = '70F2A84CCBC2AE8625CBB0F2C22AB923';
const TID = '10000001';
const MID = '898100012340001';
const SAVINGS = {
  pan: '6222021234567890128',
  track2: '6222021234567890128=30121010000012345',
  pin: '123456',
};
const OVERDRAWN = { pan: '6217000010001234567', pin: '888888' };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function host(extra: Partial<PeerBankHostOptions> = {}): Promise<PeerBankHost> {
  const h = await startPeerBankHost({
    tmk: TMK,
    cards: [
      { pan: SAVINGS.pan, pin: SAVINGS.pin, ledgerFen: 154271, availableFen: 150000 },
      { pan: OVERDRAWN.pan, pin: OVERDRAWN.pin, ledgerFen: -2500, availableFen: 0 },
    ],
    ...extra,
  });
  closers.push(() => h.close());
  return h;
}

async function terminal(
  port: number,
  extra: Partial<PeerPosTerminalOptions> = {},
): Promise<PeerPosTerminal> {
  const t = await PeerPosTerminal.connect({
    host: '127.0.0.1',
    port,
    tmk: TMK,
    terminalId: TID,
    merchantId: MID,
    responseTimeoutMs: 3000,
    ...extra,
  });
  closers.push(() => t.close());
  return t;
}

describe('peer terminal <-> peer host over TCP', () => {
  it('signs on (003) and gets the same clear keys the host generated', async () => {
    const h = await host();
    const t = await terminal(h.port);
    const r = await t.signOn('01');
    expect(r).toEqual({
      responseCode: '00',
      pik: h.workingKeys!.pik,
      mak: h.workingKeys!.mak,
      batchNo: '000001',
    });
    expect(r.pik).toHaveLength(32);
    expect(r.mak).toHaveLength(16);
    expect(h.exchanges[0]!.request.fields[60]).toBe('00000001003');
  });

  it('approves a swiped inquiry with ledger (01) and available (02) balances and a valid MAC', async () => {
    const h = await host();
    const t = await terminal(h.port);
    await t.signOn('01');
    const r = await t.balanceInquiry(SAVINGS);
    expect(r.responseCode).toBe('00');
    expect(r.macValid).toBe(true);
    expect(r.balances).toEqual([
      { accountType: '10', amountType: '01', currency: '156', signedFen: 154271 },
      { accountType: '10', amountType: '02', currency: '156', signedFen: 150000 },
    ]);
    expect(r.rrn).toMatch(/^\d{12}$/);
    const x = h.exchanges[1]!;
    expect(x.macValid).toBe(true);
    expect(x.request.mti).toBe('0200');
    expect(x.request.fields[3]).toBe('310000');
    expect(x.request.fields[2]).toBeUndefined(); // swipe: PAN only in track 2
    expect(x.request.fields[35]).toBe(SAVINGS.track2);
    const f = x.response!.fields;
    expect(x.response!.mti).toBe('0210');
    expect(f[11]).toBe(x.request.fields[11]);
    expect(f[41]).toBe(TID);
    expect(f[42]).toBe(MID);
    expect(f[12]).toMatch(/^\d{6}$/);
    expect(f[13]).toMatch(/^\d{4}$/);
    expect(f[37]).toBe(r.rrn);
    expect(f[54]).toBe('1001156C0000001542711002156C000000150000');
    // F54 on the wire: LLL 040 as 00 40
    const raw = x.responseFrame!;
    expect(
      raw.indexOf(Buffer.concat([Buffer.from([0x00, 0x40]), Buffer.from('1001156C')])),
    ).toBeGreaterThan(0);
    expect((f[64] as Buffer).toString('ascii')).toMatch(/^[0-9A-F]{8}$/);
  });

  it('approves a contact-chip inquiry (F2, F23, F55) and a debit balance', async () => {
    const h = await host();
    const t = await terminal(h.port);
    await t.signOn('01');
    const r = await t.balanceInquiry({ ...OVERDRAWN, expiry: '3012', entryMode: '051' });
    expect(r.responseCode).toBe('00');
    expect(r.macValid).toBe(true);
    expect(r.balances.map((b) => b.signedFen)).toEqual([-2500, 0]);
    const x = h.exchanges[1]!;
    expect(x.request.fields[2]).toBe(OVERDRAWN.pan);
    expect(x.request.fields[14]).toBe('3012');
    expect(x.request.fields[22]).toBe('051');
    expect(x.request.fields[23]).toBe('001');
    expect(x.request.fields[60]).toBe('0100000100050');
    expect(hex((x.request.fields[55] as Buffer).subarray(0, 2))).toBe('9F26');
    expect(hex((x.response!.fields[55] as Buffer).subarray(0, 2))).toBe('910A');
    expect(x.response!.fields[54]).toBe('1001156D0000000025001002156C000000000000');
  });

  it('wrong PIN -> 55 (with a valid MAC)', async () => {
    const h = await host();
    const t = await terminal(h.port);
    await t.signOn('01');
    const r = await t.balanceInquiry({ ...SAVINGS, pin: '654321' });
    expect(r.responseCode).toBe('55');
    expect(r.macValid).toBe(true);
    expect(r.balances).toEqual([]);
  });

  it('bad MAC -> A0, answered without a MAC and with "sign on again" in the header', async () => {
    const h = await host();
    const t = await terminal(h.port);
    await t.signOn('01');
    t.corruptNextMac();
    const r = await t.balanceInquiry(SAVINGS);
    expect(r.responseCode).toBe('A0');
    expect(r.macValid).toBe(false);
    expect(h.exchanges[1]!.macValid).toBe(false);
    expect(h.exchanges[1]!.response!.fields[64]).toBeUndefined();
    expect(r.raw[9]! & 0x0f).toBe(3);
    // the next, correctly MACed, inquiry goes through
    expect((await t.balanceInquiry(SAVINGS)).responseCode).toBe('00');
  });

  it('a newer sign-on of the same terminal elsewhere invalidates the old MAK -> A0', async () => {
    const h = await host();
    const a = await terminal(h.port);
    const b = await terminal(h.port);
    await a.signOn('01');
    await b.signOn('02');
    expect((await a.balanceInquiry(SAVINGS)).responseCode).toBe('A0');
    expect((await b.balanceInquiry(SAVINGS)).responseCode).toBe('00');
    await a.signOn('01');
    expect((await a.balanceInquiry(SAVINGS)).responseCode).toBe('00');
  });

  it('unknown card -> 14; batch other than the signed-on one -> 77', async () => {
    const h = await host();
    const t = await terminal(h.port, { batchNo: '000007' });
    expect((await t.signOn('01')).batchNo).toBe('000007');
    const unknown = await t.balanceInquiry({ pan: '6200000000000000003', pin: '123456' });
    expect(unknown.responseCode).toBe('14');
    expect(unknown.macValid).toBe(true);
    const other = await terminal(h.port, { batchNo: '000001' });
    other.setWorkingKeys({ pik: h.workingKeys!.pik, mak: h.workingKeys!.mak });
    expect((await other.balanceInquiry(SAVINGS)).responseCode).toBe('77');
  });

  it('forceNextResponseCode answers the next inquiry once', async () => {
    const h = await host();
    const t = await terminal(h.port);
    await t.signOn('01');
    h.forceNextResponseCode('96');
    const r = await t.balanceInquiry(SAVINGS);
    expect(r.responseCode).toBe('96');
    expect(r.macValid).toBe(true);
    expect(r.balances).toEqual([]);
    expect((await t.balanceInquiry(SAVINGS)).responseCode).toBe('00');
  });

  it('echo test 0820 (60.3 = 301) -> 0830 00, before and after sign-on', async () => {
    const h = await host();
    const t = await terminal(h.port);
    expect(await t.networkTest()).toEqual({ responseCode: '00' });
    await t.signOn('01');
    expect(await t.networkTest()).toEqual({ responseCode: '00' });
    expect(h.exchanges[2]!.request.fields[60]).toBe('00000001301');
    expect(h.exchanges[2]!.response!.mti).toBe('0830');
  });

  it('terminal or merchant not configured at the host -> 97', async () => {
    const h = await host({ terminalId: TID, merchantId: '999999999999999' });
    const t = await terminal(h.port);
    expect((await t.signOn('01')).responseCode).toBe('97');
    expect(await t.networkTest()).toEqual({ responseCode: '97' });
    expect(h.workingKeys).toBeUndefined();
  });

  it('a silent host leaves the terminal waiting until it speaks again', async () => {
    const h = await host();
    const t = await terminal(h.port, { responseTimeoutMs: 300 });
    await t.signOn('01');
    h.setSilent(true);
    await expect(t.balanceInquiry(SAVINGS)).rejects.toThrow(/no answer within 300 ms/);
    expect(h.exchanges[1]!.response).toBeNull();
    h.setSilent(false);
    expect((await t.balanceInquiry(SAVINGS)).responseCode).toBe('00');
  });

  it.each(['001', '004'] as const)(
    'key scheme %s: layout, check values, PIN and MAC',
    async (scheme) => {
      const h = await host();
      const t = await terminal(h.port);
      const r = await t.signOn('01', scheme);
      expect(r.responseCode).toBe('00');
      expect(r.pik).toHaveLength(scheme === '001' ? 16 : 32);
      expect((h.exchanges[0]!.response!.fields[62] as Buffer).length).toBe(
        scheme === '001' ? 24 : 60,
      );
      if (scheme === '004') expect(h.workingKeys!.tdk).toHaveLength(32);
      const q = await t.balanceInquiry(SAVINGS);
      expect(q.responseCode).toBe('00');
      expect(q.macValid).toBe(true);
    },
  );

  it('host forcing layout 001 on a terminal that asked for 003: the terminal refuses F62', async () => {
    const h = await host({ keyScheme: '001' });
    const t = await terminal(h.port);
    await expect(t.signOn('01', '003')).rejects.toThrow(
      /F62 for scheme 003 must be 40 bytes, got 24/,
    );
  });
});

describe('peer terminal <-> peer host over TLS', () => {
  let dir = '';
  let key = '';
  let cert = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'iso8583-peer-tls-'));
    execFileSync(
      '/usr/bin/openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore', timeout: 15_000 },
    );
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sign-on, approved inquiry and echo test over TLS with the certificate as CA', async () => {
    const h = await host({ tls: { key, cert } });
    const t = await terminal(h.port, { tls: { ca: cert } });
    expect((await t.signOn('01')).responseCode).toBe('00');
    const r = await t.balanceInquiry(SAVINGS);
    expect(r.responseCode).toBe('00');
    expect(r.macValid).toBe(true);
    expect(r.balances).toHaveLength(2);
    expect((await t.networkTest()).responseCode).toBe('00');
  });

  it('refuses the self-signed certificate when it is not trusted', async () => {
    const h = await host({ tls: { key, cert } });
    await expect(
      PeerPosTerminal.connect({
        host: '127.0.0.1',
        port: h.port,
        tls: {},
        tmk: TMK,
        terminalId: TID,
        merchantId: MID,
      }),
    ).rejects.toThrow(/self[- ]signed/i);
  });
});
