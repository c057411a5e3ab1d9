// The simulated wallet host: HTTPS + JSON, signed both ways (PROTOCOL.md). It "sends" SMS codes
// by keeping them in memory, where training mode's phone panel and the tests read them. Shaped
// like every simulator (../simulator.ts): startWalletSimulator(options) → { address, faults,
// close() }.
import { randomBytes, randomInt } from 'node:crypto';
import { maskPhone, maskWalletId } from '../../common';
import { keyCheckValue, tdesEncryptEcb } from '../../crypto';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_WALLET_ACCOUNTS,
  TRAINING_WALLET_TERMINAL,
  type WalletSimAccount,
  type WalletSimTerminalKeys,
} from './accounts';
import { FaultPlan, type HttpsAddress, type Simulator } from '../simulator';
import { walletSimErrors, type WalletSimErrorCode } from './host-errors';
import { passwordFromBlock } from './password';
import {
  expectedRequestSignature,
  responseSignature,
  sameHex,
  type HostSignAlgorithm,
} from './signature';

export interface WalletSimFaults {
  /** Wait this long before answering (after reading the request). */
  delayMs?: number;
  /** Read the request, then cut the connection without an answer. */
  dropConnection?: boolean;
  /** Answer with a signature that does not verify. */
  badResponseSignature?: boolean;
  /** Refuse every authenticated request with this code (signed, like a real refusal). */
  forceErrorCode?: WalletSimErrorCode;
}

export interface SentSmsCode {
  /** The account as the till sent it (phone or wallet account number). */
  account: string;
  /** The bound mobile number the code went to. */
  phone: string;
  code: string;
  /** Simulator clock, ms since the epoch. */
  at: number;
}

export interface WalletSimulatorOptions {
  port: number;
  host?: string;
  tls: { key: string | Buffer; cert: string | Buffer };
  accounts?: readonly WalletSimAccount[];
  terminalKeys?: readonly WalletSimTerminalKeys[];
  /** ms since the epoch; inject to test expiry and clock skew. */
  clock?: () => number;
  faults?: WalletSimFaults;
  /** Called for every code "sent" (training mode pushes it to the phone panel). */
  onCodeSent?: (sent: SentSmsCode) => void;
  codeTtlMs?: number;
  maxCodeTries?: number;
  resendIntervalMs?: number;
  maxPasswordTries?: number;
}

export interface WalletSimulator extends Simulator<WalletSimFaults, HttpsAddress> {
  sentCodes(): SentSmsCode[];
  /** The latest code sent for this account (phone or wallet id, as the till sent it). */
  lastCodeFor(account: string): string | undefined;
  /** Current balances and lock state, e.g. for a training panel. */
  accounts(): WalletSimAccount[];
}

interface CodeState {
  code: string;
  sentAt: number;
  wrongTries: number;
  /** A code proves one inquiry; after that the till must ask for a new one. */
  used: boolean;
}

interface RequestContext {
  terminal: WalletSimTerminalKeys | undefined;
  algorithm: HostSignAlgorithm;
  requestNonce: string;
}

const MAX_SKEW_MS = 5 * 60 * 1000;
const MAX_BODY_BYTES = 16 * 1024;
const MAX_SENT_KEPT = 1000;

export async function startWalletSimulator(
  options: WalletSimulatorOptions,
): Promise<WalletSimulator> {
  const clock = options.clock ?? Date.now;
  const codeTtlMs = options.codeTtlMs ?? 5 * 60 * 1000;
  const maxCodeTries = options.maxCodeTries ?? 3;
  const resendIntervalMs = options.resendIntervalMs ?? 60 * 1000;
  const maxPasswordTries = options.maxPasswordTries ?? 5;
  const accounts = (options.accounts ?? DEFAULT_WALLET_ACCOUNTS).map((a) => ({ ...a }));
  const terminals = new Map(
    (options.terminalKeys ?? [TRAINING_WALLET_TERMINAL]).map((t) => [t.terminalId, t]),
  );
  const plan = new FaultPlan<WalletSimFaults>(options.faults);
  const sent: SentSmsCode[] = [];
  const codes = new Map<string, CodeState>(); // keyed by walletId
  const passwordTries = new Map<string, number>(); // walletId -> consecutive wrong tries
  const seenNonces = new Map<string, number>(); // terminal + nonce -> when seen
  let sequence = 0;

  const findAccount = (value: string) =>
    accounts.find((a) => a.phone === value || a.walletId === value);

  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    readBody(req)
      .then((body) => handle(req, res, body))
      .catch(() => res.destroy());
  });

  function answer(
    res: ServerResponse,
    ctx: RequestContext,
    status: number,
    payload: Record<string, unknown>,
  ): void {
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.length),
      'cache-control': 'no-store',
    };
    if (ctx.terminal) {
      const timestamp = String(Math.floor(clock() / 1000));
      const nonce = randomBytes(16).toString('hex');
      let key = Buffer.from(ctx.terminal.signingKey, 'hex');
      if (plan.active.badResponseSignature) key = randomBytes(32);
      headers['x-timestamp'] = timestamp;
      headers['x-nonce'] = nonce;
      headers['x-sign-alg'] = ctx.algorithm;
      headers['x-signature'] = responseSignature(ctx.algorithm, key, {
        status,
        terminalId: ctx.terminal.terminalId,
        requestNonce: ctx.requestNonce,
        timestamp,
        nonce,
        body,
      });
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  function refuse(
    res: ServerResponse,
    ctx: RequestContext,
    code: WalletSimErrorCode,
    triesLeft?: number,
  ): void {
    const e = walletSimErrors[code];
    answer(res, ctx, e.status, {
      ok: false,
      error: {
        code,
        message: e.en,
        messageZh: e.zh,
        ...(triesLeft === undefined ? {} : { triesLeft }),
      },
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === 'string' ? v : '';
    };
    const terminalId = header('x-terminal-id');
    const alg = header('x-sign-alg');
    const algorithm: HostSignAlgorithm = alg === 'HMAC-SM3' ? 'HMAC-SM3' : 'HMAC-SHA256';
    const nonce = header('x-nonce');
    const ctx: RequestContext = {
      terminal: terminals.get(terminalId),
      algorithm,
      requestNonce: nonce,
    };

    const delayMs = plan.active.delayMs;
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (plan.active.dropConnection) {
      req.socket.destroy();
      return;
    }
    if (!ctx.terminal) return refuse(res, ctx, 'UNKNOWN_TERMINAL');
    const timestamp = header('x-timestamp');
    if (
      (alg !== 'HMAC-SHA256' && alg !== 'HMAC-SM3') ||
      !/^\d{1,12}$/.test(timestamp) ||
      !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)
    ) {
      return refuse(res, ctx, 'BAD_REQUEST');
    }
    const expected = expectedRequestSignature(
      algorithm,
      Buffer.from(ctx.terminal.signingKey, 'hex'),
      { method: req.method ?? '', path: req.url ?? '', terminalId, timestamp, nonce, body },
    );
    if (!sameHex(expected, header('x-signature'))) return refuse(res, ctx, 'BAD_SIGNATURE');
    const now = clock();
    if (Math.abs(now - Number(timestamp) * 1000) > MAX_SKEW_MS) {
      return refuse(res, ctx, 'STALE_TIMESTAMP');
    }
    // Nonces are remembered for twice the skew window: an older replay fails the timestamp check.
    for (const [k, at] of seenNonces) if (now - at > 2 * MAX_SKEW_MS) seenNonces.delete(k);
    const nonceKey = `${terminalId}:${nonce}`;
    if (seenNonces.has(nonceKey)) return refuse(res, ctx, 'REPLAYED_NONCE');
    seenNonces.set(nonceKey, now);

    const forced = plan.active.forceErrorCode;
    if (forced) return refuse(res, ctx, forced);
    if (req.method !== 'POST') return refuse(res, ctx, 'BAD_REQUEST');
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(res, ctx, 'BAD_REQUEST');
    }
    if (typeof payload !== 'object' || payload === null) return refuse(res, ctx, 'BAD_REQUEST');
    const p = payload as Record<string, unknown>;
    if (req.url === '/wallet/v1/echo') {
      return answer(res, ctx, 200, { ok: true, hostTime: new Date(now).toISOString() });
    }
    if (req.url === '/wallet/v1/pin-key') return pinKey(res, ctx);
    const accountValue = typeof p['account'] === 'string' ? p['account'] : '';
    if (!/^\d{11}$|^\d{16}$/.test(accountValue)) return refuse(res, ctx, 'BAD_REQUEST');

    if (req.url === '/wallet/v1/sms-code') return sendCode(res, ctx, accountValue, now);
    if (req.url === '/wallet/v1/balance') return balance(res, ctx, accountValue, p['auth'], now);
    return refuse(res, ctx, 'BAD_REQUEST');
  }

  function pinKey(res: ServerResponse, ctx: RequestContext): void {
    const { pinKey, masterKey } = ctx.terminal!;
    if (!masterKey) return refuse(res, ctx, 'PIN_KEY_UNAVAILABLE');
    const clear = Buffer.from(pinKey, 'hex');
    answer(res, ctx, 200, {
      ok: true,
      keyUnderMasterKey: tdesEncryptEcb(Buffer.from(masterKey, 'hex'), clear)
        .toString('hex')
        .toUpperCase(),
      checkValue: keyCheckValue(clear, '3des').toString('hex').toUpperCase(),
    });
  }

  function sendCode(res: ServerResponse, ctx: RequestContext, value: string, now: number): void {
    const account = findAccount(value);
    if (!account) return refuse(res, ctx, 'UNKNOWN_ACCOUNT');
    if (account.frozen) return refuse(res, ctx, 'ACCOUNT_FROZEN');
    const previous = codes.get(account.walletId);
    if (previous && now - previous.sentAt < resendIntervalMs) {
      return refuse(res, ctx, 'SMS_TOO_FREQUENT');
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    codes.set(account.walletId, { code, sentAt: now, wrongTries: 0, used: false });
    const record = { account: value, phone: account.phone, code, at: now };
    sent.push(record);
    // A training day sends a few hundred at most; keep memory bounded anyway.
    if (sent.length > MAX_SENT_KEPT) sent.splice(0, sent.length - MAX_SENT_KEPT);
    options.onCodeSent?.({ ...record });
    answer(res, ctx, 200, {
      ok: true,
      accountMasked: mask(value),
      sentToMasked: mask(account.phone),
      expiresInSeconds: Math.floor(codeTtlMs / 1000),
      resendAfterSeconds: Math.ceil(resendIntervalMs / 1000),
    });
  }

  function balance(
    res: ServerResponse,
    ctx: RequestContext,
    value: string,
    auth: unknown,
    now: number,
  ): void {
    const a = (typeof auth === 'object' && auth !== null ? auth : {}) as Record<string, unknown>;
    const isSms = a['type'] === 'sms' && typeof a['code'] === 'string' && /^\d{6}$/.test(a['code']);
    const isPassword =
      a['type'] === 'password' &&
      typeof a['pinBlock'] === 'string' &&
      /^[0-9A-Fa-f]{16}$/.test(a['pinBlock']) &&
      (a['format'] === 0 || a['format'] === 1);
    if (!isSms && !isPassword) return refuse(res, ctx, 'BAD_REQUEST');
    const account = findAccount(value);
    if (!account) return refuse(res, ctx, 'UNKNOWN_ACCOUNT');
    if (account.frozen) return refuse(res, ctx, 'ACCOUNT_FROZEN');

    if (isSms) {
      const state = codes.get(account.walletId);
      if (!state || state.used) return refuse(res, ctx, 'SMS_CODE_NOT_REQUESTED');
      if (state.wrongTries >= maxCodeTries) return refuse(res, ctx, 'SMS_CODE_TRIES_EXCEEDED');
      if (now - state.sentAt > codeTtlMs) return refuse(res, ctx, 'SMS_CODE_EXPIRED');
      if (state.code !== a['code']) {
        state.wrongTries++;
        return refuse(res, ctx, 'SMS_CODE_WRONG', maxCodeTries - state.wrongTries);
      }
      // One code, one inquiry; the resend interval still counts from when it was sent.
      state.used = true;
    } else {
      const tries = passwordTries.get(account.walletId) ?? 0;
      if (tries >= maxPasswordTries) return refuse(res, ctx, 'PASSWORD_LOCKED');
      const password = passwordFromBlock(
        Buffer.from(ctx.terminal!.pinKey, 'hex'),
        a['pinBlock'] as string,
        a['format'] as 0 | 1,
        value,
      );
      if (password === undefined) return refuse(res, ctx, 'PIN_BLOCK_INVALID');
      if (password !== account.paymentPassword) {
        passwordTries.set(account.walletId, tries + 1);
        return refuse(res, ctx, 'PASSWORD_WRONG', maxPasswordTries - tries - 1);
      }
      passwordTries.delete(account.walletId);
    }

    sequence++;
    const hostTime = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    answer(res, ctx, 200, {
      ok: true,
      accountKind: value.length === 11 ? 'phone' : 'walletId',
      accountMasked: mask(value),
      holderMasked: account.holderMasked,
      ledgerFen: account.ledgerFen,
      availableFen: account.availableFen,
      currency: '156',
      // 12 characters, like an ISO 8583 RRN, so it fits the same log column.
      reference: `W${hostTime.slice(2, 10).replace(/-/g, '')}${String(sequence % 100_000).padStart(5, '0')}`,
      hostTime,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';

  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    address: { kind: 'https', host, port, url },
    faults: plan,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    sentCodes: () => sent.map((s) => ({ ...s })),
    lastCodeFor: (account) => {
      const known = findAccount(account.replace(/[\s-]/g, ''));
      const matches = (s: SentSmsCode) =>
        known ? findAccount(s.account) === known : s.account === account;
      for (let i = sent.length - 1; i >= 0; i--) if (matches(sent[i]!)) return sent[i]!.code;
      return undefined;
    },
    accounts: () => accounts.map((a) => ({ ...a })),
  };
}

function mask(value: string): string {
  return value.length === 11 ? maskPhone(value) : maskWalletId(value);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
