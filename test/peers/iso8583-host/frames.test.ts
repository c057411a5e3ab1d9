// Whole frames written out BY HAND from the reference (cup-pos-8583.md), compared with what the
// peer terminal puts on the wire and fed to it / to the peer host over real TCP.
// F52 and the F64 MACs below were computed once, outside this code, with Python `cryptography`
// (3DES-ECB) following the reference steps; they are literals here.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameReader, fromHex, hex } from './codec.js';
import { startPeerBankHost, type PeerBankHost } from './host.js';
import { PeerPosTerminal } from './terminal.js';

const TMK = '258FB0AB70D025CDB99DF2C4D302D646';
const TID = '12345678';
const MID = '123456789012345';
const TID_HEX = '3132333435363738';
const MID_HEX = '313233343536373839303132333435';
const PIK = 'A1B2C3D4E5F60718293A4B5C6D7E8F90';
const MAK = '0F1E2D3C4B5A6978';
const CARD = {
  pan: '6222021234567890128',
  track2: '6222021234567890128=30121010000012345',
  pin: '123456',
};

/** Fresh terminal, sign-on as operator "01": trace 000001, batch 000001, 60.3 = 003. */
const SIGN_ON_0800 = [
  '003C', // LEN = 60
  '6000030000', // TPDU: ID 60, destination 0003, source 0000
  '603100311004', // header
  '0800',
  '0020000000C00012', // bitmap 11 41 42 60 63 (the "seen" sign-on bitmap)
  '000001', // F11
  TID_HEX, // F41 ans8
  MID_HEX, // F42 ans15
  '0011' + '000000010030', // F60 LLL 011: 00 + 000001 + 003, trailing 0 nibble
  '0003' + '303120', // F63 LLL 003 bytes: "01 "
].join('');

/** Echo test after that sign-on: trace 000002, 60.3 = 301. */
const ECHO_0820 = [
  '0037', // LEN = 55
  '6000030000',
  '603100311004',
  '0820',
  '0020000000C00010', // 11 41 42 60
  '000002',
  TID_HEX,
  MID_HEX,
  '0011' + '000000013010', // 00 + 000001 + 301
].join('');

/** Swiped balance inquiry with PIN, working keys PIK/MAK above, trace 000001. */
const INQUIRY_0200 = [
  '006E', // LEN = 110
  '6000030000',
  '603100311004',
  '0200',
  '202004C020C09811', // 3 11 22 25 26 35 41 42 49 52 53 60 64
  '310000', // F3 balance inquiry
  '000001', // F11
  '0210', // F22 "021" left-justified
  '00', // F25
  '06', // F26
  '37' + '6222021234567890128D30121010000012345' + '0', // F35: 37 digits, = as D, pad 0
  TID_HEX,
  MID_HEX,
  '313536', // F49 "156"
  '2E31BB08A843460C', // F52: format 0 block 06122662A9876FED under the PIK
  '2600000000000000', // F53
  '0013' + '01000001000500', // F60: 01 + 000001 + 000 + 5 + 0, 13 digits
  '3530323735364345', // F64: "502756CE"
].join('');

/** An approved answer to INQUIRY_0200, with the two balances of the reference example. */
const INQUIRY_0210 = [
  '008A', // LEN = 138
  '6000000003', // TPDU swapped
  '603100311004',
  '0210',
  '203800010AC08411', // 3 11 12 13 32 37 39 41 42 49 54 60 64
  '310000',
  '000001',
  '101509', // F12
  '1231', // F13
  '11' + '010200010000', // F32: 11 digits
  '313031353039303030303031', // F37 "101509000001"
  '3030', // F39 "00"
  TID_HEX,
  MID_HEX,
  '313536',
  '0040' + Buffer.from('1001156C0000001542711002156C000000154271').toString('hex'), // F54
  '0013' + '01000001000500',
  '3346334137434137', // F64: "3F3A7CA7"
].join('');

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function host(extra: { terminalId?: string } = {}): Promise<PeerBankHost> {
  const h = await startPeerBankHost({
    tmk: TMK,
    cards: [{ pan: CARD.pan, pin: CARD.pin, ledgerFen: 154271, availableFen: 154271 }],
    ...extra,
  });
  closers.push(() => h.close());
  return h;
}

async function terminal(port: number): Promise<PeerPosTerminal> {
  const t = await PeerPosTerminal.connect({
    host: '127.0.0.1',
    port,
    tmk: TMK,
    terminalId: TID,
    merchantId: MID,
    responseTimeoutMs: 3000,
  });
  closers.push(() => t.close());
  return t;
}

/** A raw TCP client: sends bytes, resolves with the next whole frame. */
async function rawExchange(port: number, frame: Buffer): Promise<Buffer> {
  const socket = net.connect({ host: '127.0.0.1', port });
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        socket.destroy();
        resolve();
      }),
  );
  const reader = new FrameReader();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer')), 3000);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      const frames = reader.push(chunk);
      if (frames.length) {
        clearTimeout(timer);
        resolve(frames[0]!);
      }
    });
    socket.write(frame);
  });
}

describe('peer terminal output equals the hand-written frames', () => {
  it('0800 sign-on and 0820 echo test', async () => {
    const h = await host();
    const t = await terminal(h.port);
    const r = await t.signOn('01');
    expect(r.responseCode).toBe('00');
    expect(hex(t.sent[0]!)).toBe(SIGN_ON_0800);
    expect(hex(h.exchanges[0]!.requestFrame)).toBe(SIGN_ON_0800);
    expect((await t.networkTest()).responseCode).toBe('00');
    expect(hex(t.sent[1]!)).toBe(ECHO_0820);

    // The host's 0810: TPDU swapped, header echoed with processing requirement 0, the "seen"
    // sign-on answer bitmap 003800010AC00014 (11 12 13 32 37 39 41 42 60 62).
    const answer = h.exchanges[0]!.responseFrame!;
    expect(hex(answer.subarray(2, 7))).toBe('6000000003');
    expect(hex(answer.subarray(7, 13))).toBe('603100311004');
    expect(hex(answer.subarray(13, 15))).toBe('0810');
    expect(hex(answer.subarray(15, 23))).toBe('003800010AC00014');
    // 0830: 11 12 13 39 41 42 60
    const echo = h.exchanges[1]!.responseFrame!;
    expect(hex(echo.subarray(13, 23))).toBe('08300038000002C00010');
  });

  it('0200 balance inquiry (swipe, PIN) with fixed working keys', async () => {
    const h = await host();
    const t = await terminal(h.port);
    t.setWorkingKeys({ pik: PIK, mak: MAK });
    const r = await t.balanceInquiry(CARD);
    expect(hex(t.sent[0]!)).toBe(INQUIRY_0200);
    // The host never signed this terminal on: A0, no MAC, header processing requirement 3.
    expect(r.responseCode).toBe('A0');
    expect(r.macValid).toBe(false);
    expect(h.exchanges[0]!.macValid).toBe(false);
    expect(h.exchanges[0]!.response!.fields[64]).toBeUndefined();
    expect(hex(r.raw.subarray(7, 13))).toBe('603103311004');
  });
});

describe('hand-written frames on the wire', () => {
  it('the peer terminal reads a hand-written 0210: two balances, RRN, valid MAC', async () => {
    const answer = fromHex(INQUIRY_0210);
    const server = net.createServer((s) => {
      const reader = new FrameReader();
      s.on('data', (chunk: Buffer) => {
        const frames = reader.push(chunk);
        for (let i = 0; i < frames.length; i++) s.write(answer);
      });
      s.on('error', () => s.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
        }),
    );
    const port = (server.address() as net.AddressInfo).port;
    const t = await terminal(port);
    t.setWorkingKeys({ pik: PIK, mak: MAK });
    const r = await t.balanceInquiry(CARD);
    expect(r.responseCode).toBe('00');
    expect(r.macValid).toBe(true);
    expect(r.rrn).toBe('101509000001');
    expect(r.balances).toEqual([
      { accountType: '10', amountType: '01', currency: '156', signedFen: 154271 },
      { accountType: '10', amountType: '02', currency: '156', signedFen: 154271 },
    ]);
    expect(hex(r.raw)).toBe(INQUIRY_0210);
    expect(hex(t.sent[0]!)).toBe(INQUIRY_0200);
  });

  it('the peer host answers a hand-written 0800 and a hand-written 0820', async () => {
    const h = await host();
    const signOn = await rawExchange(h.port, fromHex(SIGN_ON_0800));
    expect(hex(signOn.subarray(0, 23))).toBe(
      '007B' + '6000000003' + '603100311004' + '0810' + '003800010AC00014',
    );
    const f = h.exchanges[0]!.response!.fields;
    expect(f[11]).toBe('000001');
    expect(f[39]).toBe('00');
    expect(f[41]).toBe(TID);
    expect(f[42]).toBe(MID);
    expect(f[60]).toBe('00000001003');
    expect((f[62] as Buffer).length).toBe(40);
    expect(h.exchanges[0]!.request.fields[63]).toBe('01 ');

    const echo = await rawExchange(h.port, fromHex(ECHO_0820));
    expect(hex(echo.subarray(13, 23))).toBe('08300038000002C00010');
    expect(h.exchanges[1]!.response!.fields[39]).toBe('00');
  });

  it('the peer host answers 97 to a terminal it does not know', async () => {
    const h = await host({ terminalId: '87654321' });
    await rawExchange(h.port, fromHex(SIGN_ON_0800));
    const r = h.exchanges[0]!.response!;
    expect(r.mti).toBe('0810');
    expect(r.fields[39]).toBe('97');
    expect(r.fields[62]).toBeUndefined();
  });

  it('the peer host answers 30 to a frame with a bad pad nibble', async () => {
    const h = await host();
    // F60 with pad nibble F instead of 0
    const broken = fromHex(SIGN_ON_0800.replace('0011000000010030', '001100000001003F'));
    const answer = await rawExchange(h.port, broken);
    expect(hex(answer.subarray(13, 15))).toBe('0810');
    expect(h.exchanges[0]!.error).toMatch(/pad nibble/);
    expect(h.exchanges[0]!.response!.fields[39]).toBe('30');
  });
});
