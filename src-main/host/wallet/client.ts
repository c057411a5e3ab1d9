// The wallet host client: asks for an SMS code, then for a balance proved by that code or by a
// payment-password PIN block from the PIN pad. Every request is signed and every reply verified
// (PROTOCOL.md); anything that is not a verified success comes back as a typed WalletError.
import type { CertificateListener } from '../cert-expiry';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseWalletAccount } from './account';
import {
  WalletBadResponseError,
  WalletConfigError,
  WalletInputError,
  WalletRefusedError,
  isWalletHostErrorCode,
} from './errors';
import {
  WALLET_HEADERS,
  signRequest,
  signResponse,
  signaturesEqual,
  sm3Available,
  type WalletSignAlgorithm,
} from './signing';
import { exchange, type ExchangeResponse, type TlsTrust } from './transport';
import {
  WALLET_PATHS,
  balanceReplySchema,
  echoReplySchema,
  errorReplySchema,
  pinKeyReplySchema,
  smsCodeReplySchema,
  walletAmountAsBalance,
  type SmsCodeSent,
  type WalletBalance,
  type WalletEcho,
  type WalletPinKey,
} from './types';

export interface WalletClientOptions {
  /** e.g. `https://wallet.example.cn:8443` or `https://127.0.0.1:9443` (https only). */
  baseUrl: string;
  /** The terminal id the host knows this till by (8 letters or digits, as in ISO 8583 F41). */
  terminalId: string;
  /** Per-terminal signing key: 32 bytes, as bytes or 64 hex characters. */
  signingKey: Uint8Array | string;
  algorithm?: WalletSignAlgorithm;
  tls?: {
    /** Path of a PEM file with the CA(s) to trust. */
    caFile?: string;
    /** PEM text of the CA(s) to trust. */
    ca?: string | Buffer;
    /** SHA-256 fingerprint of the host certificate ("AB:CD:..." or hex). */
    pinnedSha256?: string;
    servername?: string;
    /** Hears the pinned certificate after each handshake that matched the pin. */
    onCertificate?: CertificateListener;
  };
  /** TCP connect + TLS handshake. Default 5 s. */
  connectTimeoutMs?: number;
  /** From the request being sent to the whole reply received. Default 15 s. */
  responseTimeoutMs?: number;
  /** Clock in milliseconds since the epoch (tests and training inject one). */
  now?: () => number;
}

export class WalletClient {
  private readonly host: string;
  private readonly port: number;
  private readonly key: Buffer;
  private readonly algorithm: WalletSignAlgorithm;
  private readonly trust: TlsTrust;
  private readonly connectTimeoutMs: number;
  /** The longest a request waits for the reply (the inquiry screen counts it down). */
  readonly responseTimeoutMs: number;
  private readonly now: () => number;
  readonly terminalId: string;

  constructor(options: WalletClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new WalletConfigError('baseUrl is not a URL');
    }
    if (url.protocol !== 'https:') throw new WalletConfigError('baseUrl must be https');
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = url.port ? Number(url.port) : 443;
    if (!/^[0-9A-Za-z]{8}$/.test(options.terminalId)) {
      throw new WalletConfigError('terminal id: 8 letters or digits');
    }
    this.terminalId = options.terminalId;
    this.key = toKey(options.signingKey);
    this.algorithm = options.algorithm ?? 'HMAC-SHA256';
    if (this.algorithm === 'HMAC-SM3' && !sm3Available()) {
      throw new WalletConfigError('HMAC-SM3 requested but this Node build has no SM3');
    }
    const tls = options.tls ?? {};
    let ca = tls.ca;
    if (tls.caFile) {
      try {
        ca = readFileSync(tls.caFile);
      } catch {
        throw new WalletConfigError('CA file cannot be read');
      }
    }
    if (tls.pinnedSha256 !== undefined && !/^([0-9A-Fa-f]{2}:?){32}$/.test(tls.pinnedSha256)) {
      throw new WalletConfigError('pinned fingerprint must be a SHA-256 (32 bytes) in hex');
    }
    this.trust = {
      ...(ca ? { ca } : {}),
      ...(tls.pinnedSha256 ? { pinnedSha256: tls.pinnedSha256 } : {}),
      ...(tls.servername ? { servername: tls.servername } : {}),
      ...(tls.onCertificate ? { onCertificate: tls.onCertificate } : {}),
    };
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 15000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Connection test for diagnostics and the status bar: a signed round trip that proves the
   * network, TLS trust and signing key, and reports the clock offset.
   */
  async echo(): Promise<WalletEcho> {
    const sentAt = this.now();
    const reply = await this.call(WALLET_PATHS.echo, {});
    const receivedAt = this.now();
    const parsed = echoReplySchema.safeParse(reply);
    if (!parsed.success) throw new WalletBadResponseError('BAD_RESPONSE', { reason: 'shape' });
    const hostTime = parsed.data.hostTime;
    return {
      hostTime,
      clockOffsetMs: Math.round(Date.parse(hostTime) - (sentAt + receivedAt) / 2),
    };
  }

  /**
   * Key exchange (PROTOCOL.md, pin-key): the payment-password PIN key encrypted under this
   * terminal's wallet master key, which only the PIN pad and the host hold.
   */
  async pinKey(): Promise<WalletPinKey> {
    const reply = await this.call(WALLET_PATHS.pinKey, {});
    const parsed = pinKeyReplySchema.safeParse(reply);
    if (!parsed.success) throw new WalletBadResponseError('BAD_RESPONSE', { reason: 'shape' });
    return {
      keyUnderMasterKey: Buffer.from(parsed.data.keyUnderMasterKey, 'hex'),
      checkValue: Buffer.from(parsed.data.checkValue, 'hex'),
    };
  }

  /** Asks the host to text a 6-digit code to the account's bound mobile number. */
  async requestSmsCode(account: string): Promise<SmsCodeSent> {
    const { value } = parseWalletAccount(account);
    const reply = await this.call(WALLET_PATHS.smsCode, { account: value });
    const parsed = smsCodeReplySchema.safeParse(reply);
    if (!parsed.success) throw new WalletBadResponseError('BAD_RESPONSE', { reason: 'shape' });
    const d = parsed.data;
    return {
      accountMasked: d.accountMasked,
      sentToMasked: d.sentToMasked,
      expiresInSeconds: d.expiresInSeconds,
      resendAfterSeconds: d.resendAfterSeconds,
    };
  }

  async balanceWithSmsCode(account: string, code: string): Promise<WalletBalance> {
    const { value } = parseWalletAccount(account);
    const trimmed = code.trim();
    if (!/^\d{6}$/.test(trimmed)) throw new WalletInputError('SMS_CODE_FORMAT');
    return this.balance({ account: value, auth: { type: 'sms', code: trimmed } }, 'sms');
  }

  /**
   * `pinBlock`: the 8-byte ISO 9564 block the PIN pad produced under this terminal's wallet PIN
   * key (bytes or 16 hex characters). Format 0 uses `walletPinPanField(account)` as its PAN.
   */
  async balanceWithPasswordBlock(
    account: string,
    pinBlock: Uint8Array | string,
    format: 0 | 1 = 0,
  ): Promise<WalletBalance> {
    const { value } = parseWalletAccount(account);
    const hex = typeof pinBlock === 'string' ? pinBlock : Buffer.from(pinBlock).toString('hex');
    if (!/^[0-9A-Fa-f]{16}$/.test(hex)) throw new WalletInputError('PIN_BLOCK_FORMAT');
    return this.balance(
      { account: value, auth: { type: 'password', pinBlock: hex.toUpperCase(), format } },
      'password',
    );
  }

  private async balance(
    body: Record<string, unknown>,
    verifiedBy: WalletBalance['verifiedBy'],
  ): Promise<WalletBalance> {
    const reply = await this.call(WALLET_PATHS.balance, body);
    const parsed = balanceReplySchema.safeParse(reply);
    if (!parsed.success) throw new WalletBadResponseError('BAD_RESPONSE', { reason: 'shape' });
    const d = parsed.data;
    return {
      accountKind: d.accountKind,
      accountMasked: d.accountMasked,
      holderMasked: d.holderMasked,
      ledgerFen: d.ledgerFen,
      availableFen: d.availableFen,
      currency: d.currency,
      ledger: walletAmountAsBalance('ledger', d.ledgerFen),
      available: walletAmountAsBalance('available', d.availableFen),
      reference: d.reference,
      hostTime: d.hostTime,
      verifiedBy,
    };
  }

  /** Sends one signed POST; returns the verified JSON of a success, throws for anything else. */
  private async call(path: string, payload: Record<string, unknown>): Promise<unknown> {
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const timestamp = String(Math.floor(this.now() / 1000));
    const nonce = randomBytes(16).toString('hex');
    const signature = signRequest(this.key, {
      algorithm: this.algorithm,
      method: 'POST',
      path,
      terminalId: this.terminalId,
      timestamp,
      nonce,
      body,
    });
    const response = await exchange({
      host: this.host,
      port: this.port,
      method: 'POST',
      path,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json',
        [WALLET_HEADERS.terminalId]: this.terminalId,
        [WALLET_HEADERS.timestamp]: timestamp,
        [WALLET_HEADERS.nonce]: nonce,
        [WALLET_HEADERS.algorithm]: this.algorithm,
        [WALLET_HEADERS.signature]: signature,
      },
      body,
      trust: this.trust,
      connectTimeoutMs: this.connectTimeoutMs,
      responseTimeoutMs: this.responseTimeoutMs,
    });
    const json = parseJson(response.body);
    this.verify(response, nonce, json);
    if (response.status === 200 && isObject(json) && json['ok'] === true) return json;
    const refusal = errorReplySchema.safeParse(json);
    if (!refusal.success || !isWalletHostErrorCode(refusal.data.error.code)) {
      throw new WalletBadResponseError('BAD_RESPONSE', { httpStatus: response.status });
    }
    throw new WalletRefusedError(
      refusal.data.error.code,
      response.status,
      refusal.data.error.triesLeft,
    );
  }

  private verify(response: ExchangeResponse, requestNonce: string, json: unknown): void {
    const header = (name: string) => {
      const value = response.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const timestamp = header(WALLET_HEADERS.timestamp);
    const nonce = header(WALLET_HEADERS.nonce);
    const algorithm = header(WALLET_HEADERS.algorithm);
    const signature = header(WALLET_HEADERS.signature);
    const expected =
      timestamp !== undefined && nonce !== undefined && algorithm === this.algorithm
        ? signResponse(this.key, {
            algorithm: this.algorithm,
            status: response.status,
            terminalId: this.terminalId,
            requestNonce,
            timestamp,
            nonce,
            body: response.body,
          })
        : undefined;
    if (
      expected === undefined ||
      signature === undefined ||
      !signaturesEqual(expected, signature)
    ) {
      const claimed = isObject(json) && isObject(json['error']) ? json['error']['code'] : undefined;
      throw new WalletBadResponseError('BAD_RESPONSE_SIGNATURE', {
        httpStatus: response.status,
        ...(typeof claimed === 'string' ? { unverifiedCode: claimed.slice(0, 40) } : {}),
      });
    }
  }
}

function toKey(key: Uint8Array | string): Buffer {
  if (typeof key === 'string') {
    if (!/^[0-9A-Fa-f]{64}$/.test(key)) throw new WalletConfigError('signing key: 64 hex digits');
    return Buffer.from(key, 'hex');
  }
  if (key.length !== 32) throw new WalletConfigError('signing key: 32 bytes');
  return Buffer.from(key);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
