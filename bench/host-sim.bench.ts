// Host simulator throughput: balance inquiries per second on loopback, with request MAC check,
// PIN block decryption and check, F54 and response MAC, over several concurrent connections.
// The simulator runs in a child process (its own core); the terminals run here with the real
// BankHostClient. Beside it: the same loop with the npm `iso_8583` package on a comparable
// ASCII message (no MAC, no PIN: it has neither), so the ratio shows.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tdesEncryptEcb } from '../src-main/crypto/des';
import { pinBlockFormat0 } from '../src-main/crypto/pin-block';
import { BankHostClient, MemoryTerminalState, SoftwareKeyStore } from '../src-main/host';
import { unionPayEcbMac } from '../src-main/crypto/mac';
import { parseF62, unwrapWorkingKeys } from '../src-main/crypto/working-keys';
import {
  cupPosPackager,
  decodeFrameBody,
  encodeFrameBodyPacked,
  isoMessage,
  LengthPrefixedFramer,
  withLengthHeader,
} from '../src-main/protocols/iso8583';
import { defaultHostSimConfig, SimulatedHost, startHostSimulator } from '../src-main/sim/host';

interface Iso8583Lib {
  new (
    data?: Record<string, string>,
    formats?: Record<string, unknown>,
  ): {
    getBufferMessage(): Buffer;
    getIsoJSON(buf: Buffer, config: Record<string, unknown>): Record<string, string>;
  };
}
const Iso8583 = createRequire(import.meta.url)('iso_8583') as Iso8583Lib;
const FORMATS = { 53: { ContentType: 'n', Label: 'sec', LenType: 'fixed', MaxLen: 16 } };

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = 8;
const PAN = '6222020200112233446';
const TRACK2 = `${PAN}=30121010000000000`;

// ---- child modes -----------------------------------------------------------------------------
async function childOurs(): Promise<void> {
  const sim = await startHostSimulator({ port: 0 });
  process.send!({ port: sim.address.port });
  process.on('message', async () => {
    process.send!({ stats: sim.stats });
    await sim.close();
    process.exit(0);
  });
}

/** A minimal host on iso_8583: unpack, answer with balances, pack. */
async function childTheirs(): Promise<void> {
  const server = createServer((socket) => {
    const framer = new LengthPrefixedFramer(65535);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      for (const body of framer.push(chunk)) {
        const req = new Iso8583(undefined, FORMATS).getIsoJSON(withLengthHeader(body), {});
        const resp: Record<string, string> = {
          0: '0210',
          2: req['2']!,
          3: req['3']!,
          11: req['11']!,
          37: '123456000001',
          39: '00',
          41: req['41']!,
          42: req['42']!,
          49: '156',
          54: '1001156C0000012345671002156C000001200000',
        };
        socket.write(new Iso8583(resp, FORMATS).getBufferMessage());
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.send!({ port: typeof addr === 'object' && addr ? addr.port : 0 });
  });
  process.on('message', () => process.exit(0));
}

function startChild(mode: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(process.argv[1]!, [mode], { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
  });
}

// ---- load generators ---------------------------------------------------------------------------
async function runOurs(port: number): Promise<{ perSec: number; approved: number; other: number }> {
  const tmk = Buffer.from(defaultHostSimConfig().tmk, 'hex');
  const dir = mkdtempSync(join(tmpdir(), 'bench-host-'));
  const clients: { client: BankHostClient; keys: SoftwareKeyStore }[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const keys = new SoftwareKeyStore(join(dir, String(i)));
    keys.setMasterKey(tmk);
    const client = new BankHostClient({
      host: '127.0.0.1',
      port,
      terminalId: `BENCH${String(i).padStart(3, '0')}`,
      merchantId: '898310048160001',
      keys,
      state: new MemoryTerminalState(),
    });
    await client.signOn('01');
    clients.push({ client, keys });
  }
  let approved = 0;
  let other = 0;
  let stop = false;
  const loop = async ({ client, keys }: (typeof clients)[number]): Promise<void> => {
    // The PIN pad's part: a format 0 block under the PIK (done once; it is the same PIN).
    const pinBlock = tdesEncryptEcb(keys.clearKeys().pik, pinBlockFormat0('123456', PAN));
    while (!stop) {
      const r = await client.balanceInquiry({
        pan: PAN,
        track2: TRACK2,
        expiry: '3012',
        entryMode: '02',
        pinBlock,
      });
      if (r.approved && r.available) approved++;
      else other++;
    }
  };
  const started = performance.now();
  const runs = clients.map(loop);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  stop = true;
  await Promise.all(runs);
  const elapsed = (performance.now() - started) / 1000;
  for (const { client } of clients) await client.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSec: approved / elapsed, approved, other };
}

/** A connected socket that sends one frame body and resolves with the next answer body. */
async function rawLink(
  port: number,
): Promise<{ ask(body: Buffer): Promise<Buffer>; close(): void }> {
  const socket = new Socket();
  await new Promise<void>((r) => socket.connect(port, '127.0.0.1', () => r()));
  socket.setNoDelay(true);
  const framer = new LengthPrefixedFramer(65535);
  let waiting: ((b: Buffer) => void) | undefined;
  socket.on('data', (c: Buffer) => {
    for (const body of framer.push(c)) waiting?.(body);
  });
  return {
    ask: (body) =>
      new Promise<Buffer>((r) => {
        waiting = r;
        socket.write(withLengthHeader(body));
      }),
    close: () => socket.destroy(),
  };
}

/**
 * The simulator with a light load generator (our codec, MAC and MAC check, no client state),
 * the like-for-like counterpart of the iso_8583 loop below.
 */
async function runOursRaw(port: number): Promise<number> {
  const tmk = Buffer.from(defaultHostSimConfig().tmk, 'hex');
  let done = 0;
  let stop = false;
  const loop = async (i: number): Promise<void> => {
    const link = await rawLink(port);
    const ids = { 41: `RAW${String(i).padStart(5, '0')}`, 42: '898310048160001' };
    const frame = (mti: string, f: Parameters<typeof isoMessage>[1]) =>
      encodeFrameBodyPacked('6000030000', '603100311004', cupPosPackager.pack(isoMessage(mti, f)));
    const so = decodeFrameBody(
      await link.ask(frame('0800', { 11: '000001', ...ids, 60: '00000001003' })),
      cupPosPackager,
    ).message;
    const keys = unwrapWorkingKeys(parseF62(so.fields.get(62) as Buffer, '003'), tmk);
    const pinBlock = tdesEncryptEcb(keys.pik, pinBlockFormat0('123456', PAN));
    let stan = 1;
    while (!stop) {
      stan = (stan % 999_999) + 1;
      const req = isoMessage('0200', {
        2: PAN,
        3: '310000',
        11: String(stan).padStart(6, '0'),
        14: '3012',
        22: '021',
        25: '00',
        26: '12',
        35: TRACK2,
        ...ids,
        49: '156',
        52: pinBlock,
        53: '2600000000000000',
        60: '0100000100060',
      });
      const packed = cupPosPackager.packWithMac(req, (mab) => unionPayEcbMac(keys.mak, mab));
      const body = await link.ask(encodeFrameBodyPacked('6000030000', '603100311004', packed));
      const resp = decodeFrameBody(body, cupPosPackager).message;
      const mac = unionPayEcbMac(keys.mak, body.subarray(11, body.length - 8));
      if (resp.fields.get(39) === '00' && mac.equals(resp.fields.get(64) as Buffer)) done++;
    }
    link.close();
  };
  const started = performance.now();
  const runs = Array.from({ length: CONNECTIONS }, (_, i) => loop(i));
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  stop = true;
  await Promise.all(runs);
  return done / ((performance.now() - started) / 1000);
}

async function runTheirs(port: number): Promise<number> {
  let done = 0;
  let stop = false;
  const loop = async (i: number): Promise<void> => {
    const socket = new Socket();
    await new Promise<void>((r) => socket.connect(port, '127.0.0.1', () => r()));
    socket.setNoDelay(true);
    const framer = new LengthPrefixedFramer(65535);
    let waiting: ((b: Buffer) => void) | undefined;
    socket.on('data', (c: Buffer) => {
      for (const body of framer.push(c)) waiting?.(body);
    });
    let stan = 0;
    while (!stop) {
      stan = (stan % 999_999) + 1;
      const req = new Iso8583(
        {
          0: '0200',
          2: PAN,
          3: '310000',
          11: String(stan).padStart(6, '0'),
          14: '3012',
          22: '021',
          25: '00',
          26: '12',
          35: TRACK2.replace('=', 'D'),
          41: `BENCH${String(i).padStart(3, '0')}`,
          42: '898310048160001',
          49: '156',
          52: '1122334455667788',
          53: '2600000000000000',
          60: '0100000100060',
          64: '8A9E91B8',
        },
        FORMATS,
      ).getBufferMessage();
      const body = await new Promise<Buffer>((r) => {
        waiting = r;
        socket.write(req);
      });
      const resp = new Iso8583(undefined, FORMATS).getIsoJSON(withLengthHeader(body), {});
      if (resp['39'] === '00') done++;
    }
    socket.destroy();
  };
  const started = performance.now();
  const runs = Array.from({ length: CONNECTIONS }, (_, i) => loop(i));
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  stop = true;
  await Promise.all(runs);
  return done / ((performance.now() - started) / 1000);
}

/** SimulatedHost.handle() on prepared frames: the cost of the checks without the network. */
function logicOnly(): number {
  const cfg = defaultHostSimConfig();
  const host = new SimulatedHost(cfg);
  const frame = (mti: string, f: Parameters<typeof isoMessage>[1]) =>
    encodeFrameBodyPacked('6000030000', '603100311004', cupPosPackager.pack(isoMessage(mti, f)));
  const ids = { 41: 'LOGIC001', 42: '898310048160001' };
  const signOn = host.handle(frame('0800', { 11: '000001', ...ids, 60: '00000001003' }));
  if (!('body' in signOn)) throw new Error('sign-on failed');
  const f62 = decodeFrameBody(signOn.body, cupPosPackager).message.fields.get(62) as Buffer;
  const keys = unwrapWorkingKeys(parseF62(f62, '003'), Buffer.from(cfg.tmk, 'hex'));
  const req = isoMessage('0200', {
    2: PAN,
    3: '310000',
    11: '000002',
    14: '3012',
    22: '021',
    25: '00',
    26: '12',
    35: TRACK2,
    ...ids,
    49: '156',
    52: tdesEncryptEcb(keys.pik, pinBlockFormat0('123456', PAN)),
    53: '2600000000000000',
    60: '0100000100060',
  });
  const body = encodeFrameBodyPacked(
    '6000030000',
    '603100311004',
    cupPosPackager.packWithMac(req, (mab) => unionPayEcbMac(keys.mak, mab)),
  );
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 2000) {
    for (let i = 0; i < 100; i++) host.handle(body);
    n += 100;
  }
  if (host.stats.approved !== n) throw new Error('logic bench: not every inquiry approved');
  return n / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode === '--child-ours') return childOurs();
  if (mode === '--child-theirs') return childTheirs();

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
  console.log(`${CONNECTIONS} connections, ${SECONDS} s each, simulator in a child process`);
  const ours = await startChild('--child-ours');
  const a = await runOurs(ours.port);
  const raw = await runOursRaw(ours.port);
  const stats = await new Promise<Record<string, number>>((resolve) => {
    ours.child.once('message', (m: { stats: Record<string, number> }) => resolve(m.stats));
    ours.child.send('stop');
  });
  const line = (label: string, v: number) => console.log(`${label.padEnd(66)} ${fmt(v)} /s`);
  line('host-sim, terminals = BankHostClient (MAC+PIN checks, F54, MAC)', a.perSec);
  line('host-sim, light load generator (same checks on the host)', raw);
  console.log(
    `  host counted ${stats.approved} approved and ${stats.macErrors} MAC errors over both runs;` +
      ` BankHostClient saw ${a.approved} approved, ${a.other} other`,
  );
  const theirs = await startChild('--child-theirs');
  const b = await runTheirs(theirs.port);
  theirs.child.send('stop');
  line('iso_8583 npm host, light load generator (no MAC, no PIN)', b);
  console.log(`ratio ours / iso_8583, light generators: ${(raw / b).toFixed(2)}x`);
  console.log(`ratio ours with BankHostClient / iso_8583: ${(a.perSec / b).toFixed(2)}x`);
  console.log(
    `target >= 5,000 inquiries/s: ${Math.min(a.perSec, raw) >= 5000 ? 'met' : 'NOT met'}`,
  );
  line('simulator logic alone (SimulatedHost.handle, no sockets)', logicOnly());
}

void main();
