// PeerWalletClient against startPeerWalletHost over real HTTPS (self-signed certificate made by
// the openssl CLI), following PROTOCOL.md. Clocks are injected, so nothing waits on real time.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PeerWalletClient,
  PeerWalletError,
  startPeerWalletHost,
  type PeerWalletClientOptions,
  type PeerWalletHost,
  type PeerWalletHostOptions,
} from './index.js';
import { signRequest } from './protocol.js';
import { makeSelfSignedCert, type TestCert } from './tls-fixture.js';

const SIGNING_KEY_HEX = '54303030303030312d77616c6c65742d747261696e696e672d7369676e6b6579';
const OTHER_KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const PIN_KEY_HEX = '0123456789ABCDEFFEDCBA9876543210';
const WMK_HEX = '6B5E2F3A9C8D7E1F0A2B3C4D5E6F7081';
const T0 = 1795440000_000; // 2026-11-23T13:20:00Z

const ACCOUNTS: PeerWalletHostOptions['accounts'] = [
  {
    phone: '13812345678',
    walletId: '8800000000000001',
    holderMasked: '*三',
    ledgerFen: 1254300,
    availableFen: 1204300,
    password: '123456',
  },
  {
    phone: '13900000002',
    walletId: '8800000000000002',
    holderMasked: '*小红',
    ledgerFen: 8888,
    availableFen: 8888,
    password: '654321',
  },
  {
    phone: '13700001111',
    walletId: '8800000012345678',
    holderMasked: '*四',
    ledgerFen: 0,
    availableFen: 0,
    password: '111111',
  },
  {
    phone: '13600000004',
    walletId: '8800000000000004',
    holderMasked: '*五',
    ledgerFen: 50000,
    availableFen: 0,
    password: '000000',
    frozen: true,
  },
];

let cert: TestCert;
let clock = T0;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(() => {
  cert = makeSelfSignedCert();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function startHost(extra: Partial<PeerWalletHostOptions> = {}): Promise<PeerWalletHost> {
  clock = T0;
  const host = await startPeerWalletHost({
    tls: { key: cert.key, cert: cert.cert },
    terminals: [
      {
        terminalId: 'T0000001',
        signingKeyHex: SIGNING_KEY_HEX,
        pinKeyHex: PIN_KEY_HEX,
        walletMasterKeyHex: WMK_HEX,
      },
      { terminalId: 'T0000002', signingKeyHex: OTHER_KEY_HEX },
    ],
    accounts: ACCOUNTS,
    now: () => clock,
    ...extra,
  });
  open.push(host);
  return host;
}

function client(host: { url: string }, extra: Partial<PeerWalletClientOptions> = {}) {
  return new PeerWalletClient({
    baseUrl: host.url,
    terminalId: 'T0000001',
    signingKeyHex: SIGNING_KEY_HEX,
    pinnedSha256: cert.fingerprint,
    walletMasterKeyHex: WMK_HEX,
    now: () => clock,
    connectTimeoutMs: 3000,
    responseTimeoutMs: 5000,
    ...extra,
  });
}

async function rejection(p: Promise<unknown>): Promise<PeerWalletError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PeerWalletError);
    return err as PeerWalletError;
  }
  throw new Error('expected a rejection');
}

function refusal(code: string, extra: Record<string, unknown> = {}) {
  return expect.objectContaining({
    ok: false,
    error: expect.objectContaining({ code, ...extra }),
  });
}

describe('wallet peer over HTTPS: example vectors on the wire', () => {
  for (const v of [
    {
      alg: 'HMAC-SHA256' as const,
      signature: '015620ed71b5dda0c8f1cd6f687fadd5c4a5dfe5809527c3d1791b3c10db5ace',
      replySignature: 'edba49db89c3d365291c1d59029b98abbbff5f2ae16ceefc5f2cec74a0aee5f9',
    },
    {
      alg: 'HMAC-SM3' as const,
      signature: 'cbaffa6af4e8db5b986e65c703d4be66de58847a9261b1a588d2029ea8a6519d',
      replySignature: '9be7fd0a1bdd1d74c71bff75a8ba0db0dc92b3703f19cdfa237a7f10e7230b7f',
    },
  ]) {
    it(`${v.alg}: the client sends the example request, the host signs the example reply`, async () => {
      // What the client puts on the wire, captured by a bare HTTPS server.
      let seen: { headers: IncomingHttpHeaders; body: string; url?: string } | undefined;
      const capture: HttpsServer = createHttpsServer(
        { key: cert.key, cert: cert.cert },
        (req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => {
            seen = {
              headers: req.headers,
              body: Buffer.concat(chunks).toString('utf8'),
              url: req.url,
            };
            res.writeHead(401, { Connection: 'close' });
            res.end('{}');
          });
        },
      );
      await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
      open.push({ close: () => new Promise<void>((r) => capture.close(() => r())) });
      const capturePort = (capture.address() as AddressInfo).port;
      const fixed = {
        algorithm: v.alg,
        now: () => T0,
        nonce: () => '0123456789abcdef0123456789abcdef',
      };
      await rejection(
        client({ url: `https://127.0.0.1:${capturePort}` }, fixed).requestSmsCode('13812345678'),
      );
      expect(seen?.url).toBe('/wallet/v1/sms-code');
      expect(seen?.body).toBe('{"account":"13812345678"}');
      expect(seen?.headers['x-terminal-id']).toBe('T0000001');
      expect(seen?.headers['x-timestamp']).toBe('1795440000');
      expect(seen?.headers['x-nonce']).toBe('0123456789abcdef0123456789abcdef');
      expect(seen?.headers['x-sign-alg']).toBe(v.alg);
      expect(seen?.headers['x-signature']).toBe(v.signature);

      // What the host answers to it, with its clock and reply nonce fixed as in the document.
      const host = await startHost({ replyNonce: () => 'fedcba9876543210fedcba9876543210' });
      clock = T0 + 1000;
      const raw = await client(host, fixed).sendRaw(
        '/wallet/v1/sms-code',
        '{"account":"13812345678"}',
      );
      expect(raw.status).toBe(200);
      expect(raw.bodyBytes.toString('utf8')).toBe(
        '{"ok":true,"accountMasked":"138****5678","sentToMasked":"138****5678","expiresInSeconds":300,"resendAfterSeconds":60}',
      );
      expect(raw.headers['x-timestamp']).toBe('1795440001');
      expect(raw.headers['x-nonce']).toBe('fedcba9876543210fedcba9876543210');
      expect(raw.headers['x-sign-alg']).toBe(v.alg);
      expect(raw.headers['x-signature']).toBe(v.replySignature);
      expect(raw.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(raw.signatureProblem).toBeUndefined();
    });
  }
});

describe('wallet peer over HTTPS: SMS code', () => {
  it('sends a code, answers the balance once, then the code is used up', async () => {
    const host = await startHost();
    const c = client(host);
    const sent = await c.requestSmsCode('13812345678');
    expect(sent).toEqual({
      status: 200,
      body: {
        ok: true,
        accountMasked: '138****5678',
        sentToMasked: '138****5678',
        expiresInSeconds: 300,
        resendAfterSeconds: 60,
      },
    });
    const code = host.lastCodeFor('13812345678');
    expect(code).toMatch(/^[0-9]{6}$/);
    expect(host.sentCodes()).toEqual([{ account: '13812345678', code, at: T0 }]);

    clock += 30_000;
    const bal = await c.balanceWithSmsCode('13812345678', code!);
    expect(bal.status).toBe(200);
    expect(bal.body).toEqual({
      ok: true,
      accountKind: 'phone',
      accountMasked: '138****5678',
      holderMasked: '*三',
      ledgerFen: 1254300,
      availableFen: 1204300,
      currency: '156',
      reference: expect.stringMatching(/^[A-Za-z0-9]{1,12}$/),
      hostTime: '2026-11-23T13:20:30Z',
    });

    const again = await c.balanceWithSmsCode('13812345678', code!);
    expect(again.status).toBe(422);
    expect(again.body).toEqual(refusal('SMS_CODE_NOT_REQUESTED'));
    expect(host.requests.map((r) => [r.path, r.status, r.errorCode])).toEqual([
      ['/wallet/v1/sms-code', 200, undefined],
      ['/wallet/v1/balance', 200, undefined],
      ['/wallet/v1/balance', 422, 'SMS_CODE_NOT_REQUESTED'],
    ]);
  });

  it('wallet id: the code goes to the bound mobile, the reply says so', async () => {
    const host = await startHost();
    const c = client(host, { algorithm: 'HMAC-SM3' });
    const sent = await c.requestSmsCode('8800000012345678');
    expect(sent.body).toMatchObject({
      accountMasked: '8800********5678',
      sentToMasked: '137****1111',
    });
    const code = host.lastCodeFor('8800000012345678')!;
    expect(host.lastCodeFor('13700001111')).toBe(code);
    const bal = await c.balanceWithSmsCode('8800000012345678', code);
    expect(bal.body).toMatchObject({
      ok: true,
      accountKind: 'walletId',
      accountMasked: '8800********5678',
      holderMasked: '*四',
      ledgerFen: 0,
      availableFen: 0,
    });
  });

  it('wrong code three times, then the code is dead even when right', async () => {
    const host = await startHost();
    const c = client(host);
    await c.requestSmsCode('13900000002');
    const code = host.lastCodeFor('13900000002')!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (const left of [2, 1, 0]) {
      const r = await c.balanceWithSmsCode('13900000002', wrong);
      expect(r.status).toBe(422);
      expect(r.body).toEqual({
        ok: false,
        error: {
          code: 'SMS_CODE_WRONG',
          message: 'wrong code',
          messageZh: '验证码错误',
          triesLeft: left,
        },
      });
    }
    const dead = await c.balanceWithSmsCode('13900000002', code);
    expect(dead.status).toBe(429);
    expect(dead.body).toEqual(refusal('SMS_CODE_TRIES_EXCEEDED'));
    expect(dead.body.error.triesLeft).toBeUndefined();
    // a new code (after the resend interval) resets the count
    clock += 60_000;
    expect((await c.requestSmsCode('13900000002')).status).toBe(200);
    const fresh = host.lastCodeFor('13900000002')!;
    expect((await c.balanceWithSmsCode('13900000002', fresh)).status).toBe(200);
  });

  it('resend interval 60 s; a new code replaces the old one', async () => {
    const host = await startHost();
    const c = client(host);
    await c.requestSmsCode('13812345678');
    const first = host.lastCodeFor('13812345678')!;
    clock += 59_999;
    const early = await c.requestSmsCode('13812345678');
    expect(early.status).toBe(429);
    expect(early.body).toEqual(refusal('SMS_TOO_FREQUENT'));
    clock += 1;
    expect((await c.requestSmsCode('13812345678')).status).toBe(200);
    const second = host.lastCodeFor('13812345678')!;
    expect(host.sentCodes()).toHaveLength(2);
    if (first !== second) {
      const old = await c.balanceWithSmsCode('13812345678', first);
      expect(old.body).toEqual(refusal('SMS_CODE_WRONG', { triesLeft: 2 }));
    }
    expect((await c.balanceWithSmsCode('13812345678', second)).status).toBe(200);
  });

  it('valid while now - sentAt <= 300 s, expired after; expiry is checked before the code', async () => {
    const host = await startHost();
    const c = client(host);
    await c.requestSmsCode('13812345678');
    clock += 300_000;
    expect(
      (await c.balanceWithSmsCode('13812345678', host.lastCodeFor('13812345678')!)).status,
    ).toBe(200);
    await c.requestSmsCode('13900000002');
    const code = host.lastCodeFor('13900000002')!;
    clock += 300_001;
    const late = await c.balanceWithSmsCode('13900000002', code);
    expect(late.status).toBe(422);
    expect(late.body).toEqual(refusal('SMS_CODE_EXPIRED'));
    const lateWrong = await c.balanceWithSmsCode(
      '13900000002',
      code === '000000' ? '111111' : '000000',
    );
    expect(lateWrong.body).toEqual(refusal('SMS_CODE_EXPIRED'));
  });

  it('no code, unknown account, frozen account', async () => {
    const host = await startHost();
    const c = client(host);
    const none = await c.balanceWithSmsCode('13812345678', '123456');
    expect([none.status, none.body.error.code]).toEqual([422, 'SMS_CODE_NOT_REQUESTED']);
    const unknown = await c.requestSmsCode('13511112222');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'UNKNOWN_ACCOUNT']);
    const frozen = await c.requestSmsCode('13600000004');
    expect([frozen.status, frozen.body.error.code]).toEqual([403, 'ACCOUNT_FROZEN']);
    expect(host.sentCodes()).toEqual([]);
    // client-side input checks never reach the host
    expect((await rejection(c.requestSmsCode('12812345678'))).code).toBe('ACCOUNT_INVALID');
    expect((await rejection(c.balanceWithSmsCode('13812345678', '12345'))).code).toBe(
      'SMS_CODE_FORMAT',
    );
    expect(host.requests).toHaveLength(3);
  });
});

describe('wallet peer over HTTPS: payment password', () => {
  it('pin-key exchange gives the document key and check value', async () => {
    const host = await startHost();
    const c = client(host);
    const r = await c.pinKey();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      ok: true,
      keyUnderMasterKey: '23294D0C4D716EBD0995F5B976A33798',
      checkValue: '08D7B4FB',
    });
    expect(r.clearKeyHex).toBe('0123456789ABCDEFFEDCBA9876543210');
  });

  it('password flow: pin-key, then format 0 and format 1 blocks', async () => {
    const host = await startHost();
    const c = client(host);
    const r0 = await c.balanceWithPassword('13812345678', '123456');
    expect(r0.status).toBe(200);
    expect(r0.body).toMatchObject({
      ok: true,
      accountKind: 'phone',
      holderMasked: '*三',
      ledgerFen: 1254300,
      availableFen: 1204300,
      currency: '156',
    });
    const r1 = await c.balanceWithPassword('8800000000000002', '654321', { format: 1 });
    expect(r1.body).toMatchObject({ ok: true, accountKind: 'walletId', ledgerFen: 8888 });
    // the pin key was fetched once, then reused
    expect(host.requests.map((x) => x.path)).toEqual([
      '/wallet/v1/pin-key',
      '/wallet/v1/balance',
      '/wallet/v1/balance',
    ]);
    // the document's encrypted blocks, sent as they are
    expect((await c.balanceWithPasswordBlock('13812345678', '775D28C98240744A', 0)).status).toBe(
      200,
    );
    expect((await c.balanceWithPasswordBlock('13812345678', '7D2ECEDB972DC7C0', 1)).status).toBe(
      200,
    );
  });

  it('wrong password: triesLeft 4..0, then locked even with the right one', async () => {
    const host = await startHost();
    const c = client(host);
    const opts = { pinKeyHex: PIN_KEY_HEX };
    // a right password resets the run of wrong ones
    await c.balanceWithPassword('13812345678', '999999', opts);
    expect((await c.balanceWithPassword('13812345678', '123456', opts)).status).toBe(200);
    for (const left of [4, 3, 2, 1, 0]) {
      const r = await c.balanceWithPassword('8800000000000001', '000000', opts);
      expect(r.status).toBe(422);
      expect(r.body).toEqual(refusal('PASSWORD_WRONG', { triesLeft: left }));
    }
    const locked = await c.balanceWithPassword('13812345678', '123456', opts);
    expect(locked.status).toBe(423);
    expect(locked.body).toEqual(refusal('PASSWORD_LOCKED'));
    expect(locked.body.error.triesLeft).toBeUndefined();
    // another account is not affected
    expect((await c.balanceWithPassword('13900000002', '654321', opts)).status).toBe(200);
  });

  it('PIN_BLOCK_INVALID: wrong key, wrong format, block bound to another account, bad hex', async () => {
    const host = await startHost();
    const c = client(host);
    const wrongKey = await c.balanceWithPassword('13812345678', '123456', {
      pinKeyHex: 'FEDCBA98765432100123456789ABCDEF',
    });
    expect([wrongKey.status, wrongKey.body.error.code]).toEqual([422, 'PIN_BLOCK_INVALID']);
    const wrongFormat = await c.balanceWithPasswordBlock('13812345678', '775D28C98240744A', 1);
    expect(wrongFormat.body).toEqual(refusal('PIN_BLOCK_INVALID'));
    const otherAccount = await c.balanceWithPasswordBlock('13900000002', '775D28C98240744A', 0);
    expect(otherAccount.body).toEqual(refusal('PIN_BLOCK_INVALID'));
    const raw = await c.sendRaw(
      '/wallet/v1/balance',
      JSON.stringify({
        account: '13812345678',
        auth: { type: 'password', pinBlock: '775D28', format: 0 },
      }),
    );
    expect(raw.status).toBe(422);
    expect(JSON.parse(raw.bodyBytes.toString()).error.code).toBe('PIN_BLOCK_INVALID');
    // an undecryptable block is not a wrong password: the right one still works
    expect((await c.balanceWithPasswordBlock('13812345678', '775D28C98240744A', 0)).status).toBe(
      200,
    );
  });

  it('PIN_KEY_UNAVAILABLE for a terminal without a wallet PIN key', async () => {
    const host = await startHost();
    const c = client(host, { terminalId: 'T0000002', signingKeyHex: OTHER_KEY_HEX });
    const r = await c.pinKey();
    expect(r.status).toBe(409);
    expect(r.body).toEqual(refusal('PIN_KEY_UNAVAILABLE'));
    expect(r.clearKeyHex).toBeUndefined();
    const b = await c.balanceWithPassword('13812345678', '123456');
    expect([b.status, b.body.error.code]).toEqual([409, 'PIN_KEY_UNAVAILABLE']);
  });

  it('a wrong WMK on the till fails the check value (BAD_RESPONSE)', async () => {
    const host = await startHost();
    const c = client(host, { walletMasterKeyHex: '00000000000000000000000000000000' });
    const err = await rejection(c.pinKey());
    expect(err.code).toBe('BAD_RESPONSE');
  });
});

describe('wallet peer over HTTPS: request authentication', () => {
  it('replayed nonce; a forged request does not burn the nonce', async () => {
    const host = await startHost();
    const c = client(host);
    const nonce = 'replay-test_nonce-0001';
    const forged = await c.sendRaw('/wallet/v1/echo', '{}', { nonce, signature: '0'.repeat(64) });
    expect(forged.status).toBe(401);
    expect(forged.signatureProblem).toBeUndefined();
    expect(JSON.parse(forged.bodyBytes.toString()).error.code).toBe('BAD_SIGNATURE');
    const first = await c.sendRaw('/wallet/v1/echo', '{}', { nonce });
    expect(first.status).toBe(200);
    const replay = await c.sendRaw('/wallet/v1/echo', '{}', { nonce });
    expect(replay.status).toBe(401);
    expect(replay.signatureProblem).toBeUndefined();
    expect(JSON.parse(replay.bodyBytes.toString()).error).toEqual({
      code: 'REPLAYED_NONCE',
      message: 'duplicate request refused',
      messageZh: '重复的请求已被拒绝',
    });
    // the same nonce from another terminal is its own
    const other = client(host, { terminalId: 'T0000002', signingKeyHex: OTHER_KEY_HEX });
    expect((await other.sendRaw('/wallet/v1/echo', '{}', { nonce })).status).toBe(200);
  });

  it('stale timestamp: 300 s of skew is fine, 301 s is not', async () => {
    const host = await startHost();
    for (const [skew, status] of [
      [-300_000, 200],
      [300_000, 200],
      [-301_000, 401],
      [301_000, 401],
    ] as const) {
      const r = await client(host, { now: () => clock + skew }).echo();
      expect(r.status).toBe(status);
      if (status === 401) expect(r.body).toEqual(refusal('STALE_TIMESTAMP'));
      else expect(r.clockOffsetMs).toBe(-skew);
    }
  });

  it('echo reports the host time and the clock offset', async () => {
    const host = await startHost();
    const r = await client(host).echo();
    expect(r).toEqual({
      status: 200,
      body: { ok: true, hostTime: '2026-11-23T13:20:00.000Z' },
      clockOffsetMs: 0,
    });
  });

  it('bad signature (wrong key): the till cannot verify the reply', async () => {
    const host = await startHost();
    const err = await rejection(client(host, { signingKeyHex: OTHER_KEY_HEX }).echo());
    expect(err.code).toBe('BAD_RESPONSE_SIGNATURE');
    expect(err.kind).toBe('bad-response');
    expect(err.details.unverifiedCode).toBe('BAD_SIGNATURE');
    expect(host.requests).toEqual([
      { path: '/wallet/v1/echo', status: 401, errorCode: 'BAD_SIGNATURE' },
    ]);
  });

  it('unknown terminal: 401 unsigned, refused by the client', async () => {
    const host = await startHost();
    const c = client(host, { terminalId: 'T9999999' });
    const err = await rejection(c.requestSmsCode('13812345678'));
    expect(err.code).toBe('BAD_RESPONSE_SIGNATURE');
    expect(err.details.unverifiedCode).toBe('UNKNOWN_TERMINAL');
    const raw = await c.sendRaw('/wallet/v1/echo', '{}');
    expect(raw.status).toBe(401);
    expect(raw.headers['x-signature']).toBeUndefined();
    expect(raw.headers['x-nonce']).toBeUndefined();
    expect(raw.signatureProblem).toBe('reply is not signed');
    // unknown terminal comes first, even before malformed headers
    const bare = await c.sendRaw('/wallet/v1/echo', '{}', { omit: ['X-Signature', 'X-Nonce'] });
    expect(JSON.parse(bare.bodyBytes.toString()).error.code).toBe('UNKNOWN_TERMINAL');
    expect(host.sentCodes()).toEqual([]);
  });

  it('BAD_REQUEST (signed): missing/malformed headers, unknown algorithm, body limits, bad JSON, unknown path', async () => {
    const host = await startHost();
    const c = client(host);
    const codeOf = async (...args: Parameters<PeerWalletClient['sendRaw']>) => {
      const r = await c.sendRaw(...args);
      return [r.status, JSON.parse(r.bodyBytes.toString()).error?.code ?? 'OK'];
    };
    expect(await codeOf('/wallet/v1/echo', '{}', { omit: ['X-Nonce'] })).toEqual([
      400,
      'BAD_REQUEST',
    ]);
    expect(await codeOf('/wallet/v1/echo', '{}', { nonce: 'short' })).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf('/wallet/v1/echo', '{}', { timestamp: '17954400.5' })).toEqual([
      400,
      'BAD_REQUEST',
    ]);
    const badAlg = await c.sendRaw('/wallet/v1/echo', '{}', { alg: 'HMAC-MD5' });
    expect(badAlg.status).toBe(400);
    expect(badAlg.headers['x-signature']).toMatch(/^[0-9a-f]{64}$/);
    // a body of exactly 16 KiB is accepted, one byte more is not
    const base = '{"account":"13812345678"}';
    const exact = base + ' '.repeat(16 * 1024 - base.length);
    expect(await codeOf('/wallet/v1/sms-code', exact)).toEqual([200, 'OK']);
    expect(await codeOf('/wallet/v1/sms-code', exact + ' ')).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf('/wallet/v1/echo', '{oops')).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf('/wallet/v1/echo', '')).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf('/wallet/v1/nothing', '{}')).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf('/wallet/v1/sms-code', '{"account":"1381234567"}')).toEqual([
      400,
      'BAD_REQUEST',
    ]);
    expect(
      await codeOf('/wallet/v1/balance', '{"account":"13812345678","auth":{"type":"face"}}'),
    ).toEqual([400, 'BAD_REQUEST']);
    // the query string is part of what is signed: sign one path, send another
    expect(
      await codeOf('/wallet/v1/echo?x=1', '{}', {
        signature: signRequest(Buffer.from(SIGNING_KEY_HEX, 'hex'), {
          alg: 'HMAC-SHA256',
          method: 'POST',
          path: '/wallet/v1/echo',
          terminalId: 'T0000001',
          timestamp: String(Math.floor(clock / 1000)),
          nonce: 'fixed-nonce-for-query-test',
          body: '{}',
        }),
        nonce: 'fixed-nonce-for-query-test',
      }),
    ).toEqual([401, 'BAD_SIGNATURE']);
  });
});

describe('wallet peer over HTTPS: trust', () => {
  it('a pinned fingerprint mismatch is refused before any request byte', async () => {
    let received = 0;
    let connections = 0;
    const tlsServer: TlsServer = createTlsServer({ key: cert.key, cert: cert.cert }, (socket) => {
      socket.on('data', (d: Buffer) => {
        received += d.length;
      });
      socket.on('error', () => undefined);
    });
    tlsServer.on('connection', () => {
      connections += 1;
    });
    tlsServer.on('tlsClientError', () => undefined);
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
    open.push({
      close: () =>
        new Promise<void>((r) => {
          tlsServer.close(() => r());
        }),
    });
    const port = (tlsServer.address() as AddressInfo).port;
    const url = `https://127.0.0.1:${port}`;
    const wrongPin = cert.fingerprint.replace(
      /^../,
      cert.fingerprint.startsWith('00') ? '01' : '00',
    );
    const err = await rejection(
      client({ url }, { pinnedSha256: wrongPin }).requestSmsCode('13812345678'),
    );
    expect(err.code).toBe('CERT_PIN_MISMATCH');
    expect(err.kind).toBe('tls');
    await new Promise((r) => setTimeout(r, 50));
    expect(connections).toBe(1);
    expect(received).toBe(0);
    // control: with the right pin the same server does get the request (and never answers)
    const silent = await rejection(
      client({ url }, { responseTimeoutMs: 300 }).requestSmsCode('13812345678'),
    );
    expect(silent.code).toBe('RESPONSE_TIMEOUT');
    expect(connections).toBe(2);
    expect(received).toBeGreaterThan(0);
  });

  it('pin (any case, with or without colons), CA file, and no trust at all', async () => {
    const host = await startHost();
    const plain = cert.fingerprint.replace(/:/g, '').toLowerCase();
    expect((await client(host, { pinnedSha256: plain }).echo()).status).toBe(200);
    expect((await client(host, { pinnedSha256: undefined, ca: cert.cert }).echo()).status).toBe(
      200,
    );
    const err = await rejection(client(host, { pinnedSha256: undefined }).echo());
    expect(err.code).toBe('TLS_FAILED');
    expect(host.requests).toHaveLength(2);
  });

  it('a recorded reply passed off as the answer to another request is refused', async () => {
    const host = await startHost();
    const c = client(host);
    const recorded = await c.sendRaw('/wallet/v1/echo', '{}');
    expect(recorded.signatureProblem).toBeUndefined();
    const fake: HttpsServer = createHttpsServer({ key: cert.key, cert: cert.cert }, (req, res) => {
      req.resume();
      req.on('end', () => {
        const h: Record<string, string> = { Connection: 'close' };
        for (const n of ['content-type', 'x-timestamp', 'x-nonce', 'x-sign-alg', 'x-signature']) {
          h[n] = String(recorded.headers[n]);
        }
        res.writeHead(recorded.status, h);
        res.end(recorded.bodyBytes);
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise<void>((r) => fake.close(() => r())) });
    const port = (fake.address() as AddressInfo).port;
    const err = await rejection(client({ url: `https://127.0.0.1:${port}` }).echo());
    expect(err.code).toBe('BAD_RESPONSE_SIGNATURE');
  });

  it('nobody listening: UNREACHABLE', async () => {
    const host = await startHost();
    const url = host.url;
    await host.close();
    const err = await rejection(client({ url }).echo());
    expect(err.code).toBe('UNREACHABLE');
  });
});
