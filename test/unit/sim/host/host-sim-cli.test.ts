// `cashier host-sim` as a real process (the built CLI), started on port 0, driven by the
// BankHostClient, controlled over stdin, stopped with SIGINT.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRig } from '../../host/helpers';
import { HostError } from '../../../../src-main/host/errors';
import { WalletClient } from '../../../../src-main/host/wallet';
import { trainingWalletClientOptions } from '../../../../src-main/sim/wallet/training';

const cli = resolve(process.cwd(), 'dist', 'main', 'cli.cjs');
let dir: string;
let child: ChildProcessWithoutNullStreams | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'host-sim-cli-'));
  if (!existsSync(cli)) throw new Error('dist/main/cli.cjs missing: run `npm run build` first');
});

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): Promise<{ port: number; stderr: () => string }> {
  const proc = spawn(process.execPath, [cli, 'host-sim', ...args]);
  child = proc;
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolvePort, reject) => {
    proc.stdout.once('data', (d: Buffer) =>
      resolvePort({ port: Number(d.toString().trim()), stderr: () => err }),
    );
    proc.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('cashier host-sim', () => {
  it('serves sign-on and inquiries, takes fault commands on stdin, stops on SIGINT', async () => {
    const { port, stderr } = await start(['--port', '0']);
    expect(port).toBeGreaterThan(0);
    expect(stderr()).toContain('TMK check value');
    // The client talks to the external process (the rig's own in-process simulator stays idle);
    // its key store holds the documented training TMK.
    const rig = await makeRig({}, { port });
    try {
      await rig.client.signOn('01');
      const swipe = () => ({
        pan: '6228480012345678903',
        expiry: '2912',
        entryMode: '05',
        pinBlock: rig.pinBlock('654321', '6228480012345678903'),
      });
      const ok = await rig.client.balanceInquiry(swipe());
      expect(ok.available?.amountFen).toBe(2407);
      child!.stdin.write('once code 51\n');
      await waitFor(() => stderr().includes('force response code 51'));
      expect((await rig.client.balanceInquiry(swipe())).responseCode).toBe('51');
      expect((await rig.client.balanceInquiry(swipe())).responseCode).toBe('00');
      child!.stdin.write('badmac\n');
      await waitFor(() => stderr().includes('bad MAC'));
      const e = await rig.client.balanceInquiry(swipe()).catch((x: unknown) => x);
      expect((e as HostError).code).toBe('HOST_BAD_MAC');
      child!.stdin.write('clear\n');
      await waitFor(() => stderr().includes('faults cleared'));
      expect((await rig.client.balanceInquiry(swipe())).approved).toBe(true);
      expect(stderr()).not.toContain('6228480012345678903');
    } finally {
      await rig.stop();
    }
    const exit = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child!.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('also serves the wallet host with --wallet-port, its SMS codes on stderr', async () => {
    const { stderr } = await start(['--port', '0', '--wallet-port', '0']);
    await waitFor(() => /Wallet host simulator on (https:\/\/\S+)/.test(stderr()));
    const url = /Wallet host simulator on (https:\/\/\S+)/.exec(stderr())![1]!;
    const wallet = new WalletClient(trainingWalletClientOptions({ url }));
    await wallet.requestSmsCode('13812345678');
    await waitFor(() => /SMS code to .*: (\d{6})/.test(stderr()));
    const code = /SMS code to .*: (\d{6})/.exec(stderr())![1]!;
    const balance = await wallet.balanceWithSmsCode('13812345678', code);
    expect(balance.availableFen).toBe(1_204_300);
    const exit = new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    child!.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('refuses a bad config file with a readable message and exit code 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ tmk: 'zz', cards: [] }));
    const proc = spawn(process.execPath, [cli, 'host-sim', '--port', '0', '--config', bad]);
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toContain('银行主机模拟器配置错误');
  });
});
