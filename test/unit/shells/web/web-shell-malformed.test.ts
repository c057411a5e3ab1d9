// The browser shell against requests and frames no browser would send, as raw bytes over TCP:
// each must get a 400 (HTTP) or close only its own socket (WebSocket), and afterwards a valid
// call on a fresh WebSocket is still answered. The shell runs in this process, so a crash shows
// as an uncaught exception or an unhandled rejection, which these tests collect and refuse.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CashierCore } from '../../../../src-main/core/cashier-core';
import {
  contentSecurityPolicy,
  startWebShell,
  type WebShell,
} from '../../../../src-main/shells/web/web-shell';
import {
  closePayload,
  encodeFrame,
  Opcode,
  RawConnection,
  rawHttp,
  RawWebSocket,
  upgradeRequest,
  type Credentials,
  type FrameSpec,
  type HttpReply,
} from '../../../fuzz/wire';

let dataDir: string;
let core: CashierCore;
let shell: WebShell;
let cookie: string;
let credentials: Credentials;
/** A WebSocket opened before any bad frame: it must outlive every other socket's failure. */
let bystander: WebSocket;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => uncaught.push(err);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-web-malformed-'));
  const rendererDir = path.join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><p>renderer</p>');
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  shell = await startWebShell({ core, rendererDir });
  const res = await fetch(shell.url, { redirect: 'manual' });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  credentials = { port: shell.port, cookie };
  bystander = await connect();
});

afterAll(async () => {
  bystander.close();
  await shell.close();
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

// Whatever a test sent, the console must still be up and nothing may have escaped.
afterEach(async () => {
  expect(uncaught.splice(0)).toEqual([]);
  expect(await appState(await connect())).toMatchObject({ ok: true, result: { mode: 'training' } });
  expect(bystander.readyState).toBe(WebSocket.OPEN);
  expect(await appState(bystander)).toMatchObject({ ok: true });
});

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, {
      headers: { Origin: `http://127.0.0.1:${shell.port}`, Cookie: cookie },
    });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

let nextId = 1;
function appState(ws: WebSocket): Promise<{ id: number; ok: boolean; result?: unknown }> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('getAppState: no answer')), 10_000);
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.id !== id) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method: 'getAppState', args: {} }));
  });
}

const host = () => `127.0.0.1:${shell.port}`;

/** A refusal the shell wrote: plain text, with every header a page from it gets. */
function expectRefusal(reply: HttpReply | undefined, status: number): void {
  expect(reply?.status).toBe(status);
  expect(reply!.headers['content-security-policy']).toBe(contentSecurityPolicy(shell.port));
  expect(reply!.headers['x-content-type-options']).toBe('nosniff');
  expect(reply!.headers['referrer-policy']).toBe('no-referrer');
  expect(reply!.headers['cache-control']).toBe('no-store');
  expect(reply!.headers['content-type']).toBe('text/plain; charset=utf-8');
}

/** 400, in Chinese and English. */
function expectBadRequest(reply: HttpReply | undefined, status = 400): void {
  expectRefusal(reply, status);
  const text = reply!.body.toString();
  expect(text).toContain('请求格式有误');
  expect(text).toContain('malformed');
}

describe('a malformed HTTP request gets a 400 and the console stays up', () => {
  it('answers a request target that is no URL (GET http://[) with 400, before any check', async () => {
    const reply = await rawHttp(shell.port, `GET http://[ HTTP/1.1\r\nHost: ${host()}\r\n\r\n`);
    expectBadRequest(reply);
    const withCookie = await rawHttp(
      shell.port,
      `GET http://[::1 HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookie}\r\n\r\n`,
    );
    expectBadRequest(withCookie);
  });

  it('answers the same target on a WebSocket upgrade with 400 and no socket', async () => {
    const request = upgradeRequest(credentials, { target: 'http://[' });
    const reply = await rawHttp(shell.port, request);
    expectBadRequest(reply);
  });

  it('answers a broken percent-encoding with 400, and only after the cookie check', async () => {
    for (const target of ['/%E0%A4%A', '/%', '/%zz', '/assets/%C0%AF', '/%ED%A0%80']) {
      const reply = await rawHttp(
        shell.port,
        `GET ${target} HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookie}\r\n\r\n`,
      );
      expectBadRequest(reply);
    }
    const noCookie = await rawHttp(shell.port, `GET /%E0%A4%A HTTP/1.1\r\nHost: ${host()}\r\n\r\n`);
    expectRefusal(noCookie, 401);
  });

  it('answers requests Node cannot parse with the same headers (400, 431)', async () => {
    const requests = [
      `GET / HTTP/1.1\r\nHost: ${host()}\r\nno colon here\r\n\r\n`,
      `G\x00T / HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      `GET / HTTP/9.9\r\nHost: ${host()}\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n`,
      `GET /\x7f HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: ${host()}\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n`,
      `GET / HTTP/1.1\nHost: ${host()}\n\n`,
    ];
    for (const request of requests) expectBadRequest(await rawHttp(shell.port, request));
    const huge = `GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expectBadRequest(await rawHttp(shell.port, huge), 431);
  });

  it('answers a request without Host, or with an unknown Expect, with the same headers', async () => {
    expectBadRequest(await rawHttp(shell.port, `GET / HTTP/1.1\r\nCookie: ${cookie}\r\n\r\n`));
    const expectTea = `GET / HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookie}\r\nExpect: tea\r\n\r\n`;
    expectRefusal(await rawHttp(shell.port, expectTea), 417);
  });

  it('answers a WebSocket handshake ws refuses (bad key, version, method) with the same headers', async () => {
    const badKey = upgradeRequest(credentials, { key: 'short' });
    expectBadRequest(await rawHttp(shell.port, badKey));
    const badVersion = upgradeRequest(credentials).replace(
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Version: 99',
    );
    expectBadRequest(await rawHttp(shell.port, badVersion));
    const post = upgradeRequest(credentials).replace(/^GET/, 'POST');
    expectBadRequest(await rawHttp(shell.port, post), 405);
  });

  it('still refuses an upgrade without the cookie (403), with the same headers', async () => {
    const noCookie = upgradeRequest({ port: shell.port, cookie: 'cashier_token_1=x' });
    expectRefusal(await rawHttp(shell.port, noCookie), 403);
  });

  it('survives clients that reset the connection while a refused upgrade is answered', async () => {
    for (let i = 0; i < 100; i++) {
      const conn = await RawConnection.open(shell.port);
      conn.write(upgradeRequest({ port: shell.port, cookie: 'none=1' }));
      conn.reset();
    }
    // Give the server time to write its 403 into the reset sockets.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});

interface FrameCase {
  name: string;
  frames: FrameSpec[];
  code: number;
}

const text = (payload: string | Uint8Array, extra: Partial<FrameSpec> = {}): FrameSpec => ({
  opcode: Opcode.text,
  payload,
  ...extra,
});

const frameCases: FrameCase[] = [
  { name: 'a message over the 64 KiB limit', frames: [text('x'.repeat(65_537))], code: 1009 },
  {
    name: 'a 64-bit length over 2^53 - 1',
    frames: [text('', { declaredLength: 2n ** 63n + 5n, lengthForm: 64 })],
    code: 1009,
  },
  {
    name: 'fragments that add up to more than the limit',
    frames: [text('x'.repeat(40_000), { fin: false }), { opcode: 0, payload: 'y'.repeat(40_000) }],
    code: 1009,
  },
  { name: 'opcode 0x3 (reserved)', frames: [{ opcode: 0x3, payload: 'x' }], code: 1002 },
  { name: 'opcode 0xB (reserved control)', frames: [{ opcode: 0xb }], code: 1002 },
  { name: 'RSV1 set (no extension agreed)', frames: [text('{}', { rsv: 4 })], code: 1002 },
  { name: 'RSV2 set', frames: [text('{}', { rsv: 2 })], code: 1002 },
  { name: 'RSV3 set', frames: [{ opcode: Opcode.ping, rsv: 1 }], code: 1002 },
  { name: 'an unmasked client frame', frames: [text('{"id":1}', { masked: false })], code: 1002 },
  {
    name: 'invalid UTF-8 in a text frame',
    frames: [text(Uint8Array.of(0x7b, 0xc3, 0x28, 0x7d))],
    code: 1007,
  },
  {
    name: 'invalid UTF-8 split over fragments',
    frames: [text(Uint8Array.of(0x22, 0xe2, 0x82), { fin: false }), { opcode: 0, payload: '"' }],
    code: 1007,
  },
  {
    name: 'a ping over 125 bytes',
    frames: [{ opcode: Opcode.ping, payload: 'p'.repeat(126) }],
    code: 1002,
  },
  {
    name: 'a close frame over 125 bytes',
    frames: [{ opcode: Opcode.close, payload: closePayload(1000, 'r'.repeat(124)) }],
    code: 1002,
  },
  { name: 'a fragmented ping', frames: [{ opcode: Opcode.ping, fin: false }], code: 1002 },
  { name: 'a continuation with nothing to continue', frames: [{ opcode: 0 }], code: 1002 },
  {
    name: 'a new message inside a fragmented one',
    frames: [text('{', { fin: false }), text('}')],
    code: 1002,
  },
  {
    name: 'a close frame with a 1-byte body',
    frames: [{ opcode: Opcode.close, payload: Uint8Array.of(3) }],
    code: 1002,
  },
  {
    name: 'a close code that may not be sent (1005)',
    frames: [{ opcode: Opcode.close, payload: closePayload(1005) }],
    code: 1002,
  },
  {
    name: 'a close reason that is not UTF-8',
    frames: [{ opcode: Opcode.close, payload: closePayload(1000, Uint8Array.of(0xff)) }],
    code: 1007,
  },
  { name: 'JSON null', frames: [text('null')], code: 1003 },
  { name: 'a JSON array', frames: [text('[1,2]')], code: 1003 },
  { name: 'a JSON number', frames: [text('42')], code: 1003 },
  { name: 'a JSON string', frames: [text('"getAppState"')], code: 1003 },
  { name: 'JSON true', frames: [text('true')], code: 1003 },
  { name: 'an object without a numeric id', frames: [text('{"id":"1"}')], code: 1003 },
  { name: 'JSON nested past the stack', frames: [text('['.repeat(60_000))], code: 1003 },
  { name: 'a binary message', frames: [{ opcode: Opcode.binary, payload: '{}' }], code: 1003 },
];

describe('a malformed WebSocket frame closes that socket only', () => {
  it.each(frameCases)('$name: closed with $code', async ({ frames, code }) => {
    const socket = await RawWebSocket.open(credentials);
    try {
      for (const frame of frames) socket.send(frame);
      expect(await socket.closeCode(5_000)).toBe(code);
    } finally {
      socket.close();
    }
  });

  it('answers a valid call on a hand-built socket, split into single bytes', async () => {
    const socket = await RawWebSocket.open(credentials);
    const frame = encodeFrame(text(JSON.stringify({ id: 7, method: 'getAppState', args: {} })));
    for (const byte of frame) {
      socket.send(Uint8Array.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await socket.nextFrame()).toMatchObject({ opcode: Opcode.text });
    expect(await socket.call(8, 'getAppState', {})).toMatchObject({ id: 8, ok: true });
    socket.close();
  });

  it('survives a socket reset in the middle of a frame', async () => {
    for (let i = 0; i < 20; i++) {
      const socket = await RawWebSocket.open(credentials);
      socket.send(encodeFrame(text('{"id":1,"method":"getAppState","args":{}}')).subarray(0, 9));
      socket.conn.reset();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});
