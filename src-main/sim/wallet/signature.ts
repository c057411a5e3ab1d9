// The host side of the wallet signatures (PROTOCOL.md, "Signing"), written from the document
// independently of the client so that a test of the two together checks the document, not a
// shared helper.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HostSignAlgorithm = 'HMAC-SHA256' | 'HMAC-SM3';

const hashOf: Record<HostSignAlgorithm, string> = { 'HMAC-SHA256': 'sha256', 'HMAC-SM3': 'sm3' };

function hmac(alg: HostSignAlgorithm, key: Buffer, lines: string[]): string {
  return createHmac(hashOf[alg], key).update(lines.join('\n'), 'utf8').digest('hex');
}

function digest(alg: HostSignAlgorithm, body: Buffer): string {
  return createHash(hashOf[alg]).update(body).digest('hex');
}

export function expectedRequestSignature(
  alg: HostSignAlgorithm,
  key: Buffer,
  r: {
    method: string;
    path: string;
    terminalId: string;
    timestamp: string;
    nonce: string;
    body: Buffer;
  },
): string {
  return hmac(alg, key, [
    'WALLET-HMAC-V1',
    alg,
    r.method.toUpperCase(),
    r.path,
    r.terminalId,
    r.timestamp,
    r.nonce,
    digest(alg, r.body),
  ]);
}

export function responseSignature(
  alg: HostSignAlgorithm,
  key: Buffer,
  r: {
    status: number;
    terminalId: string;
    requestNonce: string;
    timestamp: string;
    nonce: string;
    body: Buffer;
  },
): string {
  return hmac(alg, key, [
    'WALLET-HMAC-V1-RESPONSE',
    alg,
    String(r.status),
    r.terminalId,
    r.requestNonce,
    r.timestamp,
    r.nonce,
    digest(alg, r.body),
  ]);
}

export function sameHex(expected: string, given: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(given) || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given.toLowerCase(), 'hex'));
}
