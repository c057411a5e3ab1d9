// Deterministic fuzzers for the browser shell (src-main/shells/web/web-shell.ts), run against the
// built `cashier serve` in a child process, so that a crash is seen as that process exiting:
//  - HTTP: mutated methods, request targets, versions, header lines, percent-encodings, huge
//    lines, bytes outside ASCII, line endings, pipelining, byte-level mutations;
//  - WebSocket: after a real handshake, mutations of valid frames (opcode, RSV bits, mask bit,
//    7/16/64-bit lengths that lie, truncation, payload bytes, invalid UTF-8), control frames
//    interleaved with fragments, bursts, writes split at random points, resets.
// Every case comes from a seeded PRNG (seed, stream, index), so a run can be replayed. After each
// batch the process must still be running and answer a valid call (GET / and getAppState over a
// fresh WebSocket). Besides crashes, it reports findings: an HTTP answer without the security
// headers, a 5xx, a WebSocket closed with 1011, a valid handshake refused.
// Used by test/unit/shells/web/web-shell-fuzz.test.ts (a few thousand cases in `npm test`) and
// by `npm run fuzz` (build/scripts/run-fuzz.mjs: the full run).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import {
  closePayload,
  decodeFrame,
  encodeFrame,
  Opcode,
  parseHttpResponse,
  RawConnection,
  upgradeRequest,
  type FrameSpec,
} from './wire';

// test/fuzz/ from the source, dist/fuzz/ when bundled for `npm run fuzz`: both two levels down.
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** The console to fuzz: the built CLI, or another build named by CASHIER_FUZZ_CLI. */
const cli = () => process.env.CASHIER_FUZZ_CLI ?? path.join(repoRoot, 'dist', 'main', 'cli.cjs');

// ---------------------------------------------------------------- deterministic randomness

/** mulberry32: small, fast, and the same sequence on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** 0 <= n < max */
  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  bytes(n: number, min = 0, max = 255): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.range(min, max);
    return out;
  }
}

/** The PRNG of one case: seed, stream and index mixed, so any case can be made on its own. */
export function caseRandom(seed: number, stream: number, index: number): Random {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) ^ index;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return new Random(h ^ (h >>> 16));
}

// ---------------------------------------------------------------- the console under test

export interface Target {
  port: number;
  token: string;
  /** `cashier_token_<port>=<token>` */
  cookie: string;
}

/** `cashier serve` on a fresh data folder, as the end-to-end tests run it. */
export class ConsoleProcess implements Target {
  port = 0;
  token = '';
  cookie = '';
  private output = '';
  private exit: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => this.append(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.append(chunk));
    child.once('exit', (code, signal) => (this.exit = `exit code ${code}, signal ${signal}`));
  }

  private append(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-20_000);
  }

  static async start(cliPath: string): Promise<ConsoleProcess> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-fuzz-'));
    const child = spawn(process.execPath, [cliPath, 'serve', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CASHIER_DATA_DIR: dataDir },
    });
    const server = new ConsoleProcess(child, dataDir);
    const deadline = Date.now() + 30_000;
    let match: RegExpExecArray | null = null;
    while (!(match = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+)/.exec(server.output))) {
      if (server.exit || Date.now() > deadline) {
        await server.stop();
        throw new Error(`cashier serve did not start (${server.exit}):\n${server.output}`);
      }
      await sleep(25);
    }
    server.port = Number(match[1]);
    server.token = match[2]!;
    const res = await fetch(match[0], { redirect: 'manual' });
    server.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return server;
  }

  /** Why it ended, or undefined while it runs. */
  get exited(): string | undefined {
    return this.exit;
  }

  tail(chars = 3000): string {
    return this.output.slice(-chars);
  }

  async stop(): Promise<void> {
    if (this.exit === undefined) {
      const gone = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A private copy of the built console (cli.cjs, its bundles and the renderer) under dist/fuzz/, where its
 *  packages still resolve: a build during the run (vite empties dist/renderer) cannot change
 *  what is fuzzed, nor turn GET / into a 404. */
export async function snapshotConsole(): Promise<{ cli: string; remove(): void }> {
  const source = cli();
  const sourceRoot = path.resolve(path.dirname(source), '..', '..');
  const renderer = path.join(sourceRoot, 'dist', 'renderer');
  for (let tries = 0; !existsSync(path.join(renderer, 'index.html')); tries++) {
    if (tries === 20 || !existsSync(source)) {
      throw new Error(`${source} or its renderer missing: run \`npm run build\` first`);
    }
    await sleep(500); // a build under way
  }
  mkdirSync(path.join(repoRoot, 'dist', 'fuzz'), { recursive: true });
  const root = mkdtempSync(path.join(repoRoot, 'dist', 'fuzz', 'console-'));
  const copy = path.join(root, 'dist', 'main', 'cli.cjs');
  mkdirSync(path.dirname(copy), { recursive: true });
  copyFileSync(source, copy);
  // cli.cjs runs the command bundles beside it, with their code caches when there are some.
  for (const file of [
    'cli-serve.cjs',
    'cli-serve.cjs.cache',
    'cli-bundle.cjs',
    'cli-bundle.cjs.cache',
  ]) {
    const beside = path.join(path.dirname(source), file);
    if (existsSync(beside)) copyFileSync(beside, path.join(path.dirname(copy), file));
  }
  cpSync(renderer, path.join(root, 'dist', 'renderer'), { recursive: true, dereference: true });
  return { cli: copy, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A valid call: the page and getAppState over a fresh WebSocket, as the renderer makes them. */
export async function validCall(target: Target, timeoutMs = 15_000): Promise<string | undefined> {
  const origin = `http://127.0.0.1:${target.port}`;
  try {
    const page = await fetch(`${origin}/`, {
      headers: { Cookie: target.cookie },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await page.arrayBuffer();
    if (page.status !== 200) return `GET / answered ${page.status}`;
  } catch (err) {
    return `GET / failed: ${String(err)}`;
  }
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/api`, {
      headers: { Origin: origin, Cookie: target.cookie },
    });
    const done = (problem: string | undefined) => {
      clearTimeout(timer);
      ws.terminate();
      resolve(problem);
    };
    const timer = setTimeout(() => done('getAppState: no answer'), timeoutMs);
    ws.on('error', (err) => done(`WebSocket: ${err.message}`));
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'getAppState', args: {} })));
    ws.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as { id?: number; ok?: boolean };
      if (reply.id === 1) done(reply.ok === true ? undefined : `getAppState: ${data.toString()}`);
    });
  });
}

// ---------------------------------------------------------------- cases

export interface FuzzCase {
  /** Written one after another, a turn of the event loop apart. */
  chunks: Buffer[];
  /** WebSocket cases: wait for the 101 after the first chunk (the handshake). */
  awaitHandshake: boolean;
  /** end: half-close at once (Node then drops an answer still being made); answer: wait a
   *  little for the answer, then half-close; reset: TCP RST; linger: wait, then close. */
  ending: 'end' | 'answer' | 'reset' | 'linger';
  /** HTTP: request lines written (pipelined requests count). */
  requests: number;
  /** WebSocket: frames written, and how many of them were mutated or hostile. */
  frames: number;
  mutated: number;
  /** WebSocket: a close frame was (or may have been) sent, whose code the server echoes. */
  mayClose: boolean;
}

const CRLF = '\r\n';

/** Splits bytes into 1..n chunks at random points. */
function split(r: Random, bytes: Buffer, most: number): Buffer[] {
  const cuts = new Set<number>();
  const n = r.int(most);
  for (let i = 0; i < n && bytes.length > 1; i++) cuts.add(1 + r.int(bytes.length - 1));
  const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

/** Byte-level damage: flips, overwrites, insertions, deletions, duplications, truncation. */
function damage(r: Random, input: Buffer, ops: number): Buffer {
  let bytes = Buffer.from(input);
  for (let i = 0; i < ops && bytes.length > 0; i++) {
    const at = r.int(bytes.length);
    switch (r.int(7)) {
      case 0:
        bytes[at] = bytes[at]! ^ (1 << r.int(8));
        break;
      case 1:
        bytes[at] = r.pick([0, 0x0a, 0x0d, 0x20, 0x25, 0x3a, 0x7f, 0x80, 0xc0, 0xff, r.int(256)]);
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), r.bytes(r.range(1, 8)), bytes.subarray(at)]);
        break;
      case 3:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + r.range(1, 16))]);
        break;
      case 4: {
        const piece = bytes.subarray(at, at + r.range(1, 32));
        bytes = Buffer.concat([bytes.subarray(0, at), piece, piece, bytes.subarray(at)]);
        break;
      }
      case 5:
        bytes = bytes.subarray(0, at);
        break;
      default:
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(CRLF), bytes.subarray(at)]);
    }
  }
  return bytes;
}

// prettier-ignore
const METHODS = [
  'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE',
  'CONNECT', 'PRI', 'get', 'Get', 'GET ', ' GET', 'G ET', 'GE', 'GETT', 'GET\t', 'M-SEARCH',
  'PROPFIND', 'SOURCE', 'ÄGET', '', '\x00GET', 'GET\x00',
];
// prettier-ignore
const VERSIONS = [
  'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0', 'HTTP/2',
  'HTTP/3.0', 'HTTP/9.9', 'HTTP/1.12', 'HTTP/1.', 'HTTP/', 'HTTP', 'http/1.1', 'HTTPS/1.1',
  'HTTP/1.1 ', ' HTTP/1.1', 'HTTP/1.1 x', '', 'HTTP/\xff.1', 'HTTP/01.1',
];

/** A request target: from the list of known troublemakers, or put together at random. */
function target(r: Random, t: Target): string {
  // prettier-ignore
  const fixed = [
    '/', '/', '/', '/index.html', '/api', '/assets/', '/favicon.ico', `/?token=${t.token}`,
    `/index.html?token=${t.token}`, `/?token=${t.token}&token=x`, '/?token=wrong', '/?token=',
    '/?token', '/?token=%ZZ', '/%E0%A4%A', '/%', '/%%', '/%zz', '/%0', '/%00', '/%C0%AF',
    '/%ED%A0%80', '/%F4%90%80%80', '/%FF', '/%0d%0aSet-Cookie:%20x=y', '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2f..%2fetc%2fpasswd', '/../../../etc/passwd', '/..\\..\\secret', '/.%2e/', '//',
    '//evil.example/', '///etc/passwd', '/\\evil.example', 'http://[', 'http://[::1',
    'http://[::1]:80/', 'http://[zz]/', `http://127.0.0.1:${t.port}/`,
    `http://127.0.0.1:${t.port}/?token=${t.token}`, 'http://evil.example/', 'https://x/',
    'ws://127.0.0.1/api', 'file:///etc/passwd', 'javascript:alert(1)', 'http:', 'http://',
    'http://a:b@c/', 'http://%zz/', 'http://xn--/', '*', '', ' ', '?', '#', '/#x', '/?#',
    '/index.html?x=%', '/é', '/收银台', '/\u2028', '/a b', '/a\tb', '/\x7f', '/\x01', '\x00/',
  ];
  const kind = r.int(10);
  if (kind < 5) return r.pick(fixed);
  if (kind < 8) {
    // Percent-encodings: valid, invalid, truncated, overlong, surrogates, out of range.
    let out = r.chance(0.8) ? '/' : '';
    for (let i = r.range(1, 12); i > 0; i--) {
      switch (r.int(8)) {
        case 0:
          out += `%${r.int(256).toString(16).padStart(2, '0').toUpperCase()}`;
          break;
        case 1:
          out += `%${r.pick(['', 'G', 'Z', '%'])}${r.int(16).toString(16)}`;
          break;
        case 2:
          out += r.pick(['%C0%80', '%E0%80%AF', '%ED%B0%80', '%F8%88%80%80%80', '%E2%82', '%C3']);
          break;
        case 3:
          out += encodeURIComponent(
            String.fromCodePoint(r.int(0x10000)).replace(/[\ud800-\udfff]/, 'x'),
          );
          break;
        case 4:
          out += r.pick(['/', '..', '.', '/..', '?', '&', '=', '#', 'token=', '\\', ';']);
          break;
        default:
          out += Buffer.from(r.bytes(r.range(1, 6), 0x61, 0x7a)).toString('latin1');
      }
    }
    return out;
  }
  if (kind < 9) return '/' + r.bytes(r.range(1, 12), 0x80, 0xff).toString('latin1');
  return '/' + r.bytes(r.range(1, 8), 0, 0x3f).toString('latin1');
}

function headerLines(r: Random, t: Target): string[] {
  const host = `127.0.0.1:${t.port}`;
  const lines: string[] = [];
  const hostKind = r.int(20);
  if (hostKind < 14) lines.push(`Host: ${host}`);
  else if (hostKind === 14) lines.push(`Host: localhost:${t.port}`);
  else if (hostKind === 15) lines.push(`Host: evil.example:${t.port}`);
  else if (hostKind === 16) lines.push(`Host: ${host}`, `Host: evil.example`);
  else if (hostKind === 17) lines.push(r.pick(['Host:', 'Host: ', `Host:  ${host} `, 'Host: [']));
  else if (hostKind === 18) lines.push(`hOsT: ${host}`);
  const cookieKind = r.int(10);
  if (cookieKind < 6) lines.push(`Cookie: ${t.cookie}`);
  else if (cookieKind === 6) lines.push(`Cookie: ${t.cookie.replace(/.$/, '?')}`);
  else if (cookieKind === 7) lines.push(`Cookie: a=1; ${t.cookie}; ${t.cookie}=x`, 'Cookie: b');
  else if (cookieKind === 8) lines.push(`Cookie: ${'=;'.repeat(r.range(1, 500))}`);
  if (r.chance(0.25)) {
    lines.push(
      r.pick(['Connection: Upgrade', 'Connection: keep-alive, Upgrade', 'Connection: close']),
    );
    lines.push(r.pick(['Upgrade: websocket', 'Upgrade: WebSocket', 'Upgrade: h2c', 'Upgrade: ']));
    lines.push(`Sec-WebSocket-Version: ${r.pick(['13', '13', '8', '99', '', 'x'])}`);
    const key = r.pick(['dGhlIHNhbXBsZSBub25jZQ==', 'AAAAAAAAAAAAAAAAAAAAAA==', 'short', '']);
    if (r.chance(0.9)) lines.push(`Sec-WebSocket-Key: ${key}`);
    const origin = r.pick([`http://${host}`, `http://${host}`, 'http://evil.example', 'null', '']);
    if (r.chance(0.9)) lines.push(`Origin: ${origin}`);
    if (r.chance(0.2)) lines.push(`Sec-WebSocket-Protocol: ${r.pick(['a, b', 'a,,', ' ', 'x y'])}`);
    if (r.chance(0.2))
      lines.push('Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits');
  }
  const extras = [
    () =>
      `Content-Length: ${r.pick(['0', '5', '-1', '1e3', '99999999999999999999', ' 5', '0x10', ''])}`,
    () => 'Content-Length: 3\r\nContent-Length: 4',
    () => `Transfer-Encoding: ${r.pick(['chunked', 'gzip, chunked', 'chunked, gzip', 'x', ''])}`,
    () => `Expect: ${r.pick(['100-continue', 'tea', '', '100-continue, x'])}`,
    () => 'no colon',
    () => 'Space-Before : colon',
    () => ' folded continuation',
    () => `X-Obs: a${CRLF} b`,
    () => `Bad\x01Name: x`,
    () => `X-High: ${r.bytes(r.range(1, 20), 0x80, 0xff).toString('latin1')}`,
    () => 'X-Nul: a\x00b',
    () => `X-Long: ${'a'.repeat(r.pick([1000, 8000, 17_000, 70_000]))}`,
    () => Array.from({ length: r.range(10, 300) }, (_, i) => `X-Many-${i}: ${i}`).join(CRLF),
    () => `X-Forwarded-Host: evil.example`,
    () => `Origin: ${r.pick(['http://evil.example', 'null', `http://127.0.0.1:${t.port}`])}`,
    () => ':',
    () => `: empty-name`,
    () => r.bytes(r.range(1, 40)).toString('latin1'),
  ];
  for (let i = r.int(4); i > 0; i--) lines.push(r.pick(extras)());
  return lines;
}

/** A valid request (the page, with or without the cookie), then one to three mutations: most
 *  often of the target, which is what the shell itself parses. */
function requestBytes(r: Random, t: Target): Buffer {
  let method = 'GET';
  let path = r.pick(['/', '/', '/index.html', `/?token=${t.token}`, '/api', '/missing.js']);
  let version = r.chance(0.9) ? 'HTTP/1.1' : 'HTTP/1.0';
  let headers = [`Host: 127.0.0.1:${t.port}`, ...(r.chance(0.7) ? [`Cookie: ${t.cookie}`] : [])];
  let eol = CRLF;
  let space = ' ';
  let body = '';
  for (let n = r.range(1, 3); n > 0; n--) {
    switch (r.int(12)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
        path = target(r, t);
        break;
      case 5:
        method = r.chance(0.1) ? 'G'.repeat(r.pick([100, 10_000, 80_000])) : r.pick(METHODS);
        break;
      case 6:
        version = r.chance(0.1) ? `HTTP/1.1${'1'.repeat(5000)}` : r.pick(VERSIONS);
        break;
      case 7:
      case 8:
        headers = headerLines(r, t);
        break;
      case 9:
        eol = r.pick(['\n', '\r', '\r\r\n', '\n\r', '\r\n\r\n']);
        space = r.pick([' ', '  ', '\t', '', '\x0b']);
        break;
      case 10:
        path = `/${'a'.repeat(r.pick([2000, 9000, 20_000, 100_000]))}`;
        break;
      default:
        body = r.bytes(r.range(1, 64)).toString('latin1');
    }
  }
  const text = [`${method}${space}${path}${space}${version}`, ...headers].join(eol) + eol + eol;
  let bytes: Buffer = Buffer.from(text + body, r.chance(0.95) ? 'latin1' : 'utf8');
  if (r.chance(0.15)) bytes = damage(r, bytes, r.range(1, 4));
  return bytes;
}

export function httpCase(seed: number, index: number, t: Target): FuzzCase {
  const r = caseRandom(seed, 1, index);
  const requests = r.chance(0.1) ? r.range(2, 4) : 1;
  const bytes = Buffer.concat(Array.from({ length: requests }, () => requestBytes(r, t)));
  return {
    chunks: r.chance(0.2) ? split(r, bytes, 6) : [bytes],
    awaitHandshake: false,
    ending: r.chance(0.9)
      ? r.pick(['end', 'answer'] as const)
      : r.pick(['reset', 'linger'] as const),
    requests,
    frames: 0,
    mutated: 0,
    mayClose: false,
  };
}

// prettier-ignore
const INVALID_UTF8 = [
  [0xff], [0xc0, 0x80], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xe0, 0x80, 0xaf], [0xfe, 0xfe, 0xff, 0xff],
];

function messageText(r: Random): string {
  const id = r.int(1_000_000);
  switch (r.int(16)) {
    case 0:
    case 1:
    case 2:
      return JSON.stringify({ id, method: 'getAppState', args: {} });
    case 3:
      return JSON.stringify({ id, method: 'dropDatabase', args: {} });
    case 4:
      return JSON.stringify({ id, method: r.pick(['constructor', '__proto__', 'toString', '']) });
    case 5:
      return JSON.stringify({
        id,
        method: 'getAppState',
        args: { x: [1, { y: null }], s: '收银' },
      });
    case 6:
      return r.pick([
        'null',
        'true',
        'false',
        '[]',
        '42',
        '"x"',
        '{}',
        '{"id":null}',
        '{"id":"1"}',
      ]);
    case 7:
      return r.pick([`{"id":${id}}`, '{"id":1e999,"method":"getAppState","args":{}}', '{"id":-0}']);
    case 8:
      return '{"__proto__":{"id":1},"method":"getAppState","args":{}}';
    case 9:
      return `{"id":${id},"method":"getAppState","args":{"s":"\\ud800\\udfff\\u0000"}}`;
    case 10:
      return '['.repeat(r.range(1, 30_000));
    case 11:
      return `{"id":${id},"method":"getAppState","args":{"pad":"${'a'.repeat(r.pick([100, 65_400, 65_600]))}"}}`;
    case 12:
      return JSON.stringify({ id, method: 'login', args: { operatorNo: 1001 } });
    default:
      return JSON.stringify({ id, method: 'getAppState', args: {} }).slice(0, r.range(1, 30));
  }
}

function validFrame(r: Random): FrameSpec {
  return { opcode: Opcode.text, payload: messageText(r), maskKey: r.bytes(4) };
}

function controlFrame(r: Random): FrameSpec {
  const opcode = r.pick([Opcode.ping, Opcode.pong, Opcode.close]);
  if (opcode !== Opcode.close) return { opcode, payload: r.bytes(r.int(126)), maskKey: r.bytes(4) };
  const code = r.pick([1000, 1001, 1002, 1003, 1007, 1011, 3000, 4999, 0, 999, 1004, 1005, 1006]);
  const reason = r.chance(0.8) ? 'bye' : Buffer.from(r.pick(INVALID_UTF8));
  return { opcode, payload: r.chance(0.1) ? Buffer.alloc(r.int(2)) : closePayload(code, reason) };
}

/** One to three frame-level mutations of a frame. */
function mutate(r: Random, spec: FrameSpec): FrameSpec {
  const out: FrameSpec = { ...spec };
  let payload: Buffer = Buffer.from(out.payload ?? []);
  for (let n = r.range(1, 3); n > 0; n--) {
    switch (r.int(10)) {
      case 0:
        out.opcode = r.int(16);
        break;
      case 1:
        out.rsv = r.range(1, 7);
        break;
      case 2:
        out.masked = false;
        break;
      case 3:
        out.fin = !(out.fin ?? true);
        break;
      case 4: {
        // prettier-ignore
        const lengths = [
          payload.length - 1, payload.length + 1, 0, 1, 125, 126, 127, 65_535, 65_536, 65_537,
          2 ** 32, 2 ** 53, 2n ** 63n, 2n ** 64n - 1n, r.int(2 ** 31),
        ];
        out.declaredLength = r.pick(lengths);
        if (r.chance(0.5)) out.lengthForm = r.pick([7, 16, 64] as const);
        break;
      }
      case 5:
        out.lengthForm = r.pick([16, 64] as const);
        break;
      case 6: {
        const bad = Buffer.from(r.pick(INVALID_UTF8));
        const at = r.int(payload.length + 1);
        payload = Buffer.concat([payload.subarray(0, at), bad, payload.subarray(at)]);
        break;
      }
      case 7:
        payload = damage(r, payload, r.range(1, 4));
        break;
      case 8:
        payload = r.bytes(r.pick([0, 1, 2, 125, 126, 200, 1000]));
        break;
      default:
        out.maskKey = r.bytes(4);
    }
  }
  out.payload = payload;
  return out;
}

export function wsCase(seed: number, index: number, t: Target): FuzzCase {
  const r = caseRandom(seed, 2, index);
  const frames: Buffer[] = [];
  let mutated = 0;
  let mayClose = false;
  const push = (spec: FrameSpec, hostile: boolean) => {
    let bytes = encodeFrame(spec);
    if (spec.opcode === Opcode.close) mayClose = true;
    if (hostile && r.chance(0.08)) {
      bytes = damage(r, bytes, r.range(1, 3));
      mayClose = true;
    }
    frames.push(bytes);
    if (hostile) mutated++;
  };
  switch (r.int(6)) {
    case 0:
    case 1:
      push(mutate(r, validFrame(r)), true);
      break;
    case 2:
      // A valid call, then mutated frames.
      push(validFrame(r), false);
      for (let i = r.range(1, 3); i > 0; i--) push(mutate(r, validFrame(r)), true);
      break;
    case 3: {
      // Fragmentation with control frames between the fragments; one piece mutated.
      const text = Buffer.from(messageText(r));
      const pieces = split(r, text, 5);
      const specs: FrameSpec[] = pieces.map((payload, i) => ({
        opcode: i === 0 ? Opcode.text : Opcode.continuation,
        fin: i === pieces.length - 1,
        payload,
        maskKey: r.bytes(4),
      }));
      const victim = r.int(specs.length + 1);
      specs.forEach((spec, i) => {
        if (r.chance(0.4)) push(controlFrame(r), false);
        if (i === victim) push(mutate(r, spec), true);
        else push(spec, false);
      });
      if (victim === specs.length) push(mutate(r, controlFrame(r)), true);
      break;
    }
    case 4:
      // Control frames, mutated or hostile as they are (long, bad close codes, bad reasons).
      for (let i = r.range(1, 3); i > 0; i--) {
        push(r.chance(0.5) ? mutate(r, controlFrame(r)) : controlFrame(r), true);
      }
      break;
    default:
      // A burst of mutated frames in one write.
      for (let i = r.range(2, 6); i > 0; i--) push(mutate(r, validFrame(r)), true);
  }
  let stream = Buffer.concat(frames);
  if (r.chance(0.1)) stream = stream.subarray(0, r.int(stream.length + 1));
  const handshake = Buffer.from(upgradeRequest(t));
  const awaitHandshake = r.chance(0.5);
  const chunks = r.chance(0.25) ? split(r, stream, 8) : [stream];
  return {
    chunks: awaitHandshake ? [handshake, ...chunks] : [Buffer.concat([handshake, ...chunks])],
    awaitHandshake,
    ending: r.chance(0.85) ? 'end' : r.pick(['reset', 'linger'] as const),
    requests: 0,
    frames: frames.length,
    mutated,
    mayClose,
  };
}

// ---------------------------------------------------------------- running

export interface StreamStats {
  cases: number;
  requests: number;
  frames: number;
  mutatedFrames: number;
  bytes: number;
  batches: number;
  /** HTTP status (or WebSocket close code) -> count. */
  outcomes: Record<string, number>;
  crashes: number;
  unanswered: number;
  findings: number;
  ms: number;
}

export interface FuzzReport {
  seed: number;
  http: StreamStats;
  ws: StreamStats;
  validCalls: number;
  /** First few crash logs, unanswered calls and findings, for the reader. */
  problems: string[];
}

export interface FuzzOptions {
  seed: number;
  /** At least this many mutated WebSocket frames. */
  frames: number;
  /** At least this many HTTP cases (each one or more request lines). */
  requests: number;
  batch?: number;
  concurrency?: number;
  log?: (line: string) => void;
}

const HANDSHAKE_OK = Buffer.from('HTTP/1.1 101');
const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'cache-control',
];

function emptyStats(): StreamStats {
  return {
    cases: 0,
    requests: 0,
    frames: 0,
    mutatedFrames: 0,
    bytes: 0,
    batches: 0,
    outcomes: {},
    crashes: 0,
    unanswered: 0,
    findings: 0,
    ms: 0,
  };
}

interface Played {
  received: Buffer;
  /** Half-closed by us, yet still open 5 s later. */
  stalled: boolean;
}

async function play(t: Target, c: FuzzCase): Promise<Played | undefined> {
  let conn: RawConnection;
  try {
    conn = await RawConnection.open(t.port, 5_000);
  } catch {
    return undefined; // the server is gone: the check after the case will say so
  }
  try {
    for (const [i, chunk] of c.chunks.entries()) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      conn.write(chunk);
      if (i === 0 && c.awaitHandshake) {
        await conn.until((data) => data.includes('\r\n\r\n'), 5_000);
      }
    }
    let stalled = false;
    if (c.ending === 'reset') conn.reset();
    else if (c.ending === 'linger') await conn.closedWithin(50);
    else {
      if (c.ending === 'answer') {
        await conn.until((data) => parseHttpResponse(data) !== undefined, 250);
      }
      conn.end();
      stalled = !(await conn.closedWithin(5_000));
    }
    return { received: conn.received, stalled };
  } finally {
    conn.destroy();
  }
}

/** What came back, checked: security headers on every answer, no 5xx, no 1011. */
function judge(kind: 'http' | 'ws', c: FuzzCase, received: Buffer, stats: StreamStats): string[] {
  const problems: string[] = [];
  let rest = received;
  for (;;) {
    const reply = parseHttpResponse(rest, true);
    if (!reply) break;
    stats.outcomes[reply.status] = (stats.outcomes[reply.status] ?? 0) + 1;
    if (reply.status >= 500) problems.push(`HTTP ${reply.status}: ${reply.body.toString()}`);
    if (reply.status >= 200 && !SECURITY_HEADERS.every((h) => reply.headers[h])) {
      problems.push(`HTTP ${reply.status} without the security headers`);
    }
    rest = rest.subarray(reply.size);
    if (reply.status === 101) {
      // The rest is WebSocket frames from the server.
      for (;;) {
        const next = decodeFrame(rest);
        if (!next) break;
        rest = rest.subarray(next.size);
        if (next.frame.opcode === Opcode.text)
          stats.outcomes.answer = (stats.outcomes.answer ?? 0) + 1;
        if (next.frame.opcode !== Opcode.close) continue;
        const code = next.frame.payload.length >= 2 ? next.frame.payload.readUInt16BE(0) : 1005;
        stats.outcomes[`close ${code}`] = (stats.outcomes[`close ${code}`] ?? 0) + 1;
        // ws answers a close frame with its code: 1011 is ours only if none was sent.
        if (code === 1011 && !c.mayClose)
          problems.push('WebSocket closed with 1011 (internal error)');
      }
      break;
    }
    if (rest.length === 0) break;
  }
  if (kind === 'ws' && received.length >= 12 && !received.subarray(0, 12).equals(HANDSHAKE_OK)) {
    problems.push(`valid handshake refused: ${received.subarray(0, 40).toString('latin1')}`);
  }
  return problems;
}

async function runStream(
  kind: 'http' | 'ws',
  options: FuzzOptions,
  state: { server: ConsoleProcess; report: FuzzReport; cli: string },
): Promise<void> {
  const stats = state.report[kind];
  const batchSize = options.batch ?? 500;
  const concurrency = options.concurrency ?? 16;
  const log = options.log ?? (() => undefined);
  const goal = kind === 'http' ? options.requests : options.frames;
  const counted = () => (kind === 'http' ? stats.cases : stats.mutatedFrames);
  const note = (problem: string) => {
    log(problem);
    if (state.report.problems.length < 20) state.report.problems.push(problem);
  };
  const started = Date.now();
  /** The cases started last: a crash is one of them. */
  const recent: number[] = [];
  let restarting: Promise<void> | undefined;

  /** The running console; after a crash, a fresh one, the crash counted once. */
  const running = async (): Promise<ConsoleProcess> => {
    while (state.server.exited || restarting) {
      restarting ??= (async () => {
        const dead = state.server;
        stats.crashes++;
        const suspects = [...recent].sort((a, b) => a - b).join(' ');
        note(
          `CRASH (${dead.exited}) in ${kind} cases [${suspects}] (seed ${options.seed}):\n` +
            dead.tail(),
        );
        await dead.stop();
        state.server = await ConsoleProcess.start(state.cli);
      })().finally(() => (restarting = undefined));
      await restarting;
    }
    return state.server;
  };

  let index = 0;
  while (counted() < goal) {
    const batchStart = index;
    let taken = 0;
    let planned = counted();
    const worker = async () => {
      while (taken < batchSize && planned < goal) {
        const at = index++;
        taken++;
        recent.push(at);
        if (recent.length > 2 * concurrency) recent.shift();
        const server = await running();
        // A case depends only on (seed, index) and the console's port and token.
        const c =
          kind === 'http' ? httpCase(options.seed, at, server) : wsCase(options.seed, at, server);
        planned += kind === 'http' ? 1 : c.mutated;
        const played = await play(server, c);
        stats.cases++;
        stats.requests += c.requests;
        stats.frames += c.frames;
        stats.mutatedFrames += c.mutated;
        stats.bytes += c.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
        if (!played) continue;
        if (played.stalled) stats.outcomes.stalled = (stats.outcomes.stalled ?? 0) + 1;
        for (const problem of judge(kind, c, played.received, stats)) {
          stats.findings++;
          note(`${kind} case ${at} (seed ${options.seed}): ${problem}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    stats.batches++;
    await sleep(20); // lets an exit that is under way be seen
    // After every batch: still running (or restarted after a crash), and a valid call answered.
    const server = await running();
    const problem = await validCall(server);
    state.report.validCalls++;
    if (problem && !server.exited) {
      stats.unanswered++;
      note(
        `NO ANSWER after ${kind} cases ${batchStart}..${index - 1} (seed ${options.seed}): ${problem}`,
      );
      await server.stop();
      state.server = await ConsoleProcess.start(state.cli);
    }
    stats.ms = Date.now() - started;
    if (stats.batches % 20 === 0) {
      log(`  ${kind}: ${counted()} / ${goal}, ${(stats.ms / 1000).toFixed(1)} s`);
    }
  }
  await running(); // a crash in the last valid call counts too
  stats.ms = Date.now() - started;
}

export async function runWebShellFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = {
    seed: options.seed,
    http: emptyStats(),
    ws: emptyStats(),
    validCalls: 0,
    problems: [],
  };
  const snapshot = await snapshotConsole();
  try {
    const state = { server: await ConsoleProcess.start(snapshot.cli), report, cli: snapshot.cli };
    try {
      await runStream('http', options, state);
      await runStream('ws', options, state);
    } finally {
      await state.server.stop();
    }
  } finally {
    snapshot.remove();
  }
  return report;
}

export function failures(report: FuzzReport): number {
  return [report.http, report.ws].reduce((n, s) => n + s.crashes + s.unanswered + s.findings, 0);
}

export function formatReport(report: FuzzReport): string {
  const top = (s: StreamStats) =>
    Object.entries(s.outcomes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
  const line = (label: string, s: StreamStats, what: string) =>
    `${label} ${what}, ${s.cases} connections, ${(s.bytes / 1e6).toFixed(1)} MB, ` +
    `${s.batches} batches, ${(s.ms / 1000).toFixed(1)} s; ` +
    `crashes ${s.crashes}, unanswered ${s.unanswered}, findings ${s.findings}\n    (${top(s)})`;
  return [
    `web-shell fuzz, seed ${report.seed}`,
    line('  HTTP:     ', report.http, `${report.http.requests} request lines`),
    line(
      '  WebSocket:',
      report.ws,
      `${report.ws.mutatedFrames} mutated frames (${report.ws.frames} frames sent)`,
    ),
    `  valid calls after batches: ${report.validCalls}, ` +
      `total crashes: ${report.http.crashes + report.ws.crashes}, failures: ${failures(report)}`,
    ...report.problems.map((p) => `  ! ${p}`),
  ].join('\n');
}
