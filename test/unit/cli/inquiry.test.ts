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
import { createPtyPair, type PtyPair } from '../../../src-main/devices/serial/pty';
import { startPinpadEmulator, type PinpadEmulator } from '../../../src-main/sim/pinpad';
import { TRAINING_MASTER_KEY_HEX } from '../../../src-main/sim/pinpad/training';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.mjs');
const run = promisify(execFile);

let hostSim: ChildProcess;
let hostPort: number;
let pty: PtyPair;
let pad: PinpadEmulator;
let dataDir: string;
let configFile: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/main/cli.mjs missing: run `npm run build` first');
  hostSim = spawn(process.execPath, [cli, 'host-sim', '--port', '0', '--quiet'], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  hostPort = await new Promise<number>((resolve) =>
    hostSim.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  const tag = `inq-${process.pid}`;
  pty = await createPtyPair(`/tmp/${tag}-host`, `/tmp/${tag}-pad`);
  pad = await startPinpadEmulator({
    protocol: 'abecs',
    path: pty.devicePath,
    pty,
    pin: '123456',
    autoCard: 'debit-swipe',
  });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-cli-inquiry-'));
  const config = defaultConfig();
  config.mode = 'live';
  config.host = { ...config.host, address: '127.0.0.1', port: hostPort };
  config.pinpad = {
    protocol: 'abecs',
    port: { kind: 'serial', path: pty.hostPath },
    masterKeyIndex: 1,
    walletMasterKeyIndex: 2,
  };
  config.printer.target = 'none';
  configFile = path.join(dataDir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
});

afterAll(async () => {
  await pad?.stop();
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
});
