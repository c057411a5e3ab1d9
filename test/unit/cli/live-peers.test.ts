// The installation check an engineer runs, against a bank host and an ABECS PIN pad that this
// project did not write (the clean-room peers in test/peers): `cashier keys load-tmk`, then
// `cashier inquiry --config live.json --json`, as separate processes.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-main/core/config';
import type { PtyPair } from '../../support/pty';
import { startPeerAbecsPad, type PeerAbecsPad } from '../../peers/abecs';
import { startPeerBankHost, type PeerBankHost } from '../../peers/iso8583-host';
import { ptyPair } from '../devices/pinpad/pty-fixture';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.cjs');
const exec = promisify(execFile);

const TMK = '2B7E151628AED2A6ABF7158809CF4F3C';
const CARD = {
  pan: '6217001234567890123',
  pin: '802011',
  ledgerFen: 2_345_678,
  availableFen: 2_300_000,
};

let host: PeerBankHost;
let pty: PtyPair;
let pad: PeerAbecsPad;
let dataDir: string;
let configFile: string;

async function cashier(args: string[], input?: string) {
  const run = exec(process.execPath, [cli, ...args], { timeout: 30_000 });
  if (input !== undefined) run.child.stdin!.end(input);
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ ...e }),
  );
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/main/cli.cjs missing: run `npm run build` first');
  host = await startPeerBankHost({ port: 0, tmk: TMK, cards: [CARD] });
  pty = await ptyPair('live-peers');
  pad = await startPeerAbecsPad({
    path: pty.devicePath,
    masterKeys: { 3: TMK },
    card: { pan: CARD.pan, expiry: '3106', track2: `${CARD.pan}=31062010000054321` },
    pin: CARD.pin,
  });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-live-peers-'));
  const config = defaultConfig();
  config.mode = 'live';
  // Plain TCP to the test host: recorded as a private line, as live mode needs one or TLS.
  config.host.privateLine = true;
  config.host = { ...config.host, address: '127.0.0.1', port: host.port };
  config.pinpad = {
    protocol: 'abecs',
    port: { kind: 'serial', path: pty.hostPath },
    masterKeyIndex: 3,
    walletMasterKeyIndex: 2,
  };
  config.printer.target = 'none';
  configFile = path.join(dataDir, 'live.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
});

afterAll(async () => {
  await pad?.close();
  await pty?.close();
  await host?.close();
});

describe('live mode against a host and a PIN pad this project did not write', () => {
  it('cashier keys load-tmk takes the key from stdin and prints only its check value', async () => {
    const r = await cashier(['keys', 'load-tmk', '--config', configFile], `${TMK}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/check value [0-9A-F]{8}/);
    expect(r.stdout + r.stderr).not.toContain(TMK);
  });

  it('cashier inquiry is approved with the host balances', async () => {
    const r = await cashier(['inquiry', '--config', configFile, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer).toMatchObject({
      outcome: 'approved',
      responseCode: '00',
      maskedPan: '621700*********0123',
      entryMode: 'swipe',
      balances: { availableFen: CARD.availableFen, ledgerFen: CARD.ledgerFen, currency: '156' },
    });
    // The pad was asked for track 2 only, and the host verified the MAC of the request.
    const gtk = pad.received.find((c) => c.id === 'GTK')!;
    expect(gtk.params?.get(0x0007)?.toString('latin1')).toBe('0010');
    expect(host.exchanges.find((e) => e.request.mti === '0200')?.macValid).toBe(true);
  });

  it('a wrong PIN gives response code 55', async () => {
    pad.setPin('000000');
    const r = await cashier(['inquiry', '--config', configFile, '--json']);
    expect(r.code).toBe(1);
    const answer = JSON.parse(r.stdout);
    expect(answer).toMatchObject({ outcome: 'declined', responseCode: '55' });
    expect(answer.advice.zh).toContain('重新输入密码');
  });

  it('kept no card number, track or key in the data folder', () => {
    const db = readFileSync(path.join(dataDir, 'cashier.sqlite'));
    expect(db.includes(CARD.pan)).toBe(false);
    expect(db.includes('31062010000054321')).toBe(false);
    for (const name of ['host-keys.enc', 'host-keys.filekey']) {
      const file = readFileSync(path.join(dataDir, 'keys', name));
      expect(file.includes(Buffer.from(TMK, 'hex'))).toBe(false);
      expect(file.toString('latin1').toUpperCase()).not.toContain(TMK);
    }
  });
});
