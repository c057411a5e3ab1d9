// Every `cashier` subcommand as a person meets it: --help prints its usage and changes nothing,
// an unknown flag is refused with the usage, and failures read as words, never a stack trace.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../src-main/cli';
import { defaultConfig } from '../../../src-main/core/config';
import { startPeerEpp, type PeerEpp } from '../../peers/cn-epp';
import { ptyPair } from '../devices/pinpad/pty-fixture';
import type { PtyPair } from '../../support/pty';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.cjs');
const exec = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], input?: string): Promise<Ran> {
  const child = exec(process.execPath, [cli, ...args], { timeout: 20_000 });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  return child.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/main/cli.cjs missing: run `npm run build` first');
});

describe('every subcommand', () => {
  for (const entry of commands) {
    const words = entry.name.join(' ');
    it(`${words}: --help prints its usage; an unknown flag is refused with it`, async () => {
      const command = await entry.load();
      // The words that select it are the words its usage starts with.
      expect(`${command.usage} `.startsWith(`${words} `)).toBe(true);
      const help = await run([...entry.name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: cashier ${command.usage}`);
      const wrong = await run([...entry.name, '--no-such-flag']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain("Unknown option '--no-such-flag'");
      expect(wrong.stderr).toContain('参数有误');
      expect(wrong.stderr).toContain(`Usage: cashier ${command.usage}`);
      expect(wrong.stderr).not.toMatch(STACK_LINE);
    });
  }
});

describe('failures read as words', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-cli-words-'));
  });

  it('log verify --help prints help and does not open a database', async () => {
    const missing = path.join(dir, 'nothing-here');
    const r = await run(['log', 'verify', '--data-dir', missing, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: cashier log verify');
    expect(existsSync(missing)).toBe(false);
  });

  it('pinpad info on a port that does not exist', async () => {
    const r = await run(['pinpad', 'info', '--port', '/dev/ttyNOPE9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('找不到串口');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('a data folder that is a dangling link', async () => {
    const link = path.join(dir, 'dangling');
    symlinkSync(path.join(dir, 'gone'), link);
    const r = await run(['keys', 'status', '--data-dir', link]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/找不到|没有|不是/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('a garbage printer target', async () => {
    const r = await run(['print-slip', '--status', '--printer', 'garbage']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('打印机地址无效');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('--debug adds the stack for support', async () => {
    const link = path.join(dir, 'dangling-debug');
    symlinkSync(path.join(dir, 'gone'), link);
    const r = await run(['keys', 'status', '--data-dir', link, '--debug']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(STACK_LINE);
  });

  it('a key that is not hex is refused with the usage, and nothing is written', async () => {
    const r = await run(['keys', 'load-tmk', '--data-dir', dir, '--tmk', 'not-a-key']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('主密钥须为32/48位十六进制数');
    expect(existsSync(path.join(dir, 'keys', 'host-keys.enc'))).toBe(false);
  });
});

describe('keys load-tmk into a Chinese EPP (the clean-room EPP peer on a pty)', () => {
  let pty: PtyPair;
  let epp: PeerEpp;
  let dataDir: string;
  let configFile: string;
  const TMK = '0123456789ABCDEFFEDCBA9876543210';

  beforeAll(async () => {
    pty = await ptyPair('cli-keys-epp');
    epp = await startPeerEpp({ path: pty.devicePath });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-cli-epp-'));
    const config = defaultConfig();
    config.mode = 'live';
    // Plain TCP to the test host: recorded as a private line, as live mode needs one or TLS.
    config.host.privateLine = true;
    config.pinpad = {
      protocol: 'cn-epp',
      port: { kind: 'serial', path: pty.hostPath },
      masterKeyIndex: 1,
      walletMasterKeyIndex: 2,
    };
    configFile = path.join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
  });

  afterAll(async () => {
    await epp?.close();
    await pty?.close();
  });

  it('loads the TMK and the wallet master key into their EPP slots; the console keeps only check values', async () => {
    const tmk = await run(['keys', 'load-tmk', '--config', configFile], `${TMK}\n`);
    expect(tmk.stdout).toContain('check value 08D7B4FB');
    const wmk = await run(
      ['keys', 'load-tmk', '--config', configFile, '--wallet'],
      '00112233445566778899AABBCCDDEEFF\n',
    );
    expect(wmk.code).toBe(0);
    expect(epp.loadedKeys()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'master', index: 1, kcv: '08D7B4FB' }),
        expect.objectContaining({ kind: 'master', index: 2 }),
      ]),
    );
    const status = JSON.parse((await run(['keys', 'status', '--data-dir', dataDir])).stdout);
    expect(status.tmkCheckValue).toBe('08D7B4FB');
    expect(status.walletMasterKeyCheckValue).toMatch(/^[0-9A-F]{8}$/);
  });
});
