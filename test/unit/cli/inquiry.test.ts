// `cashier inquiry` as an installing engineer runs it: the built CLI in its own process, against
// `cashier host-sim` in another process, with our ABECS emulator at the far end of a socat pty
// pair presenting a swiped card and typing the customer's PIN.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-main/core/config';
import { createPtyPair, type PtyPair } from '../../support/pty';
import { startPinpadEmulator, type PinpadEmulator } from '../../../src-main/sim/pinpad';
import { TRAINING_MASTER_KEY_HEX } from '../../../src-main/sim/pinpad/training';
import { TRAINING_WALLET_TERMINAL, TRAINING_WALLET_TLS } from '../../../src-main/sim/wallet';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.cjs');
const run = promisify(execFile);

let hostSim: ChildProcess;
let hostPort: number;
let walletPort: number;
let pty: PtyPair;
let pad: PinpadEmulator;
let dataDir: string;
let configFile: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/main/cli.cjs missing: run `npm run build` first');
  hostSim = spawn(
    process.execPath,
    [cli, 'host-sim', '--port', '0', '--wallet-port', '0', '--quiet'],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  [hostPort, walletPort] = await new Promise<number[]>((resolve) => {
    let out = '';
    hostSim.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const ports = out.split('\n').filter(Boolean).map(Number);
      if (ports.length >= 2) resolve(ports);
    });
  });
  const tag = `inq-${process.pid}`;
  pty = await createPtyPair(`/tmp/${tag}-host`, `/tmp/${tag}-pad`);
  pad = await startPinpadEmulator({
    protocol: 'abecs',
    path: pty.devicePath,
    cable: pty,
    pin: '123456',
    autoCard: 'debit-swipe',
  });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-cli-inquiry-'));
  const config = defaultConfig();
  config.mode = 'live';
  // Plain TCP to the test host: recorded as a private line, as live mode needs one or TLS.
  config.host.privateLine = true;
  config.host = { ...config.host, address: '127.0.0.1', port: hostPort };
  config.pinpad = {
    protocol: 'abecs',
    port: { kind: 'serial', path: pty.hostPath },
    masterKeyIndex: 1,
    // The wallet host simulator's terminal T0000001 sends its PIN key under the key this pad
    // holds in slot 1 (see PROTOCOL.md, training host).
    walletMasterKeyIndex: 1,
  };
  config.printer.target = 'none';
  config.wallet = {
    url: `https://127.0.0.1:${walletPort}`,
    algorithm: 'HMAC-SHA256',
    pinnedSha256: TRAINING_WALLET_TLS.sha256Fingerprint,
    connectTimeoutMs: 5000,
    responseTimeoutMs: 15_000,
  };
  configFile = path.join(dataDir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
});

afterAll(async () => {
  await pad?.close();
  await pty?.close();
  hostSim?.kill('SIGINT');
});

describe('cashier inquiry', () => {
  it('refuses to run without a master key, saying so', async () => {
    const err = await run(process.execPath, [
      cli,
      'inquiry',
      '--config',
      configFile,
      '--json',
    ]).catch((e: { stdout: string; code: number }) => e);
    expect((err as { code: number }).code).toBe(1);
    const answer = JSON.parse((err as { stdout: string }).stdout);
    expect(answer.outcome).toBe('failed');
    expect(answer.responseText.zh).toContain('主密钥');
  });

  it('loads the TMK without printing it', async () => {
    const { stdout } = await run(process.execPath, [
      cli,
      'keys',
      'load-tmk',
      '--data-dir',
      dataDir,
      '--tmk',
      TRAINING_MASTER_KEY_HEX,
    ]);
    expect(stdout).toMatch(/check value [0-9A-F]{6}/);
    expect(stdout).not.toContain(TRAINING_MASTER_KEY_HEX);
  });

  it('signs on, reads the swiped card and PIN, and prints the balances as JSON', async () => {
    const { stdout } = await run(process.execPath, [
      cli,
      'inquiry',
      '--config',
      configFile,
      '--json',
    ]);
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({
      outcome: 'approved',
      responseCode: '00',
      maskedPan: '622202*********3446',
      entryMode: 'swipe',
      balances: { currency: '156' },
    });
    expect(answer.balances.availableFen).toBeGreaterThan(0);
    expect(answer.rrn).toMatch(/^\w{12}$/);
    expect(answer.trace).toMatch(/^\d{6}$/);
    expect(stdout).not.toContain('6222020200112233446');
    // Logged like any inquiry, under the installer's operator number.
    expect(readFileSync(path.join(dataDir, 'cashier.sqlite')).includes('6222020200112233446')).toBe(
      false,
    );
  });

  it('without the wallet signing key, a payment-account inquiry says which command installs it', async () => {
    const err = await run(process.execPath, [
      cli,
      'inquiry',
      '--config',
      configFile,
      '--account',
      '13812345678',
      '--password',
      '--json',
    ]).catch((e: { stdout: string; code: number }) => e);
    expect((err as { code: number }).code).toBe(1);
    const answer = JSON.parse((err as { stdout: string }).stdout);
    expect(answer).toMatchObject({ outcome: 'failed', errorCode: 'WALLET_SIGNING_KEY_MISSING' });
    expect(answer.responseText.zh).toContain('cashier keys load-wallet-key');
  });

  it('installs the wallet signing key encrypted, printing only a fingerprint', async () => {
    const { stdout } = await run(process.execPath, [
      cli,
      'keys',
      'load-wallet-key',
      '--data-dir',
      dataDir,
      '--key',
      TRAINING_WALLET_TERMINAL.signingKey,
    ]);
    expect(stdout).toMatch(/fingerprint [0-9A-F]{8}/);
    expect(stdout).not.toContain(TRAINING_WALLET_TERMINAL.signingKey);
    const status = JSON.parse(
      (await run(process.execPath, [cli, 'keys', 'status', '--data-dir', dataDir])).stdout,
    );
    expect(status).toMatchObject({ protection: 'file', walletSigningKey: 'installed' });
    expect(status.tmkCheckValue).toMatch(/^[0-9A-F]{8}$/);
  });

  it('a live payment-account inquiry with the payment password completes against host-sim', async () => {
    const { stdout } = await run(process.execPath, [
      cli,
      'inquiry',
      '--config',
      configFile,
      '--account',
      '13812345678',
      '--password',
      '--json',
    ]);
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({
      outcome: 'approved',
      accountKind: 'wallet',
      maskedPan: '138****5678',
      entryMode: 'pay-password',
      balances: { availableFen: 1_204_300, ledgerFen: 1_254_300, currency: '156' },
    });
    expect(answer.rrn).toMatch(/^W\d+$/);
  });
});
