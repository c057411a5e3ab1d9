// PIN pad figures: codec throughput (pure) and round trips over a real socat pty pair
// (driver <-> emulator), including a whole swipe + PIN flow and the unplug-to-ready time.
import { performance } from 'node:perf_hooks';
import { tdesEncryptEcb } from '../src-main/crypto';
import { AbecsPinpad, CnEppPinpad } from '../src-main/devices/pinpad';
import { createPtyPair } from '../test/support/pty';
import { AbecsFrameParser, encodeCommand, encodeFrame } from '../src-main/protocols/abecs';
import { EppFrameParser, encodeEppFrame } from '../src-main/protocols/cn-epp';
import { TRAINING_MASTER_KEY_HEX, startPinpadEmulator } from '../src-main/sim/pinpad';

function rate(label: string, count: number, ms: number, unit = 'ops'): void {
  console.log(`${label.padEnd(52)} ${((count / ms) * 1000).toFixed(0).padStart(10)} ${unit}/s`);
}

function stats(label: string, samples: number[]): void {
  const s = [...samples].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2);
  console.log(`${label.padEnd(52)} median ${p(0.5)} ms  p95 ${p(0.95)} ms  (n=${s.length})`);
}

// --- pure codecs ---
{
  const pkt = encodeCommand('GPN', [Buffer.alloc(93, 0x31)]);
  let t = performance.now();
  const n = 100_000;
  for (let i = 0; i < n; i++) encodeFrame(pkt);
  rate('ABECS encodeFrame (GPN, 96 bytes)', n, performance.now() - t);
  const frame = encodeFrame(pkt);
  const parser = new AbecsFrameParser();
  t = performance.now();
  for (let i = 0; i < n; i++) parser.push(frame);
  rate('ABECS parse whole frame', n, performance.now() - t);
  const big = Buffer.concat(Array.from({ length: 1000 }, () => frame));
  t = performance.now();
  for (let i = 0; i < 20; i++) new AbecsFrameParser().push(big);
  rate('ABECS parser byte throughput', 20 * big.length, performance.now() - t, 'B');
  const epp = encodeEppFrame(0x37, Buffer.from('31 400000123456'));
  const eppParser = new EppFrameParser();
  t = performance.now();
  for (let i = 0; i < n; i++) eppParser.push(epp);
  rate('EPP parse whole frame', n, performance.now() - t);
}

// --- over a pty ---
const base = `/tmp/cashier-bench-pinpad-${process.pid}`;
{
  const pty = await createPtyPair(`${base}-a-host`, `${base}-a-dev`);
  const emulator = await startPinpadEmulator({
    protocol: 'abecs',
    path: pty.devicePath,
    cable: pty,
    pin: '123456',
    autoCard: 'debit-swipe',
    keyIntervalMs: 1,
  });
  const pad = new AbecsPinpad({ path: pty.hostPath, pollMs: 50 });
  let t = performance.now();
  await pad.open();
  console.log(
    `${'ABECS open (CAN/EOT, OPN, GIN)'.padEnd(52)} ${(performance.now() - t).toFixed(2)} ms`,
  );
  const gin: number[] = [];
  for (let i = 0; i < 200; i++) {
    t = performance.now();
    await pad.info();
    gin.push(performance.now() - t);
  }
  stats('ABECS GIN round trip (frame, ACK, response)', gin);
  const key = {
    scheme: 'mkwk' as const,
    algorithm: '3des' as const,
    masterKeyIndex: 1,
    workingKeyEncrypted: tdesEncryptEcb(
      Buffer.from(TRAINING_MASTER_KEY_HEX, 'hex'),
      Buffer.alloc(16, 0x11),
    ),
  };
  const flow: number[] = [];
  for (let i = 0; i < 30; i++) {
    t = performance.now();
    const read = await pad.waitForCard({ entries: ['swipe'] });
    if (read.outcome !== 'card') throw new Error(read.outcome);
    await pad.getPin({ card: read.card, key });
    flow.push(performance.now() - t);
  }
  stats('ABECS swipe + PIN (DSP,CEX,GTK,GPN; 6 keys at 1 ms)', flow);
  const back = new Promise<void>((r) => pad.on('health', (h) => h.state === 'connected' && r()));
  await emulator.unplug();
  const unplugged = performance.now();
  await emulator.replug();
  await back;
  console.log(
    `${'ABECS replug to connected (50 ms poll)'.padEnd(52)} ${(performance.now() - unplugged).toFixed(2)} ms`,
  );
  await pad.close();
  await emulator.close();
  await pty.close();
}
{
  const pty = await createPtyPair(`${base}-e-host`, `${base}-e-dev`);
  const emulator = await startPinpadEmulator({
    protocol: 'cn-epp',
    path: pty.devicePath,
    pin: '123456',
    keyIntervalMs: 1,
  });
  const pad = new CnEppPinpad({ path: pty.hostPath });
  await pad.open();
  const status: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await pad.info();
    status.push(performance.now() - t);
  }
  stats('EPP status round trip', status);
  await pad.close();
  await emulator.close();
  await pty.close();
}
