// `cashier serve` prints its address as soon as the page can be served, and opens the console
// meanwhile (src-main/cli/commands/serve.ts, serve-console.ts): the address says the console is
// starting, "is running" follows once it is open, and a console that cannot open says why,
// closes its address and stops, without a stack trace.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.cjs');
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;
const ADDRESS = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=[\w-]+/;

let dataDir = '';
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

interface Served {
  output: () => string;
  address: Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function serve(): Served {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const address = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = ADDRESS.exec(out);
      if (match) resolve(match[0]);
    });
    void exited.then(() => reject(new Error(`exited before an address:\n${out}`)));
  });
  return {
    output: () => out,
    address,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The token traded for the cookie, as a browser does; resolves with the cookie. */
function cookieFor(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        res.resume();
        const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
        if (res.statusCode === 303 && cookie) resolve(cookie);
        else reject(new Error(`token answered ${res.statusCode}`));
      })
      .on('error', reject);
  });
}

describe('cashier serve', () => {
  it('prints the address while the console opens; a call made at once is answered once it is open', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-serve-start-'));
    const served = serve();
    try {
      const url = await served.address;
      const printedFirst = served.output();
      expect(printedFirst).toContain('收银台正在启动 / Cashier Console is starting');
      expect(printedFirst).toContain(`请在浏览器中打开 / Open in a browser: ${url}`);
      const origin = new URL(url).origin;
      const cookie = await cookieFor(url);
      const answer = await new Promise<{ ok: boolean; value?: { mode?: string } }>(
        (resolve, reject) => {
          const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, {
            headers: { Origin: origin, Cookie: cookie },
          });
          ws.once('error', reject);
          ws.once('open', () =>
            ws.send(JSON.stringify({ id: 1, method: 'getAppState', args: {} })),
          );
          ws.on('message', (data) => {
            const message = JSON.parse(String(data)) as { id?: number; ok: boolean };
            if (message.id !== 1) return;
            ws.close();
            resolve(message);
          });
        },
      );
      expect(answer.ok).toBe(true);
      await expect.poll(served.output).toContain('Cashier Console is running (training mode)');
      const out = served.output();
      expect(out.indexOf('is starting')).toBeLessThan(out.indexOf('is running'));
    } finally {
      await served.stop();
    }
  });

  it('stops with the problems of a config that is not valid, and its address no longer answers', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-serve-start-'));
    writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ mode: 'practice' }));
    const served = serve();
    const url = await served.address;
    expect(await served.exited).toBe(2);
    const out = served.output();
    expect(out).toContain('配置文件有误，未作任何修改');
    expect(out).toContain('The configuration file is not valid and was left unchanged');
    expect(out).toContain('mode:');
    expect(out).not.toContain('is running');
    expect(out).not.toMatch(STACK_LINE);
    await expect(cookieFor(url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
