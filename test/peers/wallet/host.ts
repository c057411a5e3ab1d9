// Clean-room peer, wallet host protocol v1: the host (server) side.
// Written only from src-main/host/wallet/PROTOCOL.md (see README.md in this folder).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, randomInt } from 'node:crypto';
import {
  HOST_ERRORS,
  MAX_REQUEST_BODY,
  NONCE_RE,
  SIGNATURE_RE,
  SMS_CODE_RE,
  TERMINAL_ID_RE,
  TIMESTAMP_RE,
  accountKindOf,
  hexEquals,
  isSignAlg,
  keyCheckValue,
  maskAccount,
  parseKeyHex,
  readClearPinBlock,
  signReply,
  signRequest,
  tdesEcbDecrypt,
  tdesEcbEncrypt,
  type AccountKind,
  type HostErrorCode,
  type SignAlg,
} from './protocol.js';

export interface PeerWalletAccount {
  phone: string;
  walletId?: string;
  holderMasked: string;
  ledgerFen: number;
  availableFen: number;
  password: string;
  frozen?: boolean;
}

export interface PeerWalletTerminal {
  terminalId: string;
  signingKeyHex: string;
  pinKeyHex?: string;
  walletMasterKeyHex?: string;
}

export interface PeerWalletHostOptions {
  port?: number;
  host?: string;
  tls: { key: string | Buffer; cert: string | Buffer };
  terminals: PeerWalletTerminal[];
  accounts: PeerWalletAccount[];
  /** ms clock, for expiry / staleness tests (default Date.now). */
  now?: () => number;
  /** Reply nonce source (default 32 random lowercase hex); for reproducing the example vectors. */
  replyNonce?: () => string;
}

export interface PeerWalletRequestRecord {
  path: string;
  status: number;
  errorCode?: string;
}

export interface PeerWalletHost {
  readonly port: number;
  readonly url: string;
  sentCodes(): Array<{ account: string; code: string; at: number }>;
  lastCodeFor(account: string): string | undefined;
  readonly requests: ReadonlyArray<PeerWalletRequestRecord>;
  close(): Promise<void>;
}

/** PROTOCOL.md timing constants. */
export const WALLET_TIMING = {
  skewMs: 300_000,
  nonceWindowMs: 600_000,
  codeTtlMs: 300_000,
  resendIntervalMs: 60_000,
  maxCodeTries: 3,
  maxPasswordTries: 5,
} as const;

interface AccountState {
  readonly account: PeerWalletAccount;
  code?: { code: string; sentAt: number; wrongTries: number; used: boolean };
  lastSentAt?: number;
  passwordWrong: number;
}

interface TerminalState {
  readonly terminalId: string;
  readonly signingKey: Buffer;
  readonly pinKey?: Buffer;
  readonly masterKey?: Buffer;
  readonly nonces: Map<string, number>;
}

class Refusal {
  constructor(
    readonly code: HostErrorCode,
    readonly triesLeft?: number,
  ) {}
}

type Reply = { status: number; body: Record<string, unknown>; errorCode?: string };

function refusalReply(r: Refusal): Reply {
  const def = HOST_ERRORS[r.code];
  const error: Record<string, unknown> = { code: r.code, message: def.en, messageZh: def.zh };
  if (r.triesLeft !== undefined) error.triesLeft = r.triesLeft;
  return { status: def.status, body: { ok: false, error }, errorCode: r.code };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads the body; stops keeping bytes past the limit (the request is then refused). */
function readBody(req: IncomingMessage): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY) {
        tooLarge = true;
        chunks.length = 0;
        // A body far beyond the limit is not worth draining.
        if (size > 64 * MAX_REQUEST_BODY) req.socket.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve({ bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }),
    );
    req.on('error', reject);
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function startPeerWalletHost(options: PeerWalletHostOptions): Promise<PeerWalletHost> {
  const now = options.now ?? (() => Date.now());
  const replyNonce = options.replyNonce ?? (() => randomBytes(16).toString('hex'));

  const terminals = new Map<string, TerminalState>();
  for (const t of options.terminals) {
    if (!/^[0-9a-fA-F]{64}$/.test(t.signingKeyHex)) {
      throw new Error(`terminal ${t.terminalId}: signing key must be 32 bytes (64 hex)`);
    }
    terminals.set(t.terminalId, {
      terminalId: t.terminalId,
      signingKey: Buffer.from(t.signingKeyHex, 'hex'),
      pinKey: t.pinKeyHex === undefined ? undefined : parseKeyHex(t.pinKeyHex, 'pinKeyHex'),
      masterKey:
        t.walletMasterKeyHex === undefined
          ? undefined
          : parseKeyHex(t.walletMasterKeyHex, 'walletMasterKeyHex'),
      nonces: new Map(),
    });
  }

  const byPhone = new Map<string, AccountState>();
  const byWalletId = new Map<string, AccountState>();
  for (const a of options.accounts) {
    const state: AccountState = { account: { ...a }, passwordWrong: 0 };
    byPhone.set(a.phone, state);
    if (a.walletId !== undefined) byWalletId.set(a.walletId, state);
  }
  const lookup = (account: string): AccountState | undefined =>
    accountKindOf(account) === 'phone' ? byPhone.get(account) : byWalletId.get(account);

  const sent: Array<{ account: string; code: string; at: number }> = [];
  const requests: PeerWalletRequestRecord[] = [];
  let referenceSeq = 0;

  const hostSeconds = (): number => Math.floor(now() / 1000);

  // ---- endpoint bodies ------------------------------------------------------------------

  function parseAccount(body: Record<string, unknown>): { account: string; kind: AccountKind } {
    const account = body.account;
    if (typeof account !== 'string') throw new Refusal('BAD_REQUEST');
    const kind = accountKindOf(account);
    if (kind === undefined) throw new Refusal('BAD_REQUEST');
    return { account, kind };
  }

  function existingAccount(account: string): AccountState {
    const state = lookup(account);
    if (state === undefined) throw new Refusal('UNKNOWN_ACCOUNT');
    if (state.account.frozen === true) throw new Refusal('ACCOUNT_FROZEN');
    return state;
  }

  function smsCode(body: Record<string, unknown>): Record<string, unknown> {
    const { account } = parseAccount(body);
    const state = existingAccount(account);
    const t = now();
    if (state.lastSentAt !== undefined && t - state.lastSentAt < WALLET_TIMING.resendIntervalMs) {
      throw new Refusal('SMS_TOO_FREQUENT');
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    state.code = { code, sentAt: t, wrongTries: 0, used: false };
    state.lastSentAt = t;
    sent.push({ account, code, at: t });
    return {
      ok: true,
      accountMasked: maskAccount(account),
      sentToMasked: maskAccount(state.account.phone),
      expiresInSeconds: WALLET_TIMING.codeTtlMs / 1000,
      resendAfterSeconds: WALLET_TIMING.resendIntervalMs / 1000,
    };
  }

  function balanceReply(
    account: string,
    kind: AccountKind,
    state: AccountState,
  ): Record<string, unknown> {
    const t = now();
    const iso = new Date(t).toISOString();
    referenceSeq = (referenceSeq + 1) % 100_000;
    const reference = `W${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${String(referenceSeq).padStart(5, '0')}`;
    return {
      ok: true,
      accountKind: kind,
      accountMasked: maskAccount(account),
      holderMasked: state.account.holderMasked,
      ledgerFen: state.account.ledgerFen,
      availableFen: state.account.availableFen,
      currency: '156',
      reference,
      hostTime: iso.replace(/\.\d{3}Z$/, 'Z'),
    };
  }

  function balance(
    body: Record<string, unknown>,
    terminal: TerminalState,
  ): Record<string, unknown> {
    const { account, kind } = parseAccount(body);
    const auth = body.auth;
    if (!isPlainObject(auth)) throw new Refusal('BAD_REQUEST');
    if (auth.type === 'sms') {
      if (typeof auth.code !== 'string' || !SMS_CODE_RE.test(auth.code)) {
        throw new Refusal('BAD_REQUEST');
      }
      const state = existingAccount(account);
      const c = state.code;
      if (c === undefined || c.used) throw new Refusal('SMS_CODE_NOT_REQUESTED');
      if (c.wrongTries >= WALLET_TIMING.maxCodeTries) throw new Refusal('SMS_CODE_TRIES_EXCEEDED');
      if (now() - c.sentAt > WALLET_TIMING.codeTtlMs) throw new Refusal('SMS_CODE_EXPIRED');
      if (!hexEquals(c.code, auth.code)) {
        c.wrongTries += 1;
        throw new Refusal('SMS_CODE_WRONG', WALLET_TIMING.maxCodeTries - c.wrongTries);
      }
      c.used = true;
      return balanceReply(account, kind, state);
    }
    if (auth.type === 'password') {
      if (typeof auth.pinBlock !== 'string' || (auth.format !== 0 && auth.format !== 1)) {
        throw new Refusal('BAD_REQUEST');
      }
      const format: 0 | 1 = auth.format;
      const state = existingAccount(account);
      if (terminal.pinKey === undefined) throw new Refusal('PIN_KEY_UNAVAILABLE');
      if (state.passwordWrong >= WALLET_TIMING.maxPasswordTries)
        throw new Refusal('PASSWORD_LOCKED');
      if (!/^[0-9A-Fa-f]{16}$/.test(auth.pinBlock)) throw new Refusal('PIN_BLOCK_INVALID');
      const clear = tdesEcbDecrypt(terminal.pinKey, Buffer.from(auth.pinBlock, 'hex'));
      const pin = readClearPinBlock(clear, format, account);
      if (pin === undefined) throw new Refusal('PIN_BLOCK_INVALID');
      if (pin !== state.account.password) {
        state.passwordWrong += 1;
        throw new Refusal('PASSWORD_WRONG', WALLET_TIMING.maxPasswordTries - state.passwordWrong);
      }
      state.passwordWrong = 0;
      return balanceReply(account, kind, state);
    }
    throw new Refusal('BAD_REQUEST');
  }

  function pinKey(terminal: TerminalState): Record<string, unknown> {
    if (terminal.pinKey === undefined || terminal.masterKey === undefined) {
      throw new Refusal('PIN_KEY_UNAVAILABLE');
    }
    return {
      ok: true,
      keyUnderMasterKey: tdesEcbEncrypt(terminal.masterKey, terminal.pinKey)
        .toString('hex')
        .toUpperCase(),
      checkValue: keyCheckValue(terminal.pinKey),
    };
  }

  function echo(): Record<string, unknown> {
    return { ok: true, hostTime: new Date(now()).toISOString() };
  }

  // ---- request pipeline (PROTOCOL.md "Host checks, in this order") ----------------------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    const { bytes, tooLarge } = await readBody(req);

    const send = (reply: Reply, terminal?: TerminalState, alg?: SignAlg): void => {
      const body = Buffer.from(JSON.stringify(reply.body), 'utf8');
      const headers: Record<string, string | number> = {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': body.length,
        Connection: 'close',
      };
      if (terminal !== undefined) {
        const replyAlg = alg ?? 'HMAC-SHA256';
        const replyTimestamp = String(hostSeconds());
        const nonce = replyNonce();
        headers['X-Timestamp'] = replyTimestamp;
        headers['X-Nonce'] = nonce;
        headers['X-Sign-Alg'] = replyAlg;
        headers['X-Signature'] = signReply(terminal.signingKey, {
          alg: replyAlg,
          status: reply.status,
          terminalId: terminal.terminalId,
          requestNonce: header(req, 'x-nonce') ?? '',
          replyTimestamp,
          replyNonce: nonce,
          body,
        });
      }
      requests.push({ path, status: reply.status, errorCode: reply.errorCode });
      res.writeHead(reply.status, headers);
      res.end(body);
    };

    // 1. Unknown terminal: unsigned, the host has no key.
    const terminalId = header(req, 'x-terminal-id');
    const terminal = terminalId === undefined ? undefined : terminals.get(terminalId);
    if (terminal === undefined) {
      send(refusalReply(new Refusal('UNKNOWN_TERMINAL')));
      return;
    }

    // 2. Missing or malformed headers / unknown algorithm (and an oversized body).
    const algHeader = header(req, 'x-sign-alg');
    const alg: SignAlg | undefined = isSignAlg(algHeader) ? algHeader : undefined;
    const timestamp = header(req, 'x-timestamp');
    const nonce = header(req, 'x-nonce');
    const signature = header(req, 'x-signature');
    if (
      alg === undefined ||
      !TERMINAL_ID_RE.test(terminal.terminalId) ||
      timestamp === undefined ||
      !TIMESTAMP_RE.test(timestamp) ||
      nonce === undefined ||
      !NONCE_RE.test(nonce) ||
      signature === undefined ||
      !SIGNATURE_RE.test(signature) ||
      tooLarge
    ) {
      send(refusalReply(new Refusal('BAD_REQUEST')), terminal, alg);
      return;
    }

    // 3. Signature.
    const expected = signRequest(terminal.signingKey, {
      alg,
      method: req.method ?? '',
      path,
      terminalId: terminal.terminalId,
      timestamp,
      nonce,
      body: bytes,
    });
    if (!hexEquals(expected, signature)) {
      send(refusalReply(new Refusal('BAD_SIGNATURE')), terminal, alg);
      return;
    }

    // 4. Timestamp skew.
    if (Math.abs(hostSeconds() - Number(timestamp)) * 1000 > WALLET_TIMING.skewMs) {
      send(refusalReply(new Refusal('STALE_TIMESTAMP')), terminal, alg);
      return;
    }

    // 5. Nonce replay (recorded only now that the signature checked out).
    const t = now();
    for (const [n, seenAt] of terminal.nonces) {
      if (t - seenAt > WALLET_TIMING.nonceWindowMs) terminal.nonces.delete(n);
    }
    if (terminal.nonces.has(nonce)) {
      send(refusalReply(new Refusal('REPLAYED_NONCE')), terminal, alg);
      return;
    }
    terminal.nonces.set(nonce, t);

    // 6. The endpoint.
    let reply: Reply;
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        throw new Refusal('BAD_REQUEST');
      }
      if (!isPlainObject(parsed) || req.method !== 'POST') throw new Refusal('BAD_REQUEST');
      let body: Record<string, unknown>;
      switch (path) {
        case '/wallet/v1/sms-code':
          body = smsCode(parsed);
          break;
        case '/wallet/v1/balance':
          body = balance(parsed, terminal);
          break;
        case '/wallet/v1/pin-key':
          body = pinKey(terminal);
          break;
        case '/wallet/v1/echo':
          body = echo();
          break;
        default:
          throw new Refusal('BAD_REQUEST');
      }
      reply = { status: 200, body };
    } catch (err) {
      reply = refusalReply(err instanceof Refusal ? err : new Refusal('SYSTEM_ERROR'));
    }
    send(reply, terminal, alg);
  }

  const server: Server = createServer({
    key: options.tls.key,
    cert: options.tls.cert,
    minVersion: 'TLSv1.2',
  });
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { Connection: 'close' });
        res.end();
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostName = options.host ?? '127.0.0.1';

  return {
    port,
    url: `https://${hostName.includes(':') ? `[${hostName}]` : hostName}:${port}`,
    sentCodes: () => sent.map((s) => ({ ...s })),
    lastCodeFor: (account: string) => {
      const state = lookup(account);
      if (state === undefined) return undefined;
      for (let i = sent.length - 1; i >= 0; i -= 1) {
        if (lookup(sent[i]!.account) === state) return sent[i]!.code;
      }
      return undefined;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
