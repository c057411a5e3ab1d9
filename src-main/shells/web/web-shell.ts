// Browser shell: serves the built renderer and carries the API over a WebSocket.
// Bound to 127.0.0.1 only. A per-launch token (opened once via ?token=..., then kept in an
// HttpOnly SameSite=Strict cookie) is required on every request and on the WebSocket upgrade;
// the Host header and the WebSocket Origin must name this very server (no DNS rebinding,
// no other page in the browser can drive the console).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { apiEventNames, type WireEvent, type WireResponse } from '../../contract';
import { dispatchApiCall } from '../../core/api-dispatch';
import type { CashierCore } from '../../core/cashier-core';

export interface WebShellOptions {
  core: CashierCore;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface WebShell {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

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

function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const { core } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
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

  async function serveFile(res: http.ServerResponse, urlPath: string): Promise<void> {
    const relative = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).slice(1);
    const file = path.resolve(rendererDir, relative);
    if (!file.startsWith(rendererDir + path.sep)) return refuse(res, 404, 'Not found');
    try {
      const body = await fs.readFile(file);
      const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { ...baseHeaders(), 'Content-Type': type });
      res.end(body);
    } catch {
      refuse(res, 404, 'Not found');
    }
  }

  const server = http.createServer((req, res) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(res, 421, 'Wrong host');
    if (req.method !== 'GET') return refuse(res, 405, 'Method not allowed');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      if (!sameSecret(queryToken, token)) return refuse(res, 403, 'Wrong token');
      // Trade the token in the address bar for a cookie, and drop it from the URL.
      res.writeHead(303, {
        ...baseHeaders(),
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      return res.end();
    }
    if (!sameSecret(readCookie(req.headers.cookie, cookieName()), token)) {
      return refuse(
        res,
        401,
        '请使用启动时显示的完整地址（含 token）打开收银台。\n' +
          'Open the console with the full address (with its token) printed at start-up.\n',
      );
    }
    void serveFile(res, url.pathname);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const originOk = allowedHosts().some((h) => req.headers.origin === `http://${h}`);
    const hostOk = allowedHosts().includes(req.headers.host ?? '');
    const tokenOk = sameSecret(readCookie(req.headers.cookie, cookieName()), token);
    if (url.pathname !== '/api' || !originOk || !hostOk || !tokenOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    const session = core.createSession();
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      let request: { id?: unknown; method?: unknown; args?: unknown };
      try {
        if (isBinary) throw new Error('binary');
        request = JSON.parse(data.toString()) as typeof request;
      } catch {
        ws.close(1003, 'malformed message');
        return;
      }
      if (typeof request.id !== 'number') {
        ws.close(1003, 'malformed message');
        return;
      }
      const id = request.id;
      void dispatchApiCall(core, session, request.method, request.args).then((outcome) => {
        const response: WireResponse = outcome.ok
          ? { id, ok: true, result: outcome.result }
          : { id, ok: false, error: outcome.error };
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
      });
    });
  });

  const unsubscribes = apiEventNames.map((event) =>
    core.on(event, (payload) => {
      const message: WireEvent = { event, payload };
      const text = JSON.stringify(message);
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const off of unsubscribes) off();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
