// Raw bytes over TCP for the browser shell's adversarial tests and fuzzers: HTTP requests
// written by hand, the WebSocket handshake done by hand, and WebSocket frames built bit by bit
// (FIN, RSV, opcode, mask bit, 7/16/64-bit lengths, masking), so that nothing a client library
// would refuse to send is out of reach. Node built-ins only.
import { createHash } from 'node:crypto';
import net from 'node:net';

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export interface FrameSpec {
  opcode: number;
  payload?: Uint8Array | string;
  /** Default true. */
  fin?: boolean;
  /** RSV1 = 4, RSV2 = 2, RSV3 = 1. Default 0. */
  rsv?: number;
  /** A client must mask; default true. */
  masked?: boolean;
  /** Four bytes; default the key of RFC 6455, 5.7. */
  maskKey?: Uint8Array;
  /** How the length is written: 7 bits, 126 + 16 bits or 127 + 64 bits. Default the shortest. */
  lengthForm?: 7 | 16 | 64;
  /** The length written in the header when it should not be the payload's (a lie). */
  declaredLength?: number | bigint;
}

const RFC_MASK_KEY = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);

export function encodeFrame(spec: FrameSpec): Buffer {
  const payload =
    typeof spec.payload === 'string' ? Buffer.from(spec.payload) : Buffer.from(spec.payload ?? []);
  const length = BigInt(spec.declaredLength ?? payload.length);
  const form = spec.lengthForm ?? (length < 126n ? 7 : length < 65536n ? 16 : 64);
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 15);
  const maskBit = masked ? 0x80 : 0;
  let head: Buffer;
  if (form === 7) {
    head = Buffer.from([first, maskBit | Number(length & 0x7fn)]);
  } else if (form === 16) {
    head = Buffer.from([first, maskBit | 126, 0, 0]);
    head.writeUInt16BE(Number(length & 0xffffn), 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = maskBit | 127;
    head.writeBigUInt64BE(BigInt.asUintN(64, length), 2);
  }
  if (!masked) return Buffer.concat([head, payload]);
  const key = Buffer.from(spec.maskKey ?? RFC_MASK_KEY);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([head, key, body]);
}

/** A close frame's payload: the code, then the reason. */
export function closePayload(code: number, reason: Uint8Array | string = ''): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code & 0xffff);
  return Buffer.concat([head, Buffer.from(reason)]);
}

export interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  payload: Buffer;
}

/** The first whole frame in `data` (as a server sends it, unmasked), or undefined. */
export function decodeFrame(data: Buffer): { frame: Frame; size: number } | undefined {
  if (data.length < 2) return undefined;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (data[1]! & 0x80) !== 0;
  const key = masked ? data.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (data.length < offset + length) return undefined;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (key) for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i % 4]!;
  const frame = {
    fin: (data[0]! & 0x80) !== 0,
    rsv: (data[0]! >> 4) & 7,
    opcode: data[0]! & 15,
    payload,
  };
  return { frame, size: offset + length };
}

export interface HttpReply {
  status: number;
  /** Lower-case names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes of the whole response. */
  size: number;
}

/** The first whole HTTP response in `data` (Content-Length, chunked, or up to the end when
 *  `complete`), or undefined if it is not all there yet. */
export function parseHttpResponse(data: Buffer, complete = false): HttpReply | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const code = Number(status[1]);
  const start = end + 4;
  if (code === 101 || code === 204 || code === 304 || (code >= 100 && code < 200)) {
    return { status: code, headers, body: Buffer.alloc(0), size: start };
  }
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (data.length < start + length) return undefined;
    return {
      status: code,
      headers,
      body: data.subarray(start, start + length),
      size: start + length,
    };
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const chunks: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) return undefined;
      if (size === 0) {
        const trailerEnd = data.indexOf('\r\n', lineEnd + 2);
        if (trailerEnd < 0) return undefined;
        return { status: code, headers, body: Buffer.concat(chunks), size: trailerEnd + 2 };
      }
      if (data.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  if (!complete) return undefined;
  return { status: code, headers, body: data.subarray(start), size: data.length };
}

/** One TCP connection that keeps everything it receives. */
export class RawConnection {
  received = Buffer.alloc(0);
  closed = false;
  error: Error | undefined;
  private waiters = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on('error', (err) => (this.error = err));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(port: number, timeoutMs = 10_000): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('connect timed out'));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RawConnection(socket));
      });
    });
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  write(bytes: Uint8Array | string): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }

  /** Resolves true once `done(received)` holds, false if the connection closed or time ran out
   *  first. */
  until(done: (received: Buffer) => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (done(this.received)) finish(true);
        else if (this.closed) finish(false);
      };
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      const timer = setTimeout(() => finish(done(this.received)), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves true once the server has closed the connection. */
  closedWithin(timeoutMs: number): Promise<boolean> {
    return this.until(() => this.closed, timeoutMs).then(() => this.closed);
  }

  /** Half-closes: the server reads to the end, answers what it will, and closes. */
  end(): void {
    if (!this.socket.destroyed) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Closes with a TCP reset (RST) instead of a FIN. */
  reset(): void {
    if (!this.socket.destroyed) this.socket.resetAndDestroy();
  }
}

/** Writes a raw request, waits for a whole response (or the server closing), and returns it. */
export async function rawHttp(
  port: number,
  request: Uint8Array | string,
  timeoutMs = 10_000,
): Promise<HttpReply | undefined> {
  const conn = await RawConnection.open(port, timeoutMs);
  try {
    conn.write(request);
    await conn.until((data) => parseHttpResponse(data) !== undefined, timeoutMs);
    return parseHttpResponse(conn.received, conn.closed);
  } finally {
    conn.destroy();
  }
}

export interface Credentials {
  port: number;
  /** `cashier_token_<port>=<token>`, as the browser sends it. */
  cookie: string;
}

export const SAMPLE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** The handshake a browser on this very page would send. */
export function upgradeRequest(
  { port, cookie }: Credentials,
  overrides: { target?: string; host?: string; origin?: string; key?: string } = {},
): string {
  const host = overrides.host ?? `127.0.0.1:${port}`;
  return (
    `GET ${overrides.target ?? '/api'} HTTP/1.1\r\n` +
    `Host: ${host}\r\n` +
    'Connection: Upgrade\r\n' +
    'Upgrade: websocket\r\n' +
    'Sec-WebSocket-Version: 13\r\n' +
    `Sec-WebSocket-Key: ${overrides.key ?? SAMPLE_KEY}\r\n` +
    `Origin: ${overrides.origin ?? `http://${host}`}\r\n` +
    `Cookie: ${cookie}\r\n` +
    '\r\n'
  );
}

export function acceptKey(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** A WebSocket whose every byte is ours to choose. */
export class RawWebSocket {
  private constructor(
    readonly conn: RawConnection,
    private offset: number,
  ) {}

  /** Performs a real handshake (right Host, Origin and cookie) and checks the 101 answer. */
  static async open(credentials: Credentials, timeoutMs = 10_000): Promise<RawWebSocket> {
    const conn = await RawConnection.open(credentials.port, timeoutMs);
    conn.write(upgradeRequest(credentials));
    await conn.until((data) => data.includes('\r\n\r\n'), timeoutMs);
    const reply = parseHttpResponse(conn.received);
    if (reply?.status !== 101 || reply.headers['sec-websocket-accept'] !== acceptKey(SAMPLE_KEY)) {
      conn.destroy();
      throw new Error(`handshake refused: ${conn.received.toString('latin1').slice(0, 200)}`);
    }
    return new RawWebSocket(conn, reply.size);
  }

  send(frame: FrameSpec | Uint8Array): void {
    this.conn.write(frame instanceof Uint8Array ? frame : encodeFrame(frame));
  }

  /** The next frame from the server, or undefined if it closed the connection first. */
  async nextFrame(timeoutMs = 10_000): Promise<Frame | undefined> {
    await this.conn.until(
      (data) => decodeFrame(data.subarray(this.offset)) !== undefined,
      timeoutMs,
    );
    const next = decodeFrame(this.conn.received.subarray(this.offset));
    if (!next) return undefined;
    this.offset += next.size;
    return next.frame;
  }

  /** Reads frames up to the server's close frame and returns its code (1005 when it has none),
   *  or undefined if the connection ended without one. */
  async closeCode(timeoutMs = 10_000): Promise<number | undefined> {
    for (;;) {
      const frame = await this.nextFrame(timeoutMs);
      if (!frame) return undefined;
      if (frame.opcode === Opcode.close) {
        return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
      }
    }
  }

  /** Sends one API call as a single masked text frame and waits for its answer. */
  async call(id: number, method: string, args: unknown, timeoutMs = 10_000): Promise<unknown> {
    this.send({ opcode: Opcode.text, payload: JSON.stringify({ id, method, args }) });
    for (;;) {
      const frame = await this.nextFrame(timeoutMs);
      if (!frame) throw new Error(`no answer to call ${id}`);
      if (frame.opcode !== Opcode.text) continue;
      const message = JSON.parse(frame.payload.toString()) as { id?: unknown };
      if (message.id === id) return message;
    }
  }

  close(): void {
    this.conn.destroy();
  }
}
