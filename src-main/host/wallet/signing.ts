// Request and response signatures of the wallet protocol (PROTOCOL.md, "Signing").
// Pure functions over strings and bytes: the canonical text is built here and nowhere else
// in the client, so the documented example vector pins it down.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type WalletSignAlgorithm = 'HMAC-SHA256' | 'HMAC-SM3';
export const WALLET_HEADERS = {
  terminalId: 'x-terminal-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  algorithm: 'x-sign-alg',
  signature: 'x-signature',
} as const;

/** Requests older or newer than this (host clock vs. terminal clock) are refused. */
export const WALLET_MAX_SKEW_MS = 5 * 60 * 1000;

const digestName: Record<WalletSignAlgorithm, string> = {
  'HMAC-SHA256': 'sha256',
  'HMAC-SM3': 'sm3',
};

/** SM3 is present in Node's OpenSSL on most builds, but not guaranteed everywhere. */
export function sm3Available(): boolean {
  try {
    createHash('sm3');
    return true;
  } catch {
    return false;
  }
}

/** Lowercase hex digest of the exact body bytes, with the algorithm's hash (SHA-256 or SM3). */
export function bodyDigest(algorithm: WalletSignAlgorithm, body: Uint8Array | string): string {
  return createHash(digestName[algorithm]).update(body).digest('hex');
}

export interface RequestSigningInput {
  algorithm: WalletSignAlgorithm;
  method: string;
  /** Path including any query string, exactly as sent on the request line. */
  path: string;
  terminalId: string;
  /** Unix time in whole seconds, as a decimal string. */
  timestamp: string;
  nonce: string;
  body: Uint8Array | string;
}

export function requestCanonicalText(input: RequestSigningInput): string {
  return [
    'WALLET-HMAC-V1',
    input.algorithm,
    input.method.toUpperCase(),
    input.path,
    input.terminalId,
    input.timestamp,
    input.nonce,
    bodyDigest(input.algorithm, input.body),
  ].join('\n');
}

export interface ResponseSigningInput {
  algorithm: WalletSignAlgorithm;
  status: number;
  terminalId: string;
  /** The nonce of the request this answers: binds the reply to its request. */
  requestNonce: string;
  timestamp: string;
  nonce: string;
  body: Uint8Array | string;
}

export function responseCanonicalText(input: ResponseSigningInput): string {
  return [
    'WALLET-HMAC-V1-RESPONSE',
    input.algorithm,
    String(input.status),
    input.terminalId,
    input.requestNonce,
    input.timestamp,
    input.nonce,
    bodyDigest(input.algorithm, input.body),
  ].join('\n');
}

/** Lowercase hex HMAC of the canonical text under the terminal's signing key. */
export function hmacHex(algorithm: WalletSignAlgorithm, key: Uint8Array, text: string): string {
  return createHmac(digestName[algorithm], key).update(text, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex signatures (case-insensitive). */
export function signaturesEqual(expectedHex: string, givenHex: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(givenHex) || givenHex.length !== expectedHex.length) return false;
  return timingSafeEqual(
    Buffer.from(expectedHex.toLowerCase(), 'hex'),
    Buffer.from(givenHex.toLowerCase(), 'hex'),
  );
}

export function signRequest(key: Uint8Array, input: RequestSigningInput): string {
  return hmacHex(input.algorithm, key, requestCanonicalText(input));
}

export function signResponse(key: Uint8Array, input: ResponseSigningInput): string {
  return hmacHex(input.algorithm, key, responseCanonicalText(input));
}
