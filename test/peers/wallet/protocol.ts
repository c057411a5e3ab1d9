// Clean-room peer, wallet host protocol v1: the pieces both sides share.
// Written only from src-main/host/wallet/PROTOCOL.md (see README.md in this folder).
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  timingSafeEqual,
} from 'node:crypto';

export type SignAlg = 'HMAC-SHA256' | 'HMAC-SM3';
export const SIGN_ALGS: readonly SignAlg[] = ['HMAC-SHA256', 'HMAC-SM3'];

/** PROTOCOL.md "Signing": the body digest uses the same hash as the HMAC. */
export function hashOf(alg: SignAlg): 'sha256' | 'sm3' {
  return alg === 'HMAC-SM3' ? 'sm3' : 'sha256';
}

export function isSignAlg(value: unknown): value is SignAlg {
  return value === 'HMAC-SHA256' || value === 'HMAC-SM3';
}

/** Lowercase hex digest of the exact body bytes (empty body: digest of zero bytes). */
export function bodyDigestHex(alg: SignAlg, body: Uint8Array | string): string {
  return createHash(hashOf(alg))
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

export function hmacHex(alg: SignAlg, key: Uint8Array, text: string): string {
  return createHmac(hashOf(alg), key).update(Buffer.from(text, 'utf8')).digest('hex');
}

export interface RequestSigningInput {
  alg: SignAlg;
  method: string;
  /** Path with query string, exactly as on the request line. */
  path: string;
  terminalId: string;
  timestamp: string;
  nonce: string;
  body: Uint8Array | string;
}

/** PROTOCOL.md "Request headers": the 8-line canonical request text, no trailing newline. */
export function canonicalRequestText(input: RequestSigningInput): string {
  return [
    'WALLET-HMAC-V1',
    input.alg,
    input.method.toUpperCase(),
    input.path,
    input.terminalId,
    input.timestamp,
    input.nonce,
    bodyDigestHex(input.alg, input.body),
  ].join('\n');
}

export function signRequest(key: Uint8Array, input: RequestSigningInput): string {
  return hmacHex(input.alg, key, canonicalRequestText(input));
}

export interface ReplySigningInput {
  alg: SignAlg;
  status: number;
  terminalId: string;
  requestNonce: string;
  replyTimestamp: string;
  replyNonce: string;
  body: Uint8Array | string;
}

/** PROTOCOL.md "Reply signature": the 8-line canonical reply text. */
export function canonicalReplyText(input: ReplySigningInput): string {
  return [
    'WALLET-HMAC-V1-RESPONSE',
    input.alg,
    String(input.status),
    input.terminalId,
    input.requestNonce,
    input.replyTimestamp,
    input.replyNonce,
    bodyDigestHex(input.alg, input.body),
  ].join('\n');
}

export function signReply(key: Uint8Array, input: ReplySigningInput): string {
  return hmacHex(input.alg, key, canonicalReplyText(input));
}

/** Constant-time comparison of two lowercase hex strings. */
export function hexEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export const TERMINAL_ID_RE = /^[A-Za-z0-9]{8}$/;
export const TIMESTAMP_RE = /^[0-9]{1,15}$/;
export const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;
export const SIGNATURE_RE = /^[0-9a-f]{64}$/;
export const PHONE_RE = /^1[3-9][0-9]{9}$/;
export const WALLET_ID_RE = /^[0-9]{16}$/;
export const SMS_CODE_RE = /^[0-9]{6}$/;

// ---------------------------------------------------------------------------------------------
// Accounts (PROTOCOL.md "Accounts")

export type AccountKind = 'phone' | 'walletId';

export function accountKindOf(account: string): AccountKind | undefined {
  if (PHONE_RE.test(account)) return 'phone';
  if (WALLET_ID_RE.test(account)) return 'walletId';
  return undefined;
}

/** `138****5678` / `8800********5678`. */
export function maskAccount(account: string): string {
  const kind = accountKindOf(account);
  if (kind === 'phone') return `${account.slice(0, 3)}****${account.slice(-4)}`;
  if (kind === 'walletId') return `${account.slice(0, 4)}********${account.slice(-4)}`;
  throw new Error(`not an account: ${account}`);
}

// ---------------------------------------------------------------------------------------------
// 3DES and PIN blocks (PROTOCOL.md "POST /wallet/v1/balance", "POST /wallet/v1/pin-key")

function tdesKey(key: Uint8Array): Buffer {
  const k = Buffer.from(key);
  if (k.length === 16) return Buffer.concat([k, k.subarray(0, 8)]);
  if (k.length === 24) return k;
  throw new Error(`3DES key must be 16 or 24 bytes, got ${k.length}`);
}

export function tdesEcbEncrypt(key: Uint8Array, data: Uint8Array): Buffer {
  if (data.length % 8 !== 0) throw new Error('3DES-ECB data must be a multiple of 8 bytes');
  const c = createCipheriv('des-ede3-ecb', tdesKey(key), null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

export function tdesEcbDecrypt(key: Uint8Array, data: Uint8Array): Buffer {
  if (data.length % 8 !== 0) throw new Error('3DES-ECB data must be a multiple of 8 bytes');
  const d = createDecipheriv('des-ede3-ecb', tdesKey(key), null);
  d.setAutoPadding(false);
  return Buffer.concat([d.update(data), d.final()]);
}

/** First 4 bytes of 3DES-ECB(8 x 00) under the key, 8 uppercase hex characters. */
export function keyCheckValue(key: Uint8Array): string {
  return tdesEcbEncrypt(key, Buffer.alloc(8)).subarray(0, 4).toString('hex').toUpperCase();
}

export function parseKeyHex(hex: string, what: string): Buffer {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) throw new Error(`${what} must be 32 hex characters`);
  return Buffer.from(hex, 'hex');
}

/**
 * The 12-digit "PAN" field of format 0 for a wallet account: the account's rightmost 12 digits,
 * left-padded with `0` (`13812345678` -> `013812345678`; `8800000012345678` -> `000012345678`).
 */
export function walletPanField(account: string): string {
  if (!/^[0-9]+$/.test(account)) throw new Error('account must be digits');
  return account.slice(-12).padStart(12, '0');
}

function assertPin(pin: string): void {
  if (!/^[0-9]{4,12}$/.test(pin)) throw new Error('PIN must be 4-12 digits');
}

/** Clear ISO 9564-1 format 0 block: `0` + len + PIN + `F`s XOR `0000` + 12-digit PAN field. */
export function clearPinBlockFormat0(pin: string, account: string): Buffer {
  assertPin(pin);
  const pinField = Buffer.from(`0${pin.length.toString(16)}${pin}`.padEnd(16, 'F'), 'hex');
  const panField = Buffer.from(`0000${walletPanField(account)}`, 'hex');
  const out = Buffer.alloc(8);
  for (let i = 0; i < 8; i += 1) out[i] = pinField[i]! ^ panField[i]!;
  return out;
}

/** Clear ISO 9564-1 format 1 block: `1` + len + PIN + fill nibbles (14 - len of them). */
export function clearPinBlockFormat1(pin: string, fillHex: string): Buffer {
  assertPin(pin);
  const need = 14 - pin.length;
  if (!/^[0-9A-Fa-f]*$/.test(fillHex) || fillHex.length < need) {
    throw new Error(`format 1 needs ${need} hex fill nibbles`);
  }
  return Buffer.from(`1${pin.length.toString(16)}${pin}${fillHex.slice(0, need)}`, 'hex');
}

/**
 * Reads a clear PIN block of the declared format; undefined when it is not a well-formed block
 * (wrong control nibble, length outside 4-12, non-digit PIN nibble, format 0 fill not all `F`).
 */
export function readClearPinBlock(
  clear: Uint8Array,
  format: 0 | 1,
  account: string,
): string | undefined {
  if (clear.length !== 8) return undefined;
  let field = Buffer.from(clear);
  if (format === 0) {
    const pan = Buffer.from(`0000${walletPanField(account)}`, 'hex');
    field = Buffer.from(field.map((b, i) => b ^ pan[i]!));
  }
  const nibbles = field.toString('hex').toUpperCase();
  if (nibbles[0] !== String(format)) return undefined;
  const len = parseInt(nibbles[1]!, 16);
  if (len < 4 || len > 12) return undefined;
  const pin = nibbles.slice(2, 2 + len);
  if (!/^[0-9]+$/.test(pin)) return undefined;
  const fill = nibbles.slice(2 + len);
  if (format === 0 && !/^F*$/.test(fill)) return undefined;
  return pin;
}

// ---------------------------------------------------------------------------------------------
// Error table (PROTOCOL.md "Error codes")

export type HostErrorCode =
  | 'BAD_REQUEST'
  | 'UNKNOWN_TERMINAL'
  | 'BAD_SIGNATURE'
  | 'STALE_TIMESTAMP'
  | 'REPLAYED_NONCE'
  | 'UNKNOWN_ACCOUNT'
  | 'ACCOUNT_FROZEN'
  | 'SMS_TOO_FREQUENT'
  | 'SMS_CODE_NOT_REQUESTED'
  | 'SMS_CODE_WRONG'
  | 'SMS_CODE_EXPIRED'
  | 'SMS_CODE_TRIES_EXCEEDED'
  | 'PASSWORD_WRONG'
  | 'PASSWORD_LOCKED'
  | 'PIN_BLOCK_INVALID'
  | 'PIN_KEY_UNAVAILABLE'
  | 'SYSTEM_ERROR';

export const HOST_ERRORS: Record<HostErrorCode, { status: number; zh: string; en: string }> = {
  BAD_REQUEST: {
    status: 400,
    zh: '请求格式错误',
    en: 'request not understood by the wallet host',
  },
  UNKNOWN_TERMINAL: {
    status: 401,
    zh: '终端未在钱包主机登记，请联系管理员',
    en: 'terminal not registered with the wallet host',
  },
  BAD_SIGNATURE: {
    status: 401,
    zh: '请求签名错误，请联系管理员核对终端密钥',
    en: 'request signature rejected (terminal key mismatch?)',
  },
  STALE_TIMESTAMP: {
    status: 401,
    zh: '终端时间与主机相差超过5分钟，请校准电脑时间',
    en: 'terminal clock differs from the host by more than 5 minutes; check the PC clock',
  },
  REPLAYED_NONCE: { status: 401, zh: '重复的请求已被拒绝', en: 'duplicate request refused' },
  UNKNOWN_ACCOUNT: { status: 404, zh: '账户不存在', en: 'account not found' },
  ACCOUNT_FROZEN: { status: 403, zh: '账户已冻结', en: 'account frozen' },
  SMS_TOO_FREQUENT: {
    status: 429,
    zh: '验证码发送过于频繁，请稍后再试',
    en: 'a code was sent moments ago; wait a minute before asking again',
  },
  SMS_CODE_NOT_REQUESTED: { status: 422, zh: '请先获取验证码', en: 'request a code first' },
  SMS_CODE_WRONG: { status: 422, zh: '验证码错误', en: 'wrong code' },
  SMS_CODE_EXPIRED: {
    status: 422,
    zh: '验证码已过期，请重新获取',
    en: 'code expired, request a new one',
  },
  SMS_CODE_TRIES_EXCEEDED: {
    status: 429,
    zh: '验证码错误次数过多，请重新获取',
    en: 'too many wrong codes, request a new one',
  },
  PASSWORD_WRONG: { status: 422, zh: '支付密码错误', en: 'wrong payment password' },
  PASSWORD_LOCKED: {
    status: 423,
    zh: '支付密码错误次数过多，已锁定',
    en: 'payment password locked after too many wrong tries',
  },
  PIN_BLOCK_INVALID: {
    status: 422,
    zh: '密码数据无法识别，请检查密码键盘密钥',
    en: 'password data could not be read (PIN pad key or format mismatch)',
  },
  PIN_KEY_UNAVAILABLE: {
    status: 409,
    zh: '钱包主机未为本终端配置支付密码密钥，请改用短信验证码',
    en: 'the wallet host has no payment-password key for this terminal; use an SMS code',
  },
  SYSTEM_ERROR: {
    status: 500,
    zh: '钱包主机故障，请稍后再试',
    en: 'wallet host system fault, try again later',
  },
};

export const MAX_REQUEST_BODY = 16 * 1024;
export const MAX_REPLY_BODY = 64 * 1024;
