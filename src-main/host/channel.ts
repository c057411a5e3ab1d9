// One TCP (optionally TLS) connection to the bank host carrying 2-byte-length frames.
// Exactly one exchange is in flight at a time; the caller checks what came back.
import { createHash } from 'node:crypto';
import { Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { LengthPrefixedFramer } from '../protocols/iso8583/length-framer';
import { withLengthHeader } from '../protocols/iso8583/frame';
import { certificateEnd, type CertificateListener } from './cert-expiry';
import { HostError } from './errors';

export interface TlsPinOptions {
  /** SHA-256 fingerprint of the host's certificate (hex, colons optional). */
  pinnedSha256: string;
  /** SNI name; defaults to the host name. */
  servername?: string;
  /** Hears the certificate after each handshake that matched the pin (its expiry is watched). */
  onCertificate?: CertificateListener;
}

export interface ChannelOptions {
  host: string;
  port: number;
  tls?: TlsPinOptions;
  connectTimeoutMs: number;
  /**
   * Close the connection after this long without an exchange. Shop routers often drop idle
   * TCP sessions silently; a fresh connection beats a request into a dead one. 0 = never.
   */
  idleCloseMs?: number;
}

function normaliseFingerprint(fp: string): string {
  return fp.replace(/:/g, '').toUpperCase();
}

interface Waiter {
  resolve(body: Buffer): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class HostChannel {
  private socket: Socket | TLSSocket | undefined;
  private framer = new LengthPrefixedFramer();
  private waiter: Waiter | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;

  constructor(private readonly opts: ChannelOptions) {}

  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private open(): Promise<void> {
    const { host, port, tls, connectTimeoutMs } = this.opts;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const socket: Socket | TLSSocket = tls
        ? tlsConnect({
            host,
            port,
            servername: tls.servername ?? (/^[\d.:]+$/.test(host) ? undefined : host),
            // Trust comes from the pinned fingerprint, checked below, not from a CA chain.
            rejectUnauthorized: false,
          })
        : tcpConnect({ host, port });
      const fail = (err: HostError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new HostError('HOST_CONNECT_TIMEOUT', `${host}:${port}`)),
        connectTimeoutMs,
      );
      socket.once('error', (e) => fail(new HostError('HOST_CONNECT_FAILED', e.message)));
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        if (tls) {
          const cert = (socket as TLSSocket).getPeerCertificate();
          const raw = cert && 'raw' in cert ? cert.raw : undefined;
          const actual = raw ? createHash('sha256').update(raw).digest('hex').toUpperCase() : '';
          if (actual !== normaliseFingerprint(tls.pinnedSha256)) {
            fail(new HostError('HOST_TLS_PIN_MISMATCH'));
            return;
          }
          tls.onCertificate?.({ validTo: certificateEnd(cert), sha256: actual });
        }
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners('error');
        this.attach(socket);
        resolve();
      });
    });
  }

  private attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    this.framer = new LengthPrefixedFramer();
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      let bodies: Buffer[];
      try {
        bodies = this.framer.push(chunk);
      } catch (e) {
        this.drop(new HostError('HOST_BAD_FRAME', { detail: (e as Error).message, cause: e }));
        return;
      }
      for (const body of bodies) {
        const w = this.waiter;
        if (!w) continue; // unsolicited or late frame: nobody is waiting for it
        this.waiter = undefined;
        clearTimeout(w.timer);
        this.armIdleTimer();
        w.resolve(body);
      }
    });
    socket.on('error', (e) => {
      if (this.socket === socket) this.drop(new HostError('HOST_CONNECTION_CLOSED', e.message));
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      const cut = this.framer.bufferedBytes > 0 ? 'in the middle of a frame' : undefined;
      this.drop(new HostError('HOST_CONNECTION_CLOSED', cut));
    });
  }

  /** Sends one frame body and waits for the next frame body from the host. */
  async exchange(body: Buffer, responseTimeoutMs: number): Promise<Buffer> {
    if (this.waiter) throw new HostError('HOST_BAD_REQUEST', 'an exchange is already running');
    await this.connect();
    clearTimeout(this.idleTimer);
    const socket = this.socket;
    if (!socket) throw new HostError('HOST_CONNECTION_CLOSED');
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        // A late answer would desynchronise the stream, so the connection goes.
        this.close();
        reject(new HostError('HOST_TIMEOUT'));
      }, responseTimeoutMs);
      this.waiter = { resolve, reject, timer };
      socket.write(withLengthHeader(body));
    });
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    const ms = this.opts.idleCloseMs ?? 60_000;
    if (ms > 0) {
      this.idleTimer = setTimeout(() => {
        if (!this.waiter) this.close();
      }, ms);
      this.idleTimer.unref();
    }
  }

  /** Fails the running exchange and forgets the socket; the next exchange reconnects. */
  private drop(err: HostError): void {
    clearTimeout(this.idleTimer);
    const w = this.waiter;
    this.waiter = undefined;
    if (w) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    if (this.socket) {
      this.socket.removeAllListeners('data');
      this.socket.destroy();
      this.socket = undefined;
    }
  }

  close(): void {
    this.drop(new HostError('HOST_CLOSED'));
  }
}
