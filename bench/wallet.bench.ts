// Wallet host round trips over HTTPS on loopback: the real WalletClient against the training
// wallet simulator (one TLS handshake per request, as the protocol says), sequential latency and
// throughput with 8 requests in flight; and the cost of signing alone, HMAC-SHA256 vs HMAC-SM3.
import { performance } from 'node:perf_hooks';
import { signRequest, WalletClient, type WalletSignAlgorithm } from '../src-main/host/wallet';
import { startTrainingWalletSimulator, trainingWalletClientOptions } from '../src-main/sim/wallet';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function signingRate(algorithm: WalletSignAlgorithm, seconds = 2): number {
  const key = Buffer.alloc(32, 7);
  const body = '{"account":"13812345678","auth":{"type":"sms","code":"123456"}}';
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 500; i++) {
      signRequest(key, {
        algorithm,
        method: 'POST',
        path: '/wallet/v1/balance',
        terminalId: 'T0000001',
        timestamp: '1795440000',
        nonce: `nonce-${n + i}-000000000000`,
        body,
      });
    }
    n += 500;
  }
  return n / seconds;
}

const sim = await startTrainingWalletSimulator({ port: 0 });
try {
  for (const algorithm of ['HMAC-SHA256', 'HMAC-SM3'] as const) {
    console.log(
      `sign ${algorithm}: ${Math.round(signingRate(algorithm)).toLocaleString('en')} requests/s`,
    );
  }

  const client = new WalletClient({ ...trainingWalletClientOptions(sim.address) });
  // Warm-up.
  for (let i = 0; i < 10; i++) await client.echo();

  const times: number[] = [];
  const sequential = 200;
  const t0 = performance.now();
  for (let i = 0; i < sequential; i++) {
    const start = performance.now();
    await client.echo();
    times.push(performance.now() - start);
  }
  const seqSeconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  console.log(
    `echo round trip, sequential (${sequential}): median ${percentile(times, 50).toFixed(2)} ms, ` +
      `p95 ${percentile(times, 95).toFixed(2)} ms, ${(sequential / seqSeconds).toFixed(0)} req/s`,
  );

  const inFlight = 8;
  const total = 400;
  let next = 0;
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        next++;
        await client.echo();
      }
    }),
  );
  const parSeconds = (performance.now() - t1) / 1000;
  console.log(`echo, ${inFlight} in flight (${total}): ${(total / parSeconds).toFixed(0)} req/s`);

  // A full SMS inquiry: request the code, read it from the simulator, ask the balance.
  const inquiry: number[] = [];
  const accounts = ['13812345678', '13900000002', '13700001111'];
  for (let round = 0; round < 3; round++) {
    // The simulator allows one code per account per 60 s, so use a fresh simulator per round.
    const fresh = await startTrainingWalletSimulator({ port: 0 });
    const c = new WalletClient(trainingWalletClientOptions(fresh.address));
    for (const account of accounts) {
      const start = performance.now();
      await c.requestSmsCode(account);
      await c.balanceWithSmsCode(account, fresh.lastCodeFor(account)!);
      inquiry.push(performance.now() - start);
    }
    await fresh.close();
  }
  inquiry.sort((a, b) => a - b);
  console.log(
    `SMS inquiry (code + balance, ${inquiry.length}): median ${percentile(inquiry, 50).toFixed(2)} ms`,
  );
} finally {
  await sim.close();
}
