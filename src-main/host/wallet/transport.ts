// One HTTPS exchange with the wallet host: TLS connect (with an optional pinned certificate),
// then one HTTP/1.1 request on that socket. The TLS handshake and the pin check finish before a
// single request byte is written, so an impostor never sees the account or the code.
import { certificateEnd, type CertificateListener } from '../cert-expiry';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import {
  WalletBadResponseError,
  WalletNetworkError,
  WalletTimeoutError,
  WalletTlsError,
} from './errors';

export interface TlsTrust {
  /** PEM CA certificate(s) to trust instead of the system store. */
  ca?: string | Buffer;
  /**
   * SHA-256 fingerprint of the host's certificate ("AB:CD:..." or plain hex). When set, the
   * certificate must match it; a self-signed certificate is then accepted without a CA.
   */
  pinnedSha256?: string;
  /** Name checked against the certificate (defaults to the host). */
  servername?: string;
  /** Hears the pinned certificate after each handshake that matched the pin. */
  onCertificate?: CertificateListener;
}

export interface ExchangeRequest {
  host: string;
  port: number;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  trust: TlsTrust;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
}

export interface ExchangeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Replies larger than this are cut off: the wallet host never sends more than a few hundred bytes. */
const MAX_REPLY_BYTES = 64 * 1024;

export function normalizeFingerprint(value: string): string {
  return value.replace(/[:\s]/g, '').toUpperCase();
}

export async function exchange(req: ExchangeRequest): Promise<ExchangeResponse> {
  const socket = await connectTls(req);
  try {
    return await sendOnSocket(socket, req);
  } finally {
    socket.destroy();
  }
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

function connectTls(req: ExchangeRequest): Promise<TLSSocket> {
  const pin = req.trust.pinnedSha256 ? normalizeFingerprint(req.trust.pinnedSha256) : undefined;
  const servername = req.trust.servername ?? req.host;
  return new Promise((resolve, reject) => {
    let settled = false;
    const socket = tlsConnect({
      host: req.host,
      port: req.port,
      // SNI must not carry an IP address literal.
      ...(/^[\d.]+$|:/.test(servername) ? {} : { servername }),
      ...(req.trust.ca ? { ca: req.trust.ca } : {}),
      // With a pin, the pin is the trust anchor; chain and name are checked below only if a CA
      // was also given. Without a pin, normal verification applies.
      rejectUnauthorized: pin === undefined,
      ALPNProtocols: ['http/1.1'],
    });
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new WalletTimeoutError('connect', req.connectTimeoutMs)),
      req.connectTimeoutMs,
    );
    socket.once('secureConnect', () => {
      if (settled) return;
      if (pin !== undefined) {
        const seen = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
        if (seen !== pin) {
          fail(new WalletTlsError('CERT_PIN_MISMATCH', { seen, expected: pin }));
          return;
        }
        if (req.trust.ca && !socket.authorized) {
          fail(new WalletTlsError('TLS_FAILED', { reason: String(socket.authorizationError) }));
          return;
        }
        // The pinned certificate's end date is watched (cert-expiry.ts).
        req.trust.onCertificate?.({
          validTo: certificateEnd(socket.getPeerCertificate()),
          sha256: seen,
        });
      }
      settled = true;
      clearTimeout(timer);
      resolve(socket);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code && unreachableCodes.has(error.code)) {
        fail(new WalletNetworkError('UNREACHABLE', error.code));
      } else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        fail(new WalletNetworkError('CONNECTION_LOST', error.code));
      } else {
        // Certificate and handshake failures: untrusted chain, wrong name, protocol mismatch.
        fail(new WalletTlsError('TLS_FAILED', { reason: error.code ?? error.message }));
      }
    });
    socket.once('close', () => fail(new WalletNetworkError('CONNECTION_LOST', 'closed')));
  });
}

function sendOnSocket(socket: TLSSocket, req: ExchangeRequest): Promise<ExchangeResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, value?: ExchangeResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        outgoing.destroy();
        reject(error);
      } else resolve(value!);
    };
    const timer = setTimeout(
      () => finish(new WalletTimeoutError('response', req.responseTimeoutMs)),
      req.responseTimeoutMs,
    );
    const outgoing = httpRequest({
      createConnection: () => socket,
      method: req.method,
      path: req.path,
      host: req.host,
      port: req.port,
      headers: {
        ...req.headers,
        host: `${req.host}:${req.port}`,
        'content-length': String(req.body.length),
        connection: 'close',
      },
    });
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) {
          finish(new WalletBadResponseError('BAD_RESPONSE', { reason: 'reply too large' }));
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('end', () =>
        finish(null, {
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks),
        }),
      );
      incoming.on('aborted', () =>
        finish(new WalletNetworkError('CONNECTION_LOST', 'reply aborted')),
      );
      incoming.on('error', (error: NodeJS.ErrnoException) =>
        finish(new WalletNetworkError('CONNECTION_LOST', error.code ?? error.message)),
      );
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      finish(new WalletNetworkError('CONNECTION_LOST', error.code ?? error.message)),
    );
    outgoing.end(req.body);
  });
}
