// The wallet host simulator on its own, driven by hand-made HTTPS requests over 127.0.0.1 so a
// test can do what the client never does: replay a request, tamper with a body, skip a header.
import { randomBytes, X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  signRequest,
  signResponse,
  type WalletSignAlgorithm,
} from '../../../../src-main/host/wallet';
import {
  DEFAULT_WALLET_ACCOUNTS,
  TRAINING_WALLET_TERMINAL,
  TRAINING_WALLET_TLS,
  startTrainingWalletSimulator,
  startWalletSimulator,
  type SentSmsCode,
  type WalletSimulator,
  type WalletSimulatorOptions,
} from '../../../../src-main/sim/wallet';
import { makeTestCert, type TestCert } from './tls-fixture';

const KEY = Buffer.from(TRAINING_WALLET_TERMINAL.signingKey, 'hex');
const TID = TRAINING_WALLET_TERMINAL.terminalId;
const PHONE = '13812345678';

let cert: TestCert;
const running: WalletSimulator[] = [];
beforeAll(() => {
  cert = makeTestCert();
});
afterAll(() => cert.remove());
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

interface Raw {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** A correctly signed request, as the real client would make it. */
function signed(
  path: string,
  payload: unknown,
  opts: { now?: number; nonce?: string; algorithm?: WalletSignAlgorithm } = {},
): Raw {
  return signedText(path, JSON.stringify(payload), opts);
}

function signedText(
  path: string,
  body: string,
  opts: { now?: number; nonce?: string; algorithm?: WalletSignAlgorithm } = {},
): Raw {
  const algorithm = opts.algorithm ?? 'HMAC-SHA256';
  const timestamp = String(Math.floor((opts.now ?? Date.now()) / 1000));
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  return {
    path,
    body,
    headers: {
      'content-type': 'application/json',
      'x-terminal-id': TID,
      'x-timestamp': timestamp,
      'x-nonce': nonce,
      'x-sign-alg': algorithm,
      'x-signature': signRequest(KEY, {
        algorithm,
        method: 'POST',
        path,
        terminalId: TID,
        timestamp,
        nonce,
        body,
      }),
    },
  };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: { ok: boolean; error?: { code: string; messageZh: string; triesLeft?: number } };
}

function send(s: WalletSimulator, raw: Raw, ca: string = cert.cert): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.address.port,
        method: 'POST',
        path: raw.path,
        headers: raw.headers,
        ca,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: JSON.parse(body),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

/** True when the reply's signature verifies for this request nonce under the training key. */
function replyVerifies(reply: Reply, requestNonce: string): boolean {
  const h = (n: string) => String(reply.headers[n] ?? '');
  if (!h('x-signature')) return false;
  return (
    signResponse(KEY, {
      algorithm: h('x-sign-alg') as WalletSignAlgorithm,
      status: reply.status,
      terminalId: TID,
      requestNonce,
      timestamp: h('x-timestamp'),
      nonce: h('x-nonce'),
      body: reply.body,
    }) === h('x-signature')
  );
}

describe('request authentication', () => {
  test('a correctly signed request succeeds and the reply is signed for it', async () => {
    const s = await sim();
    const raw = signed('/wallet/v1/sms-code', { account: PHONE });
    const reply = await send(s, raw);
    expect(reply.status).toBe(200);
    expect(reply.json.ok).toBe(true);
    expect(replyVerifies(reply, raw.headers['x-nonce']!)).toBe(true);
    // The same reply does not verify as the answer to another request.
    expect(replyVerifies(reply, 'another-nonce-0000')).toBe(false);
  });

  test('a body changed after signing is refused as BAD_SIGNATURE (signed refusal)', async () => {
    const s = await sim();
    const raw = signed('/wallet/v1/sms-code', { account: PHONE });
    raw.body = JSON.stringify({ account: '13900000002' });
    const reply = await send(s, raw);
    expect(reply.status).toBe(401);
    expect(reply.json.error).toMatchObject({
      code: 'BAD_SIGNATURE',
      messageZh: '请求签名错误，请联系管理员核对终端密钥',
    });
    expect(replyVerifies(reply, raw.headers['x-nonce']!)).toBe(true);
    expect(s.sentCodes()).toEqual([]);
  });

  test('a path changed after signing is refused', async () => {
    const s = await sim();
    const raw = signed('/wallet/v1/sms-code', { account: PHONE });
    raw.path = '/wallet/v1/balance';
    expect((await send(s, raw)).json.error?.code).toBe('BAD_SIGNATURE');
  });

  test('a missing signature is refused', async () => {
    const s = await sim();
    const raw = signed('/wallet/v1/sms-code', { account: PHONE });
    delete raw.headers['x-signature'];
    expect((await send(s, raw)).json.error?.code).toBe('BAD_SIGNATURE');
  });

  test('a replayed nonce is refused, even with a fresh valid signature', async () => {
    const s = await sim();
    const raw = signed('/wallet/v1/sms-code', { account: PHONE });
    expect((await send(s, raw)).status).toBe(200);
    // Exact replay of the captured request.
    const replay = await send(s, raw);
    expect(replay.status).toBe(401);
    expect(replay.json.error?.code).toBe('REPLAYED_NONCE');
    // Same nonce, different (validly signed) body.
    const reused = signed(
      '/wallet/v1/sms-code',
      { account: '13900000002' },
      {
        nonce: raw.headers['x-nonce']!,
      },
    );
    expect((await send(s, reused)).json.error?.code).toBe('REPLAYED_NONCE');
    expect(s.sentCodes()).toHaveLength(1);
  });

  test('a forged request does not burn its nonce', async () => {
    const s = await sim();
    const nonce = randomBytes(16).toString('hex');
    const forged = signed('/wallet/v1/sms-code', { account: PHONE }, { nonce });
    forged.headers['x-signature'] = '00'.repeat(32);
    expect((await send(s, forged)).json.error?.code).toBe('BAD_SIGNATURE');
    const genuine = signed('/wallet/v1/sms-code', { account: PHONE }, { nonce });
    expect((await send(s, genuine)).status).toBe(200);
  });

  test('timestamps more than 5 minutes off either way are refused as stale', async () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const s = await sim({ clock: () => now });
    for (const offset of [-5 * 60 * 1000 - 2000, 5 * 60 * 1000 + 2000]) {
      const reply = await send(
        s,
        signed('/wallet/v1/sms-code', { account: PHONE }, { now: now + offset }),
      );
      expect(reply.status).toBe(401);
      expect(reply.json.error?.code).toBe('STALE_TIMESTAMP');
    }
    const ok = await send(
      s,
      signed('/wallet/v1/sms-code', { account: PHONE }, { now: now - 290_000 }),
    );
    expect(ok.status).toBe(200);
  });

  test('an unknown terminal gets an unsigned refusal', async () => {
    const s = await sim();
    const raw = signed('/wallet/v1/sms-code', { account: PHONE });
    raw.headers['x-terminal-id'] = 'T9999999';
    const reply = await send(s, raw);
    expect(reply.status).toBe(401);
    expect(reply.json.error?.code).toBe('UNKNOWN_TERMINAL');
    expect(reply.headers['x-signature']).toBeUndefined();
  });

  test('malformed JSON and unknown paths are refused as BAD_REQUEST', async () => {
    const s = await sim();
    // Correctly signed, so only the JSON is wrong.
    const broken = signedText('/wallet/v1/sms-code', '{"account":');
    expect((await send(s, broken)).json.error?.code).toBe('BAD_REQUEST');
    expect((await send(s, signed('/wallet/v1/other', { account: PHONE }))).status).toBe(400);
  });

  test('HMAC-SM3 requests are checked and answered with HMAC-SM3', async () => {
    const s = await sim();
    const raw = signed('/wallet/v1/sms-code', { account: PHONE }, { algorithm: 'HMAC-SM3' });
    const reply = await send(s, raw);
    expect(reply.status).toBe(200);
    expect(reply.headers['x-sign-alg']).toBe('HMAC-SM3');
    expect(replyVerifies(reply, raw.headers['x-nonce']!)).toBe(true);
  });
});

describe('SMS codes', () => {
  test('sent codes are kept in memory and pushed to onCodeSent', async () => {
    const pushed: SentSmsCode[] = [];
    let now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const s = await sim({ clock: () => now, onCodeSent: (c) => pushed.push(c) });
    await send(s, signed('/wallet/v1/sms-code', { account: PHONE }, { now }));
    now += 61_000;
    await send(s, signed('/wallet/v1/sms-code', { account: '8800000000000001' }, { now }));
    const codes = s.sentCodes();
    expect(codes).toHaveLength(2);
    expect(codes[0]).toMatchObject({ account: PHONE, phone: PHONE, at: now - 61_000 });
    expect(codes[1]).toMatchObject({ account: '8800000000000001', phone: PHONE, at: now });
    expect(pushed).toEqual(codes);
    // Either identifier finds the latest code of the account.
    expect(s.lastCodeFor(PHONE)).toBe(codes[1]!.code);
    expect(s.lastCodeFor('8800000000000001')).toBe(codes[1]!.code);
    expect(s.lastCodeFor('13900000002')).toBeUndefined();
  });

  test('a second code within 60 s is refused; the new code replaces the old one', async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const s = await sim({ clock: () => now });
    await send(s, signed('/wallet/v1/sms-code', { account: PHONE }, { now }));
    const early = await send(
      s,
      signed('/wallet/v1/sms-code', { account: PHONE }, { now: now + 30_000 }),
    );
    expect(early.json.error?.code).toBe('SMS_TOO_FREQUENT');
    const first = s.lastCodeFor(PHONE)!;
    now += 60_000;
    await send(s, signed('/wallet/v1/sms-code', { account: PHONE }, { now }));
    const second = s.lastCodeFor(PHONE)!;
    if (first !== second) {
      const stale = await send(
        s,
        signed(
          '/wallet/v1/balance',
          { account: PHONE, auth: { type: 'sms', code: first } },
          { now },
        ),
      );
      expect(stale.json.error?.code).toBe('SMS_CODE_WRONG');
    }
    const ok = await send(
      s,
      signed(
        '/wallet/v1/balance',
        { account: PHONE, auth: { type: 'sms', code: second } },
        { now },
      ),
    );
    expect(ok.status).toBe(200);
  });

  test('expiry is checked on the simulator clock; 4th try refused even with the right code', async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const s = await sim({ clock: () => now });
    await send(s, signed('/wallet/v1/sms-code', { account: PHONE }, { now }));
    const code = s.lastCodeFor(PHONE)!;
    const wrong = code === '123456' ? '654321' : '123456';
    const balance = (c: string) =>
      send(
        s,
        signed('/wallet/v1/balance', { account: PHONE, auth: { type: 'sms', code: c } }, { now }),
      );
    for (const left of [2, 1, 0]) {
      const r = await balance(wrong);
      expect(r.json.error).toMatchObject({ code: 'SMS_CODE_WRONG', triesLeft: left });
    }
    expect((await balance(code)).json.error?.code).toBe('SMS_CODE_TRIES_EXCEEDED');

    now += 61_000;
    await send(s, signed('/wallet/v1/sms-code', { account: PHONE }, { now }));
    now += 300_001;
    const expired = await balance(s.lastCodeFor(PHONE)!);
    expect(expired.json.error).toMatchObject({
      code: 'SMS_CODE_EXPIRED',
      messageZh: '验证码已过期，请重新获取',
    });
  });
});

describe('training defaults', () => {
  test('the built-in table has a frozen account and the documented balances', () => {
    expect(DEFAULT_WALLET_ACCOUNTS.length).toBeGreaterThanOrEqual(3);
    expect(DEFAULT_WALLET_ACCOUNTS.filter((a) => a.frozen)).toHaveLength(1);
    expect(DEFAULT_WALLET_ACCOUNTS[0]).toMatchObject({ phone: PHONE, ledgerFen: 1_254_300 });
  });

  test('the training certificate matches its documented fingerprint and serves HTTPS', async () => {
    expect(new X509Certificate(TRAINING_WALLET_TLS.cert).fingerprint256).toBe(
      TRAINING_WALLET_TLS.sha256Fingerprint,
    );
    const s = await startTrainingWalletSimulator({ port: 0 });
    running.push(s);
    const reply = await send(
      s,
      signed('/wallet/v1/sms-code', { account: PHONE }),
      TRAINING_WALLET_TLS.cert,
    );
    expect(reply.status).toBe(200);
    expect(s.lastCodeFor(PHONE)).toMatch(/^\d{6}$/);
  });
});
