// Clean-room peer, wallet host protocol v1: the till (client) side.
// Written only from src-main/host/wallet/PROTOCOL.md (see README.md in this folder).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { randomBytes, randomInt } from 'node:crypto';
import {
  MAX_REPLY_BODY,
  NONCE_RE,
  SIGNATURE_RE,
  SMS_CODE_RE,
  TERMINAL_ID_RE,
  TIMESTAMP_RE,
  accountKindOf,
  clearPinBlockFormat0,
  clearPinBlockFormat1,
  hexEquals,
  keyCheckValue,
  parseKeyHex,
  signReply,
  signRequest,
  tdesEcbDecrypt,
  tdesEcbEncrypt,
  type SignAlg,
} from './protocol.js';

export type PeerWalletErrorCode =
  | 'ACCOUNT_INVALID'
  | 'SMS_CODE_FORMAT'
  | 'PIN_BLOCK_FORMAT'
  | 'CONFIG_INVALID'
  | 'CONNECT_TIMEOUT'
  | 'RESPONSE_TIMEOUT'
  | 'UNREACHABLE'
  | 'CONNECTION_LOST'
  | 'TLS_FAILED'
  | 'CERT_PIN_MISMATCH'
  | 'BAD_RESPONSE_SIGNATURE'
  | 'BAD_RESPONSE';

const KIND: Record<PeerWalletErrorCode, string> = {
  ACCOUNT_INVALID: 'input',
  SMS_CODE_FORMAT: 'input',
  PIN_BLOCK_FORMAT: 'input',
  CONFIG_INVALID: 'config',
  CONNECT_TIMEOUT: 'timeout',
  RESPONSE_TIMEOUT: 'timeout',
  UNREACHABLE: 'network',
  CONNECTION_LOST: 'network',
  TLS_FAILED: 'tls',
  CERT_PIN_MISMATCH: 'tls',
  BAD_RESPONSE_SIGNATURE: 'bad-response',
  BAD_RESPONSE: 'bad-response',
};

/**
 * Every client-side failure (PROTOCOL.md "Client-side codes") is thrown as this error. Signed
 * host refusals are NOT thrown: they come back as `{ status, body }` with `body.ok === false`.
 */
export class PeerWalletError extends Error {
  readonly kind: string;
  constructor(
    readonly code: PeerWalletErrorCode,
    message: string,
    readonly details: {
      status?: number;
      /** For BAD_RESPONSE_SIGNATURE: the host's error code as received, unverified. */
      unverifiedCode?: string;
      unverifiedBody?: string;
      cause?: unknown;
    } = {},
  ) {
    super(`${code}: ${message}`);
    this.name = 'PeerWalletError';
    this.kind = KIND[code];
  }
}

export interface PeerWalletClientOptions {
  baseUrl: string;
  terminalId: string;
  signingKeyHex: string;
  algorithm?: SignAlg;
  /** `AB:CD:..` SHA-256 fingerprint of the host certificate (colons and case optional). */
  pinnedSha256?: string;
  ca?: string | Buffer;
  walletMasterKeyHex?: string;
  /** ms clock for X-Timestamp (default Date.now). */
  now?: () => number;
  /** Request nonce source (default 32 random lowercase hex). */
  nonce?: () => string;
  connectTimeoutMs?: number;
  responseTimeoutMs?: number;
}

export interface PeerWalletResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RawOverrides {
  terminalId?: string;
  timestamp?: string;
  nonce?: string;
  alg?: string;
  /** Replace the computed signature. */
  signature?: string;
  /** Header names (as sent, e.g. `X-Nonce`) to leave out. */
  omit?: string[];
  method?: string;
}

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  bodyBytes: Buffer;
  /** Undefined when the reply signature checked out; otherwise why it did not. */
  signatureProblem?: string;
  requestNonce: string;
}

function headerString(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return typeof v === 'string' ? v : undefined;
}

function normalizeFingerprint(fp: string): string {
  return fp.replace(/:/g, '').toUpperCase();
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

export class PeerWalletClient {
  private readonly url: URL;
  private readonly signingKey: Buffer;
  private readonly alg: SignAlg;
  private readonly now: () => number;
  private readonly nonce: () => string;
  private readonly pin?: string;
  private readonly masterKey?: Buffer;
  private cachedPinKey?: Buffer;

  constructor(private readonly options: PeerWalletClientOptions) {
    try {
      this.url = new URL(options.baseUrl);
    } catch (cause) {
      throw new PeerWalletError('CONFIG_INVALID', 'baseUrl is not a URL', { cause });
    }
    if (this.url.protocol !== 'https:') {
      throw new PeerWalletError('CONFIG_INVALID', 'baseUrl must be https');
    }
    if (!TERMINAL_ID_RE.test(options.terminalId)) {
      throw new PeerWalletError('CONFIG_INVALID', 'terminal id must be 8 letters or digits');
    }
    if (!/^[0-9a-fA-F]{64}$/.test(options.signingKeyHex)) {
      throw new PeerWalletError('CONFIG_INVALID', 'signing key must be 32 bytes (64 hex)');
    }
    this.signingKey = Buffer.from(options.signingKeyHex, 'hex');
    this.alg = options.algorithm ?? 'HMAC-SHA256';
    if (this.alg !== 'HMAC-SHA256' && this.alg !== 'HMAC-SM3') {
      throw new PeerWalletError('CONFIG_INVALID', `unknown algorithm ${String(this.alg)}`);
    }
    if (options.pinnedSha256 !== undefined) {
      const fp = normalizeFingerprint(options.pinnedSha256);
      if (!/^[0-9A-F]{64}$/.test(fp)) {
        throw new PeerWalletError('CONFIG_INVALID', 'pinnedSha256 must be a SHA-256 fingerprint');
      }
      this.pin = fp;
    }
    if (options.walletMasterKeyHex !== undefined) {
      try {
        this.masterKey = parseKeyHex(options.walletMasterKeyHex, 'walletMasterKeyHex');
      } catch (cause) {
        throw new PeerWalletError('CONFIG_INVALID', 'walletMasterKeyHex must be 16 bytes', {
          cause,
        });
      }
    }
    this.now = options.now ?? (() => Date.now());
    this.nonce = options.nonce ?? (() => randomBytes(16).toString('hex'));
  }

  // ---- endpoints --------------------------------------------------------------------------

  async requestSmsCode(account: string): Promise<PeerWalletResult> {
    this.checkAccount(account);
    return this.call('/wallet/v1/sms-code', { account });
  }

  async balanceWithSmsCode(account: string, code: string): Promise<PeerWalletResult> {
    this.checkAccount(account);
    if (!SMS_CODE_RE.test(code)) {
      throw new PeerWalletError('SMS_CODE_FORMAT', 'the code is 6 digits');
    }
    return this.call('/wallet/v1/balance', { account, auth: { type: 'sms', code } });
  }

  /** Sends an already encrypted PIN block (what the PIN pad returned). */
  async balanceWithPasswordBlock(
    account: string,
    pinBlockHex: string,
    format: 0 | 1 = 0,
  ): Promise<PeerWalletResult> {
    this.checkAccount(account);
    if (!/^[0-9A-Fa-f]{16}$/.test(pinBlockHex)) {
      throw new PeerWalletError('PIN_BLOCK_FORMAT', 'a PIN block is 8 bytes (16 hex)');
    }
    return this.call('/wallet/v1/balance', {
      account,
      auth: { type: 'password', pinBlock: pinBlockHex.toUpperCase(), format },
    });
  }

  /**
   * Fetches the PIN key via /pin-key (decrypting it with walletMasterKeyHex and checking its
   * check value) unless pinKeyHex is given, builds and encrypts the PIN block itself (it plays
   * the PIN pad). If /pin-key refuses, that refusal is returned as the result. A
   * PIN_BLOCK_INVALID refusal drops the cached PIN key, so the next call asks again.
   */
  async balanceWithPassword(
    account: string,
    password: string,
    options: { pinKeyHex?: string; format?: 0 | 1; fillHex?: string } = {},
  ): Promise<PeerWalletResult> {
    this.checkAccount(account);
    if (!/^[0-9]{4,12}$/.test(password)) {
      throw new PeerWalletError('PIN_BLOCK_FORMAT', 'a payment password is 4-12 digits');
    }
    let key: Buffer;
    const fromExchange = options.pinKeyHex === undefined;
    if (options.pinKeyHex !== undefined) {
      key = parseKeyHex(options.pinKeyHex, 'pinKeyHex');
    } else if (this.cachedPinKey !== undefined) {
      key = this.cachedPinKey;
    } else {
      if (this.masterKey === undefined) {
        throw new PeerWalletError('CONFIG_INVALID', 'no walletMasterKeyHex to receive the PIN key');
      }
      const exchange = await this.pinKey();
      if (exchange.clearKeyHex === undefined)
        return { status: exchange.status, body: exchange.body };
      key = Buffer.from(exchange.clearKeyHex, 'hex');
    }
    const format = options.format ?? 0;
    const clear =
      format === 0
        ? clearPinBlockFormat0(password, account)
        : clearPinBlockFormat1(
            password,
            options.fillHex ??
              Array.from({ length: 14 }, () => randomInt(0, 16).toString(16)).join(''),
          );
    const block = tdesEcbEncrypt(key, clear).toString('hex').toUpperCase();
    const result = await this.balanceWithPasswordBlock(account, block, format);
    if (fromExchange && result.body?.error?.code === 'PIN_BLOCK_INVALID') {
      this.cachedPinKey = undefined;
    }
    return result;
  }

  /**
   * POST /wallet/v1/pin-key. On 200 with a walletMasterKeyHex configured, decrypts the key,
   * checks the check value (mismatch or malformed fields: throws BAD_RESPONSE), caches it for
   * balanceWithPassword and returns it as clearKeyHex (uppercase).
   */
  async pinKey(): Promise<PeerWalletResult & { clearKeyHex?: string }> {
    const result = await this.call('/wallet/v1/pin-key', {});
    if (result.status !== 200 || this.masterKey === undefined) return result;
    const { keyUnderMasterKey, checkValue } = result.body as Record<string, unknown>;
    if (
      typeof keyUnderMasterKey !== 'string' ||
      !/^[0-9A-F]{32}$/.test(keyUnderMasterKey) ||
      typeof checkValue !== 'string' ||
      !/^[0-9A-F]{8}$/.test(checkValue)
    ) {
      throw new PeerWalletError('BAD_RESPONSE', 'pin-key reply fields malformed', {
        status: result.status,
      });
    }
    const clear = tdesEcbDecrypt(this.masterKey, Buffer.from(keyUnderMasterKey, 'hex'));
    if (keyCheckValue(clear) !== checkValue) {
      throw new PeerWalletError('BAD_RESPONSE', 'PIN key check value mismatch', {
        status: result.status,
      });
    }
    this.cachedPinKey = clear;
    return { ...result, clearKeyHex: clear.toString('hex').toUpperCase() };
  }

  /** POST /wallet/v1/echo; on 200 also reports the clock offset (host minus terminal, ms). */
  async echo(): Promise<PeerWalletResult & { clockOffsetMs?: number }> {
    const sentAt = this.now();
    const result = await this.call('/wallet/v1/echo', {});
    if (result.status !== 200) return result;
    const hostMs =
      typeof result.body.hostTime === 'string' ? Date.parse(result.body.hostTime) : Number.NaN;
    if (Number.isNaN(hostMs)) {
      throw new PeerWalletError('BAD_RESPONSE', 'echo reply without a valid hostTime', {
        status: result.status,
      });
    }
    return { ...result, clockOffsetMs: hostMs - (sentAt + this.now()) / 2 };
  }

  // ---- signed exchange ----------------------------------------------------------------------

  private checkAccount(account: string): void {
    if (accountKindOf(account) === undefined) {
      throw new PeerWalletError('ACCOUNT_INVALID', '11-digit mobile or 16-digit wallet id');
    }
  }

  private async call(path: string, payload: unknown): Promise<PeerWalletResult> {
    const raw = await this.sendRaw(path, JSON.stringify(payload));
    const text = raw.bodyBytes.toString('utf8');
    if (raw.signatureProblem !== undefined) {
      let unverifiedCode: string | undefined;
      try {
        const b = JSON.parse(text) as { error?: { code?: unknown } };
        if (typeof b.error?.code === 'string') unverifiedCode = b.error.code;
      } catch {
        // not JSON: nothing to keep
      }
      throw new PeerWalletError('BAD_RESPONSE_SIGNATURE', raw.signatureProblem, {
        status: raw.status,
        unverifiedCode,
        unverifiedBody: text,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.bodyBytes));
    } catch (cause) {
      throw new PeerWalletError('BAD_RESPONSE', 'reply is not UTF-8 JSON', {
        status: raw.status,
        cause,
      });
    }
    const obj = body as { ok?: unknown; error?: { code?: unknown } } | null;
    const wellFormed =
      typeof obj === 'object' &&
      obj !== null &&
      !Array.isArray(obj) &&
      (raw.status === 200
        ? obj.ok === true
        : obj.ok === false && typeof obj.error === 'object' && typeof obj.error?.code === 'string');
    if (!wellFormed) {
      throw new PeerWalletError('BAD_RESPONSE', 'reply body does not match its status', {
        status: raw.status,
      });
    }
    return { status: raw.status, body };
  }

  /**
   * Low level: signs and sends `body` to `path` (POST unless overridden), returns the reply
   * with the outcome of the reply-signature check (never throws for a bad signature). The
   * overrides exist to let tests send requests a correct till never would.
   */
  async sendRaw(
    path: string,
    body: string | Buffer,
    overrides: RawOverrides = {},
  ): Promise<RawReply> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    // A base URL with a path prefix: the signed path is the one on the request line.
    const fullPath = `${this.url.pathname.replace(/\/$/, '')}${path}`;
    const method = overrides.method ?? 'POST';
    const terminalId = overrides.terminalId ?? this.options.terminalId;
    const timestamp = overrides.timestamp ?? String(Math.floor(this.now() / 1000));
    const nonce = overrides.nonce ?? this.nonce();
    const alg = (overrides.alg ?? this.alg) as SignAlg;
    const signature =
      overrides.signature ??
      signRequest(this.signingKey, {
        alg: alg === 'HMAC-SM3' ? 'HMAC-SM3' : 'HMAC-SHA256',
        method,
        path: fullPath,
        terminalId,
        timestamp,
        nonce,
        body: bytes,
      });
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': bytes.length,
      Connection: 'close',
      'X-Terminal-Id': terminalId,
      'X-Timestamp': timestamp,
      'X-Nonce': nonce,
      'X-Sign-Alg': alg,
      'X-Signature': signature,
    };
    for (const name of overrides.omit ?? []) delete headers[name];
    const reply = await this.exchange(method, fullPath, headers, bytes);
    return {
      ...reply,
      requestNonce: nonce,
      signatureProblem: this.replySignatureProblem(reply, alg, terminalId, nonce),
    };
  }

  private replySignatureProblem(
    reply: { status: number; headers: IncomingHttpHeaders; bodyBytes: Buffer },
    alg: SignAlg,
    terminalId: string,
    requestNonce: string,
  ): string | undefined {
    const ts = headerString(reply.headers, 'x-timestamp');
    const nonce = headerString(reply.headers, 'x-nonce');
    const replyAlg = headerString(reply.headers, 'x-sign-alg');
    const signature = headerString(reply.headers, 'x-signature');
    if (signature === undefined) return 'reply is not signed';
    if (ts === undefined || !TIMESTAMP_RE.test(ts)) return 'reply X-Timestamp missing or malformed';
    if (nonce === undefined || !NONCE_RE.test(nonce)) return 'reply X-Nonce missing or malformed';
    if (replyAlg !== alg) return `reply X-Sign-Alg ${String(replyAlg)} is not the request's ${alg}`;
    if (!SIGNATURE_RE.test(signature)) return 'reply X-Signature malformed';
    const expected = signReply(this.signingKey, {
      alg,
      status: reply.status,
      terminalId,
      requestNonce,
      replyTimestamp: ts,
      replyNonce: nonce,
      body: reply.bodyBytes,
    });
    return hexEquals(expected, signature) ? undefined : 'reply signature does not match';
  }

  // ---- transport ----------------------------------------------------------------------------

  /**
   * One request per connection. The TLS connection is opened first; with a pin, the peer
   * certificate's SHA-256 is compared before the HTTP request is even created, so a mismatch
   * leaves the host without a single request byte.
   */
  private exchange(
    method: string,
    path: string,
    headers: Record<string, string | number>,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; bodyBytes: Buffer }> {
    const host = this.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = this.url.port === '' ? 443 : Number(this.url.port);
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 5000;
    const responseTimeoutMs = this.options.responseTimeoutMs ?? 15000;

    return new Promise((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const socket: TLSSocket = tlsConnect({
        host,
        port,
        servername: isIP(host) === 0 ? host : undefined,
        rejectUnauthorized: this.pin === undefined,
        ca: this.pin === undefined ? this.options.ca : undefined,
        minVersion: 'TLSv1.2',
        ALPNProtocols: ['http/1.1'],
      });
      const finish = (err: PeerWalletError | undefined, value?: Parameters<typeof resolve>[0]) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        if (err !== undefined) {
          socket.destroy();
          reject(err);
        } else {
          resolve(value!);
        }
      };
      let secure = false;

      timer = setTimeout(
        () =>
          finish(
            new PeerWalletError('CONNECT_TIMEOUT', `no TLS session in ${connectTimeoutMs} ms`),
          ),
        connectTimeoutMs,
      );
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (secure) {
          finish(new PeerWalletError('CONNECTION_LOST', err.message, { cause: err }));
        } else if (err.code !== undefined && NETWORK_CODES.has(err.code)) {
          finish(new PeerWalletError('UNREACHABLE', err.message, { cause: err }));
        } else if (err.code === 'ECONNRESET') {
          finish(new PeerWalletError('CONNECTION_LOST', err.message, { cause: err }));
        } else {
          finish(new PeerWalletError('TLS_FAILED', err.message, { cause: err }));
        }
      });
      socket.once('secureConnect', () => {
        const s = socket;
        secure = true;
        if (this.pin !== undefined) {
          const fp = s.getPeerCertificate().fingerprint256;
          if (typeof fp !== 'string' || normalizeFingerprint(fp) !== this.pin) {
            finish(
              new PeerWalletError(
                'CERT_PIN_MISMATCH',
                `host certificate ${String(fp)} is not pinned`,
              ),
            );
            return;
          }
        } else if (!s.authorized) {
          finish(new PeerWalletError('TLS_FAILED', String(s.authorizationError)));
          return;
        }
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(
          () =>
            finish(new PeerWalletError('RESPONSE_TIMEOUT', `no reply in ${responseTimeoutMs} ms`)),
          responseTimeoutMs,
        );
        const req = httpRequest({
          host,
          port,
          method,
          path,
          headers,
          createConnection: () => s,
        });
        req.on('error', (err) =>
          finish(new PeerWalletError('CONNECTION_LOST', err.message, { cause: err })),
        );
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_REPLY_BODY) {
              finish(new PeerWalletError('BAD_RESPONSE', 'reply body over 64 KiB'));
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', (err) =>
            finish(new PeerWalletError('CONNECTION_LOST', err.message, { cause: err })),
          );
          res.on('aborted', () =>
            finish(new PeerWalletError('CONNECTION_LOST', 'reply cut short')),
          );
          res.on('end', () => {
            if (!res.complete) {
              finish(new PeerWalletError('CONNECTION_LOST', 'reply cut short'));
              return;
            }
            finish(undefined, {
              status: res.statusCode ?? 0,
              headers: res.headers,
              bodyBytes: Buffer.concat(chunks),
            });
            s.destroy();
          });
        });
        req.end(body);
      });
    });
  }
}
