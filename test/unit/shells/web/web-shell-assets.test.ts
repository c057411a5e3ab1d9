// The browser shell's renderer files: the build's brotli and gzip copies
// (build/scripts/compress-renderer.mjs) sent to a browser that accepts them, byte-identical to
// the file once decompressed; ETags with 304 on revalidation; hashed assets immutable,
// index.html revalidated; the security headers on every answer, the token still required.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CashierCore } from '../../../../src-main/core/cashier-core';
import { startWebShell, type WebShell } from '../../../../src-main/shells/web/web-shell';

let core: CashierCore;
let shell: WebShell;
let cookie: string;
let rendererDir: string;
const SCRIPT = 'assets/index-Ab12Cd34.js';
const script = `// renderer\n${'export const words = "收银台 Cashier Console";\n'.repeat(400)}`;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-web-assets-'));
  rendererDir = path.join(dataDir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    path.join(rendererDir, 'index.html'),
    `<!doctype html><html><head><script type="module" src="./${SCRIPT}"></script></head><body>${'<div></div>'.repeat(50)}</body></html>`,
  );
  writeFileSync(path.join(rendererDir, SCRIPT), script);
  execFileSync(process.execPath, ['build/scripts/compress-renderer.mjs', rendererDir]);
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  shell = await startWebShell({ core, rendererDir });
  const res = await fetch(shell.url, { redirect: 'manual' });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  await shell.close();
  await core.close();
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** node:http, so the body arrives exactly as sent (fetch would decompress it). */
function get(pathname: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: shell.port, path: pathname, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}

function expectSecurityHeaders(res: Raw): void {
  expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
}

describe('renderer files from the browser shell', () => {
  it('sends the brotli copy, byte-identical once decompressed, immutable', async () => {
    const res = await get(`/${SCRIPT}`, { Cookie: cookie, 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(res.body.length).toBeLessThan(script.length / 4);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(
      brotliDecompressSync(res.body).equals(readFileSync(path.join(rendererDir, SCRIPT))),
    ).toBe(true);
    expectSecurityHeaders(res);
  });

  it('sends gzip to a browser without brotli, and the file itself to one without either', async () => {
    const gz = await get(`/${SCRIPT}`, { Cookie: cookie, 'Accept-Encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString('utf8')).toBe(script);
    const plain = await get(`/${SCRIPT}`, { Cookie: cookie });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
    // Each representation has its own ETag.
    expect(new Set([gz.headers.etag, plain.headers.etag]).size).toBe(2);
  });

  it('answers 304 to a revalidation with the ETag; index.html is revalidated, not cached', async () => {
    const first = await get('/', { Cookie: cookie, 'Accept-Encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/', {
      Cookie: cookie,
      'Accept-Encoding': 'br',
      'If-None-Match': etag,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expectSecurityHeaders(again);
    // A new build changes index.html: a new ETag and a 200.
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><p>new build</p>');
    const rebuilt = await get('/', { Cookie: cookie, 'If-None-Match': etag });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.toString()).toBe('<!doctype html><p>new build</p>');
  });

  it('still wants the token cookie, and serves no compressed copy by its own name', async () => {
    const noCookie = await get(`/${SCRIPT}`, { 'Accept-Encoding': 'br' });
    expect(noCookie.status).toBe(401);
    expect(noCookie.headers['cache-control']).toBe('no-store');
    const byName = await get(`/${SCRIPT}.br`, { Cookie: cookie });
    expect(byName.status).toBe(404);
    const outside = await get('/..%2Fsecret.txt', { Cookie: cookie });
    expect(outside.status).toBe(404);
  });
});
