// The wallet client against the wallet host simulator over real HTTPS on 127.0.0.1, with a
// certificate generated for the test by the openssl command line.
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  keyCheckValue,
  pinBlockFormat0,
  pinBlockFormat1,
  tdesDecryptEcb,
  tdesEncryptEcb,
} from '../../../../src-main/crypto';
import { TRAINING_MASTER_KEY_HEX } from '../../../../src-main/sim/pinpad/training';
import {
  WalletClient,
  WalletError,
  walletClientOptionsFrom,
  walletHostSettingsSchema,
  walletPinBlockPan,
  type WalletClientOptions,
} from '../../../../src-main/host/wallet';
import {
  TRAINING_WALLET_TERMINAL,
  startWalletSimulator,
  type WalletSimulator,
  type WalletSimulatorOptions,
} from '../../../../src-main/sim/wallet';
import { makeTestCert, type TestCert } from '../../sim/wallet/tls-fixture';

const PHONE = '13812345678';
const WALLET_ID = '8800000000000001';
const PIN_KEY = Buffer.from(TRAINING_WALLET_TERMINAL.pinKey, 'hex');

let cert: TestCert;
let otherCert: TestCert;
const running: WalletSimulator[] = [];

beforeAll(() => {
  cert = makeTestCert();
  otherCert = makeTestCert();
});
afterAll(() => {
  cert.remove();
  otherCert.remove();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function sim(options: Partial<WalletSimulatorOptions> = {}): Promise<WalletSimulator> {
  const s = await startWalletSimulator({
    port: 0,
    tls: { key: cert.key, cert: cert.cert },
    ...options,
  });
  running.push(s);
  return s;
}

function client(
  s: { url: string } | WalletSimulator,
  options: Partial<WalletClientOptions> = {},
): WalletClient {
  return new WalletClient({
    baseUrl: 'address' in s ? s.address.url : s.url,
    terminalId: TRAINING_WALLET_TERMINAL.terminalId,
    signingKey: TRAINING_WALLET_TERMINAL.signingKey,
    tls: { pinnedSha256: cert.fingerprint256 },
    connectTimeoutMs: 3000,
    responseTimeoutMs: 5000,
    ...options,
  });
}

/** Resolves to the WalletError a promise rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<WalletError> {
  const outcome = await p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  expect(outcome.error).toBeInstanceOf(WalletError);
  return outcome.error as WalletError;
}

function passwordBlock(password: string, account: string): Buffer {
  return tdesEncryptEcb(PIN_KEY, pinBlockFormat0(password, walletPinBlockPan(account)));
}

describe('SMS code path', () => {
  test('a code is "sent", read from the simulator and proves the balance', async () => {
    const s = await sim();
    const c = client(s);
    const sent = await c.requestSmsCode('138 1234 5678');
    expect(sent).toEqual({
      accountMasked: '138****5678',
      sentToMasked: '138****5678',
      expiresInSeconds: 300,
      resendAfterSeconds: 60,
    });
    const code = s.lastCodeFor(PHONE);
    expect(code).toMatch(/^\d{6}$/);
    expect(s.sentCodes()).toEqual([{ account: PHONE, phone: PHONE, code, at: expect.any(Number) }]);

    const balance = await c.balanceWithSmsCode(PHONE, code!);
    expect(balance).toMatchObject({
      accountKind: 'phone',
      accountMasked: '138****5678',
      holderMasked: '*三',
      ledgerFen: 1_254_300,
      availableFen: 1_204_300,
      currency: '156',
      verifiedBy: 'sms',
    });
    expect(balance.reference).toMatch(/^W\d{11}$/);
    // The same amounts in the card balance shape (as from ISO 8583 F54).
    expect(balance.ledger).toEqual({
      accountType: '00',
      amountTypeCode: '01',
      kind: 'ledger',
      currency: '156',
      sign: 'C',
      amountFen: 1_254_300,
      signedFen: 1_254_300,
    });
    expect(balance.available).toMatchObject({ kind: 'available', signedFen: 1_204_300 });
    // One code, one inquiry.
    const again = await failure(c.balanceWithSmsCode(PHONE, code!));
    expect(again.code).toBe('SMS_CODE_NOT_REQUESTED');
  });

  test('a wallet account number works too; the code goes to the bound phone', async () => {
    const s = await sim();
    const c = client(s);
    const sent = await c.requestSmsCode('8800000012345678');
    expect(sent.accountMasked).toBe('8800********5678');
    expect(sent.sentToMasked).toBe('137****1111');
    expect(s.sentCodes()[0]!.phone).toBe('13700001111');
    const balance = await c.balanceWithSmsCode('8800000012345678', s.lastCodeFor('13700001111')!);
    expect(balance).toMatchObject({ accountKind: 'walletId', ledgerFen: 0, availableFen: 0 });
  });

  test('HMAC-SM3 signing works end to end', async () => {
    const s = await sim();
    const c = client(s, { algorithm: 'HMAC-SM3' });
    await c.requestSmsCode(WALLET_ID);
    const balance = await c.balanceWithSmsCode(WALLET_ID, s.lastCodeFor(WALLET_ID)!);
    expect(balance.accountMasked).toBe('8800********0001');
  });

  test('an expired code is refused (simulator and client share an injected clock)', async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const s = await sim({ clock: () => now });
    const c = client(s, { now: () => now });
    await c.requestSmsCode(PHONE);
    const code = s.lastCodeFor(PHONE)!;
    now += 5 * 60 * 1000 + 1000;
    const e = await failure(c.balanceWithSmsCode(PHONE, code));
    expect(e).toMatchObject({ code: 'SMS_CODE_EXPIRED', kind: 'refused' });
    expect(e.messageZh).toBe('验证码已过期，请重新获取');
    // A fresh code works again.
    await c.requestSmsCode(PHONE);
    await expect(c.balanceWithSmsCode(PHONE, s.lastCodeFor(PHONE)!)).resolves.toMatchObject({
      ledgerFen: 1_254_300,
    });
  });

  test('a code is still good just before 5 minutes', async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const s = await sim({ clock: () => now });
    const c = client(s, { now: () => now });
    await c.requestSmsCode(PHONE);
    now += 5 * 60 * 1000 - 1000;
    await expect(c.balanceWithSmsCode(PHONE, s.lastCodeFor(PHONE)!)).resolves.toMatchObject({
      verifiedBy: 'sms',
    });
  });

  test('three wrong codes kill the code: the 4th try is refused even with the right code', async () => {
    const s = await sim();
    const c = client(s);
    await c.requestSmsCode(PHONE);
    const right = s.lastCodeFor(PHONE)!;
    const wrong = right === '000000' ? '111111' : '000000';
    const lefts: Array<number | undefined> = [];
    for (let i = 0; i < 3; i++) {
      const e = await failure(c.balanceWithSmsCode(PHONE, wrong));
      expect(e.code).toBe('SMS_CODE_WRONG');
      expect(e.messageZh).toBe('验证码错误');
      lefts.push(e.details['triesLeft'] as number);
    }
    expect(lefts).toEqual([2, 1, 0]);
    const fourth = await failure(c.balanceWithSmsCode(PHONE, right));
    expect(fourth.code).toBe('SMS_CODE_TRIES_EXCEEDED');
  });

  test('a custom account table; a negative ledger comes back as a debit balance', async () => {
    const s = await sim({
      accounts: [
        {
          phone: '15000000001',
          walletId: '8811111111111111',
          holderMasked: '*六',
          ledgerFen: -1234,
          availableFen: 0,
          paymentPassword: '246810',
        },
      ],
    });
    const c = client(s);
    expect((await failure(c.requestSmsCode(PHONE))).code).toBe('UNKNOWN_ACCOUNT');
    await c.requestSmsCode('15000000001');
    const balance = await c.balanceWithSmsCode('15000000001', s.lastCodeFor('15000000001')!);
    expect(balance.ledgerFen).toBe(-1234);
    expect(balance.ledger).toMatchObject({ sign: 'D', amountFen: 1234, signedFen: -1234 });
  });

  test('frozen and unknown accounts are refused', async () => {
    const s = await sim();
    const c = client(s);
    expect((await failure(c.requestSmsCode('13600000004'))).code).toBe('ACCOUNT_FROZEN');
    expect((await failure(c.requestSmsCode('13500000000'))).code).toBe('UNKNOWN_ACCOUNT');
    expect(s.sentCodes()).toEqual([]);
  });

  test('bad input is refused locally before anything is sent', async () => {
    const s = await sim();
    const c = client(s);
    expect((await failure(c.requestSmsCode('12345'))).code).toBe('ACCOUNT_INVALID');
    expect((await failure(c.balanceWithSmsCode(PHONE, '12a456'))).code).toBe('SMS_CODE_FORMAT');
    expect((await failure(c.balanceWithPasswordBlock(PHONE, 'ABCD'))).code).toBe(
      'PIN_BLOCK_FORMAT',
    );
    expect(s.sentCodes()).toEqual([]);
  });
});

describe('payment password path', () => {
  test('right password (format 0, bound to the account) answers the balance', async () => {
    const s = await sim();
    const balance = await client(s).balanceWithPasswordBlock(PHONE, passwordBlock('123456', PHONE));
    expect(balance).toMatchObject({ verifiedBy: 'password', ledgerFen: 1_254_300 });
  });

  test('the pin-key exchange gives the PIN key under the terminal wallet master key; a pad holding that key makes valid blocks', async () => {
    const s = await sim();
    const sent = await client(s).pinKey();
    // PROTOCOL.md's example: the training PIN key under the training WMK, with its check value.
    expect(sent.keyUnderMasterKey.toString('hex').toUpperCase()).toBe(
      '23294D0C4D716EBD0995F5B976A33798',
    );
    expect(sent.checkValue.toString('hex').toUpperCase()).toBe('08D7B4FB');
    // What the pad does inside: unwrap the working key under its master key, check the KCV,
    // build format 0 with the account as PAN, encrypt.
    const wmk = Buffer.from(TRAINING_MASTER_KEY_HEX, 'hex');
    const workingKey = tdesDecryptEcb(wmk, sent.keyUnderMasterKey);
    expect(keyCheckValue(workingKey, '3des')).toEqual(sent.checkValue);
    const block = tdesEncryptEcb(
      workingKey,
      pinBlockFormat0('111111', walletPinBlockPan('8800000012345678')),
    );
    const balance = await client(s).balanceWithPasswordBlock('8800000012345678', block);
    expect(balance).toMatchObject({ accountMasked: '8800********5678', verifiedBy: 'password' });
  });

  test('a terminal registered without a wallet master key gets PIN_KEY_UNAVAILABLE', async () => {
    const s = await sim({
      terminalKeys: [{ ...TRAINING_WALLET_TERMINAL, masterKey: undefined }],
    });
    const e = await failure(client(s).pinKey());
    expect(e).toMatchObject({ code: 'PIN_KEY_UNAVAILABLE', kind: 'refused' });
    expect(e.messageZh).toContain('短信验证码');
  });

  test('the documented format 0 vector block is accepted', async () => {
    const s = await sim();
    const balance = await client(s).balanceWithPasswordBlock(PHONE, '775D28C98240744A');
    expect(balance.availableFen).toBe(1_204_300);
  });

  test('format 1 is accepted too', async () => {
    const s = await sim();
    const block = tdesEncryptEcb(PIN_KEY, pinBlockFormat1('654321'));
    const balance = await client(s).balanceWithPasswordBlock('13900000002', block, 1);
    expect(balance).toMatchObject({ holderMasked: '*小红', ledgerFen: 8888 });
  });

  test('wrong password is refused with tries left; 5 wrong lock the password', async () => {
    const s = await sim();
    const c = client(s);
    const wrong = passwordBlock('999999', PHONE);
    const first = await failure(c.balanceWithPasswordBlock(PHONE, wrong));
    expect(first).toMatchObject({ code: 'PASSWORD_WRONG', kind: 'refused' });
    expect(first.details['triesLeft']).toBe(4);
    expect(first.messageZh).toBe('支付密码错误');
    for (let i = 0; i < 4; i++) await failure(c.balanceWithPasswordBlock(PHONE, wrong));
    const locked = await failure(c.balanceWithPasswordBlock(PHONE, passwordBlock('123456', PHONE)));
    expect(locked.code).toBe('PASSWORD_LOCKED');
  });

  test('a block made for another account (format 0) does not pass', async () => {
    const s = await sim();
    const e = await failure(
      client(s).balanceWithPasswordBlock(PHONE, passwordBlock('123456', '13900000002')),
    );
    expect(['PIN_BLOCK_INVALID', 'PASSWORD_WRONG']).toContain(e.code);
  });

  test('a block under the wrong PIN key is unreadable', async () => {
    const s = await sim();
    const otherKey = Buffer.from('11111111111111112222222222222222', 'hex');
    const block = tdesEncryptEcb(otherKey, pinBlockFormat0('123456', walletPinBlockPan(PHONE)));
    const e = await failure(client(s).balanceWithPasswordBlock(PHONE, block));
    expect(e.code).toBe('PIN_BLOCK_INVALID');
  });
});

describe('signatures, replay and clocks', () => {
  test('a terminal signing with the wrong key is refused, and cannot trust the reply', async () => {
    const s = await sim();
    const c = client(s, { signingKey: 'ab'.repeat(32) });
    const e = await failure(c.requestSmsCode(PHONE));
    expect(e.code).toBe('BAD_RESPONSE_SIGNATURE');
    expect(e.details['unverifiedCode']).toBe('BAD_SIGNATURE');
    expect(s.sentCodes()).toEqual([]);
  });

  test('a terminal clock 6 minutes behind is refused as stale', async () => {
    const s = await sim();
    const c = client(s, { now: () => Date.now() - 6 * 60 * 1000 });
    const e = await failure(c.requestSmsCode(PHONE));
    expect(e).toMatchObject({ code: 'STALE_TIMESTAMP', kind: 'refused' });
    expect(s.sentCodes()).toEqual([]);
  });

  test('a terminal clock 4 minutes ahead is still accepted', async () => {
    const s = await sim();
    const c = client(s, { now: () => Date.now() + 4 * 60 * 1000 });
    await expect(c.requestSmsCode(PHONE)).resolves.toMatchObject({ expiresInSeconds: 300 });
  });

  test('an unregistered terminal gets an unsigned refusal, which the client does not trust', async () => {
    const s = await sim();
    const e = await failure(client(s, { terminalId: 'T9999999' }).requestSmsCode(PHONE));
    expect(e.code).toBe('BAD_RESPONSE_SIGNATURE');
    expect(e.details['unverifiedCode']).toBe('UNKNOWN_TERMINAL');
  });

  test('a reply with a bad signature is refused even when it is a success', async () => {
    const s = await sim({ faults: { badResponseSignature: true } });
    const e = await failure(client(s).requestSmsCode(PHONE));
    expect(e).toMatchObject({ code: 'BAD_RESPONSE_SIGNATURE', kind: 'bad-response' });
    expect(s.sentCodes()).toHaveLength(1); // the host did act; the till cannot know it
  });

  test('a forced host error comes back as a signed refusal', async () => {
    const s = await sim();
    s.faults.set({ forceErrorCode: 'SYSTEM_ERROR' });
    const e = await failure(client(s).requestSmsCode(PHONE));
    expect(e).toMatchObject({ code: 'SYSTEM_ERROR', kind: 'refused' });
    expect(e.details['httpStatus']).toBe(500);
    s.faults.set({});
    await expect(client(s).requestSmsCode(PHONE)).resolves.toBeDefined();
  });
});

describe('connection test (echo)', () => {
  test('proves the round trip and reports the clock offset', async () => {
    const s = await sim({ clock: () => Date.now() + 120_000 });
    const echo = await client(s).echo();
    expect(Math.abs(echo.clockOffsetMs - 120_000)).toBeLessThan(3_000);
    expect(Date.parse(echo.hostTime)).toBeGreaterThan(Date.now() + 100_000);
  });

  test('a wrong key shows up in the connection test too', async () => {
    const s = await sim();
    const e = await failure(client(s, { signingKey: 'cd'.repeat(32) }).echo());
    expect(e.code).toBe('BAD_RESPONSE_SIGNATURE');
  });
});

describe('TLS trust', () => {
  test('a pinned fingerprint that does not match stops the client before it sends', async () => {
    const s = await sim();
    const c = client(s, { tls: { pinnedSha256: otherCert.fingerprint256 } });
    const e = await failure(c.requestSmsCode(PHONE));
    expect(e).toMatchObject({ code: 'CERT_PIN_MISMATCH', kind: 'tls' });
    expect(s.sentCodes()).toEqual([]);
  });

  test('the pin is accepted without colons and in lower case', async () => {
    const s = await sim();
    const pin = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    await expect(
      client(s, { tls: { pinnedSha256: pin } }).requestSmsCode(PHONE),
    ).resolves.toBeDefined();
  });

  test('a CA file trusts the host (chain and IP name checked)', async () => {
    const s = await sim();
    const c = client(s, { tls: { caFile: cert.certFile } });
    await expect(c.requestSmsCode(PHONE)).resolves.toMatchObject({ accountMasked: '138****5678' });
  });

  test('a certificate from the wrong CA is refused', async () => {
    const s = await sim();
    const e = await failure(
      client(s, { tls: { caFile: otherCert.certFile } }).requestSmsCode(PHONE),
    );
    expect(e).toMatchObject({ code: 'TLS_FAILED', kind: 'tls' });
  });

  test('without a pin or CA, a self-signed host is refused', async () => {
    const s = await sim();
    const e = await failure(client(s, { tls: {} }).requestSmsCode(PHONE));
    expect(e.code).toBe('TLS_FAILED');
  });
});

describe('timeouts and network faults', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts TCP and never says a word: the TLS handshake can never finish.
    silent = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => silent.close(r));
  });

  test('a host that never completes the handshake gives a connect timeout', async () => {
    const { port } = silent.address() as AddressInfo;
    const c = client({ url: `https://127.0.0.1:${port}` }, { connectTimeoutMs: 300 });
    const e = await failure(c.requestSmsCode(PHONE));
    expect(e).toMatchObject({ code: 'CONNECT_TIMEOUT', kind: 'timeout' });
    expect(e.messageZh).toBe('连接支付机构主机超时，请检查网络');
  });

  test('a host slower than the response timeout gives a response timeout', async () => {
    const s = await sim({ faults: { delayMs: 1500 } });
    const e = await failure(client(s, { responseTimeoutMs: 300 }).requestSmsCode(PHONE));
    expect(e).toMatchObject({ code: 'RESPONSE_TIMEOUT', kind: 'timeout' });
  });

  test('a delay within the timeout still succeeds', async () => {
    const s = await sim({ faults: { delayMs: 200 } });
    await expect(client(s).requestSmsCode(PHONE)).resolves.toBeDefined();
  });

  test('nobody listening gives UNREACHABLE', async () => {
    const probe = createTcpServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const e = await failure(client({ url: `https://127.0.0.1:${port}` }).requestSmsCode(PHONE));
    expect(e).toMatchObject({ code: 'UNREACHABLE', kind: 'network' });
  });

  test('a host that drops the connection gives CONNECTION_LOST', async () => {
    const s = await sim({ faults: { dropConnection: true } });
    const e = await failure(client(s).requestSmsCode(PHONE));
    expect(e).toMatchObject({ code: 'CONNECTION_LOST', kind: 'network' });
  });
});

describe('configuration', () => {
  test('settings from the config file make a working client', async () => {
    const s = await sim();
    const settings = walletHostSettingsSchema.parse({
      url: s.address.url,
      pinnedSha256: cert.fingerprint256,
    });
    expect(settings).toMatchObject({ algorithm: 'HMAC-SHA256', connectTimeoutMs: 5000 });
    const c = new WalletClient(
      walletClientOptionsFrom(settings, 'T0000001', TRAINING_WALLET_TERMINAL.signingKey),
    );
    await expect(c.requestSmsCode(PHONE)).resolves.toMatchObject({ expiresInSeconds: 300 });
    expect(walletHostSettingsSchema.safeParse({ url: 'http://x' }).success).toBe(false);
    expect(walletHostSettingsSchema.safeParse({ url: s.address.url, extra: 1 }).success).toBe(
      false,
    );
  });

  test('bad settings are refused when the client is made', () => {
    const base = {
      baseUrl: 'https://127.0.0.1:1',
      terminalId: 'T0000001',
      signingKey: 'ab'.repeat(32),
    };
    expect(() => new WalletClient({ ...base, baseUrl: 'http://127.0.0.1:1' })).toThrow(WalletError);
    expect(() => new WalletClient({ ...base, terminalId: 'T1' })).toThrow(WalletError);
    expect(() => new WalletClient({ ...base, signingKey: 'abcd' })).toThrow(WalletError);
    expect(() => new WalletClient({ ...base, tls: { pinnedSha256: 'AB:CD' } })).toThrow(
      WalletError,
    );
    expect(() => new WalletClient({ ...base, tls: { caFile: '/nonexistent/ca.pem' } })).toThrow(
      WalletError,
    );
  });
});
