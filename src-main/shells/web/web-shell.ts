// Browser shell: serves the built renderer and carries the API over a WebSocket.
// Bound to 127.0.0.1 only. A token in the address (?token=..., the start-up token or a one-time
// launch code, shell-keys.ts) is traded for an HttpOnly SameSite=Strict cookie, which is
// required on every request and on the WebSocket upgrade (the data folder's install secret
// under `cashier serve`/`start`, so an open tab gets back in after a restart);
// the Host header and the WebSocket Origin must name this very server (no DNS rebinding,
// no other page in the browser can drive the console).
// One bad request or frame must not stop it: a request it cannot read gets a 400 with the same
// headers as every other answer, a bad WebSocket frame closes that one socket, and nothing a
// client sends reaches an unhandled 'error' event or an uncaught throw.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { WireEvent, WireResponse } from '../../contract';
import type { CashierCore } from '../../core/cashier-core';
import { assetServer, CONTENT_TYPES } from './assets';
import { sameSecret, shellKeys, type ShellKeys } from './shell-keys';

export interface WebShellOptions {
  /** The console, or its opening: `cashier serve` listens first and opens the console while
   *  the browser loads the page; API calls wait for it. */
  core: CashierCore | Promise<CashierCore>;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
  /** What lets a browser in (shell-keys.ts): the data folder's install secret for the cookie,
   *  launch codes for the app window. Default: the start-up token alone, as before. */
  keys?: ShellKeys;
}

export interface WebShell {
  url: string;
  port: number;
  token: string;
  /** An address that opens the console once (a launch code), for the app window. */
  launchUrl(onSpent?: () => void): string;
  close(): Promise<void>;
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const MAX_MESSAGE_BYTES = 64 * 1024;

const BAD_REQUEST = '请求格式有误，已拒绝。\nThe request is malformed and was refused.\n';
const INTERNAL_ERROR =
  '收银台内部出错，请求未完成。\nSomething went wrong inside the console; the request was not completed.\n';

const NO_TOKEN_TEXT =
  '请使用启动时显示的完整地址（含 token）打开收银台。\n' +
  'Open the console with the full address (with its token) printed at start-up.\n';

// The page a browser gets without the token: the same words as NO_TOKEN_TEXT, laid out like the
// console. The CSP allows no inline style, so its stylesheet is a file of its own, the one thing
// served without the token (it holds nothing but this page's look).
const NO_TOKEN_CSS_PATH = '/no-token.css';
const NO_TOKEN_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>收银台 Cashier Console</title>
<link rel="stylesheet" href="${NO_TOKEN_CSS_PATH}">
</head>
<body>
<header><span aria-hidden="true">￥</span> 收银台 <small>Cashier Console</small></header>
<main>
<h1>请使用启动时显示的完整地址（含 token）打开收银台。</h1>
<p>地址以 <code>http://127.0.0.1:</code> 开头、带有 <code>?token=</code>，在启动收银台的窗口（<code>cashier serve</code>）中显示。每次启动地址都会变化。</p>
<p>如仍无法打开，请联系商户主管或系统维护人员。</p>
<hr>
<h2 lang="en">Open the console with the full address (with its token) printed at start-up.</h2>
<p lang="en">The address starts with <code>http://127.0.0.1:</code> and carries <code>?token=</code>; the window that started the console (<code>cashier serve</code>) shows it. It changes at every start.</p>
<p lang="en">If it still does not open, call your supervisor or the support engineer.</p>
</main>
</body>
</html>
`;
const NO_TOKEN_CSS = `body { margin: 0; font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif; color: #1d2733; background: #f4f6f8; line-height: 1.5; }
header { background: #c8102e; color: #fff; font-weight: bold; font-size: 1.2rem; padding: 0.6rem 1.25rem; }
header small { font-weight: normal; opacity: 0.9; margin-left: 0.5rem; }
main { max-width: 40rem; margin: 2rem auto; padding: 1.5rem 2rem; background: #fff; border: 1px solid #d5dbe2; border-radius: 8px; }
h1 { font-size: 1.3rem; margin: 0 0 0.75rem; }
h2 { font-size: 1.1rem; margin: 0 0 0.75rem; }
p { margin: 0 0 0.6rem; }
code { background: #f0f2f5; padding: 0 0.25rem; border-radius: 3px; overflow-wrap: anywhere; }
hr { border: none; border-top: 1px solid #d5dbe2; margin: 1.25rem 0; }
@media (max-width: 40rem) { main { margin: 1rem; padding: 1rem; } }
`;

interface WireRequest {
  id: number;
  method: unknown;
  args: unknown;
}

/** A WebSocket message as a call, or undefined if it is not a JSON object with a numeric id. */
function parseWireRequest(data: RawData, isBinary: boolean): WireRequest | undefined {
  if (isBinary) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { id, method, args } = value as Record<string, unknown>;
  return typeof id === 'number' ? { id, method, args } : undefined;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const core = Promise.resolve(options.core);
  // An opening that fails is the caller's to report (it stops the console); here it only
  // closes the sockets that were waiting for it.
  core.catch(() => undefined);
  const keys = options.keys ?? shellKeys(options.token ? { startToken: options.token } : {});
  const token = keys.startToken;
  const rendererDir = path.resolve(options.rendererDir);
  let port = 0;
  // Cookies are shared between ports of one host, so the name carries the port.
  const cookieName = () => `cashier_token_${port}`;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const baseHeaders = () => ({
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });

  function refuse(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  }

  /** The same answer as refuse(), written straight to a socket that has no ServerResponse (a
   *  request Node could not parse, a refused upgrade); the socket is closed once it is sent. */
  function refuseRaw(socket: Duplex, status: number, text: string): void {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const headers: Record<string, string | number> = {
      ...baseHeaders(),
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      Connection: 'close',
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${head.join('')}\r\n${text}`);
  }

  /** The request target as a URL, or undefined if it is not one (`GET http://[ HTTP/1.1`). */
  function parseTarget(target: string | undefined): URL | undefined {
    try {
      return new URL(target ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      return undefined;
    }
  }

  // Precompressed, ETag'd and cacheable renderer files (assets.ts), in memory before it listens.
  const assets = assetServer(rendererDir);
  await assets.preload();

  async function serveFile(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    urlPath: string,
  ): Promise<void> {
    let relative: string;
    try {
      relative = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).slice(1);
    } catch {
      // A broken percent-encoding (`/%E0%A4%A`) names no file.
      return refuse(res, 400, BAD_REQUEST);
    }
    const answer = await assets.answer(relative, {
      acceptEncoding: req.headers['accept-encoding'],
      ifNoneMatch: req.headers['if-none-match'],
    });
    if (!answer) return refuse(res, 404, 'Not found');
    res.writeHead(answer.status, { ...baseHeaders(), ...answer.headers });
    res.end(answer.body ?? undefined);
  }

  /** The response each socket is answering, so that a parse error after it cannot corrupt it. */
  const answering = new WeakMap<Duplex, http.ServerResponse>();

  function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.headers.host === undefined) return refuse(res, 400, BAD_REQUEST);
    if (!allowedHosts().includes(req.headers.host)) return refuse(res, 421, 'Wrong host');
    if (req.method !== 'GET') return refuse(res, 405, 'Method not allowed');
    const url = parseTarget(req.url);
    if (!url) return refuse(res, 400, BAD_REQUEST);
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      // A spent launch code in a tab that already holds the cookie (a reload) just goes on.
      const inAlready = sameSecret(readCookie(req.headers.cookie, cookieName()), keys.cookieValue);
      if (!keys.accepts(queryToken) && !inAlready) return refuse(res, 403, 'Wrong token');
      // Trade the token in the address bar for a cookie, and drop it from the URL.
      res.writeHead(303, {
        ...baseHeaders(),
        'Set-Cookie': `${cookieName()}=${keys.cookieValue}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      res.end();
      return;
    }
    if (url.pathname === NO_TOKEN_CSS_PATH) {
      res.writeHead(200, { ...baseHeaders(), 'Content-Type': CONTENT_TYPES['.css']! });
      res.end(NO_TOKEN_CSS);
      return;
    }
    if (!sameSecret(readCookie(req.headers.cookie, cookieName()), keys.cookieValue)) {
      // A browser gets a page; anything else (scripts, tests) the same words as plain text.
      if (!req.headers.accept?.includes('text/html')) return refuse(res, 401, NO_TOKEN_TEXT);
      res.writeHead(401, { ...baseHeaders(), 'Content-Type': CONTENT_TYPES['.html']! });
      res.end(NO_TOKEN_HTML);
      return;
    }
    serveFile(req, res, url.pathname).catch(() => {
      if (!res.headersSent) refuse(res, 500, INTERNAL_ERROR);
      else res.destroy();
    });
  }

  // Node answers a missing Host itself (a bare 400): here it gets the same answer as the rest.
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    answering.set(req.socket, res);
    res.once('close', () => {
      if (answering.get(req.socket) === res) answering.delete(req.socket);
    });
    try {
      handleRequest(req, res);
    } catch {
      // Not expected (the fuzzers count 500s): the console stays up and this request fails.
      if (!res.headersSent) refuse(res, 500, INTERNAL_ERROR);
      else res.destroy();
    }
  });

  // A request Node cannot parse (bad method, version or header line, headers too large, a
  // timeout): Node's own answer would lack the security headers.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const inFlight = answering.get(socket);
    if (err.code === 'ECONNRESET' || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 408
          : 400;
    refuseRaw(socket, status, BAD_REQUEST);
  });
  // Expect: anything but 100-continue (Node would answer 417 itself, without the headers).
  server.on('checkExpectation', (_req: http.IncomingMessage, res: http.ServerResponse) =>
    refuse(res, 417, 'Expectation failed'),
  );

  const sockets = new Set<WebSocket>();
  // ws (and the zlib it loads) is loaded for the first WebSocket, not before the first page.
  let webSockets: Promise<WebSocketServer> | undefined;
  const webSocketServer = () =>
    (webSockets ??= import('ws').then(({ WebSocketServer }) => {
      const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
      // ws refuses a bad handshake (key, version, method) with its own text/html answer.
      wss.on('wsClientError', (_err: Error, socket: Duplex, req: http.IncomingMessage) =>
        refuseRaw(socket, req.method === 'GET' ? 400 : 405, BAD_REQUEST),
      );
      wss.on('connection', connected);
      return wss;
    }));

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over with no 'error' listener: a client that resets it while it is
    // being answered would otherwise end the process. ws adds its own once it takes the socket.
    socket.on('error', () => socket.destroy());
    const url = parseTarget(req.url);
    if (!url) return refuseRaw(socket, 400, BAD_REQUEST);
    const originOk = allowedHosts().some((h) => req.headers.origin === `http://${h}`);
    const hostOk = allowedHosts().includes(req.headers.host ?? '');
    const tokenOk = sameSecret(readCookie(req.headers.cookie, cookieName()), keys.cookieValue);
    if (url.pathname !== '/api' || !originOk || !hostOk || !tokenOk) {
      return refuseRaw(socket, 403, 'Forbidden');
    }
    void webSocketServer().then((wss) =>
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws)),
    );
  });

  function connected(ws: WebSocket) {
    sockets.add(ws);
    // A frame ws cannot accept (too large, bad opcode, RSV bits, unmasked, invalid UTF-8, a long
    // control frame...) makes ws close this socket with the matching code (1002, 1007, 1009) and
    // then emit 'error'; socket errors (a reset) end up here too. Nothing more to do.
    ws.on('error', () => undefined);
    // Calls that come while the console is still opening wait for it, in their order.
    const early: Array<[RawData, boolean]> = [];
    const hold = (data: RawData, isBinary: boolean) => early.push([data, isBinary]);
    ws.on('message', hold);
    ws.on('close', () => sockets.delete(ws));
    core.then(
      (opened) => {
        ws.off('message', hold);
        if (ws.readyState !== ws.OPEN) return;
        const answer = serveSession(ws, opened);
        for (const [data, isBinary] of early) answer(data, isBinary);
      },
      () => ws.close(1011, 'console not started'),
    );
  }

  /** This socket's session on the opened console; returns what answers one of its frames. */
  function serveSession(ws: WebSocket, opened: CashierCore) {
    const session = opened.createSession();
    // This tab gets what the core gives its session: nothing before login, its own inquiries.
    const unsubscribe = opened.subscribe(session, (event, payload) => {
      const message: WireEvent = { event, payload };
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    });
    ws.on('close', () => {
      unsubscribe();
      opened.endSession(session);
    });
    const answer = (data: RawData, isBinary: boolean) => {
      const request = parseWireRequest(data, isBinary);
      if (!request) {
        ws.close(1003, 'malformed message');
        return;
      }
      const { id } = request;
      opened
        .call(session, request.method, request.args)
        .then((outcome) => {
          const response: WireResponse = outcome.ok
            ? { id, ok: true, result: outcome.result }
            : { id, ok: false, error: outcome.error };
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
        })
        .catch(() => {
          // Not expected (the fuzzers count 1011s): this socket fails, the console stays up.
          if (ws.readyState === ws.OPEN) ws.close(1011, 'internal error');
        });
    };
    ws.on('message', answer);
    return answer;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Once listening, an error here is one connection that could not be accepted (out of memory
  // or buffers): that connection is lost, the server goes on listening. Before, the `once`
  // above swallowed the first such error and the second ended the process.
  server.on('error', () => undefined);
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    launchUrl: (onSpent) => `http://127.0.0.1:${port}/?token=${keys.launchCode(onSpent)}`,
    port,
    token,
    async close() {
      for (const ws of sockets) ws.terminate();
      if (webSockets) (await webSockets).close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
