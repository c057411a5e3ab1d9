// The log / backup / restore commands, run in-process and (for `log verify`) as the real
// bundled `cashier` CLI in a child process, against a copy of a database.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupCommand, restoreCommand } from '../../../src-main/cli/commands/backup';
import { logExportCommand } from '../../../src-main/cli/commands/log-export';
import { logSummaryCommand } from '../../../src-main/cli/commands/log-summary';
import { logVerifyCommand } from '../../../src-main/cli/commands/log-verify';
import { openStore } from '../../../src-main/store';
import { SqliteDb } from '../../../src-main/store/sqlite';
import { FAST_SCRYPT, removeDir, tempDir } from './helpers';

const run = promisify(execFile);
const bundleDir = path.resolve('node_modules/.cache', `store-cli-${process.pid}`);
const cli = path.join(bundleDir, 'cli.mjs');
let dir = '';
let dbFile = '';

beforeAll(async () => {
  dir = await tempDir('cashier-cli-');
  const store = await openStore(dir, { scrypt: FAST_SCRYPT });
  for (let i = 0; i < 5; i++) {
    const id = await store.transactions.begin({
      operatorId: null,
      operatorNo: '01',
      accountKind: 'card',
      maskedAccount: `622202******100${i}`,
      entryMode: 'chip',
      stan: `00000${i}`,
      training: false,
    });
    await store.transactions.complete(id, {
      outcome: 'approved',
      responseCode: '00',
      rrn: `00000000000${i}`,
      ledgerFen: 1000 + i,
      availableFen: 1000 + i,
      currency: 'CNY',
      durationMs: 10,
    });
  }
  await store.close();
  dbFile = path.join(dir, 'cashier.sqlite');
  await mkdir(bundleDir, { recursive: true });
  await build({
    // The `cashier` command as the launcher runs it (src-main/cli/launch.ts).
    stdin: {
      contents: "import { run } from './src-main/cli/entry';\nrun(process.argv.slice(2));\n",
      resolveDir: path.resolve('.'),
      sourcefile: 'cashier-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: cli,
    logLevel: 'error',
  });
}, 60_000);

afterAll(async () => {
  await rm(bundleDir, { recursive: true, force: true });
  await removeDir(dir);
});

let output = '';
afterEach(() => {
  vi.restoreAllMocks();
  output = '';
});

function capture(): void {
  const grab = (chunk: unknown): boolean => {
    output += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(grab as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(grab as typeof process.stderr.write);
}

async function copyOfDb(name: string): Promise<string> {
  const copy = path.join(dir, name);
  // Copy through the backup API so the copy includes anything still in the -wal file.
  const src = await SqliteDb.open(dbFile);
  await src.backupTo(copy);
  await src.close();
  // A standalone file, as `cashier backup` leaves it (rollback journal, no -wal beside it).
  const standalone = await SqliteDb.open(copy);
  await standalone.get('PRAGMA journal_mode = DELETE');
  await standalone.close();
  return copy;
}

describe('cashier log verify', () => {
  it('says intact for an untouched copy (exit 0) and leaves the file byte for byte as it was', async () => {
    capture();
    const copy = await copyOfDb('intact.sqlite');
    const before = await readFile(copy);
    expect(await logVerifyCommand.run(['--db', copy])).toBe(0);
    expect(output).toContain('intact');
    expect((await readFile(copy)).equals(before)).toBe(true);
    expect(await logSummaryCommand.run(['--db', copy])).toBe(0);
    expect((await readFile(copy)).equals(before)).toBe(true);
  });

  it('the real CLI names an edited row and a deleted row in a copy (exit 1)', async () => {
    const copy = await copyOfDb('tampered.sqlite');
    const raw = await SqliteDb.open(copy);
    await raw.exec(
      'UPDATE transactions SET available_fen = 99999900 WHERE id = 2; DELETE FROM transactions WHERE id = 4;',
    );
    await raw.close();
    const result = await run(process.execPath, [cli, 'log', 'verify', '--db', copy]).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => err,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Transaction 2 was edited (complete fields');
    expect(result.stdout).toContain('Transaction 4 was deleted');
    expect(result.stdout).toContain('交易记录 2 已被篡改');
    expect(result.stdout).toContain('2 problem(s) found');
    // The original is untouched.
    capture();
    expect(await logVerifyCommand.run(['--db', dbFile])).toBe(0);
  });

  it('checks from the signed checkpoint daily, the whole chain with --full, with a progress bar on a terminal only', async () => {
    const copy = await copyOfDb('checkpointed.sqlite');
    // Pipes: no progress bar in stderr.
    const piped = await run(process.execPath, [cli, 'log', 'verify', '--db', copy]);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toContain('intact');
    const daily = await run(process.execPath, [cli, 'log', 'verify', '--db', copy]);
    expect(daily.stdout).toContain('checked from the signed checkpoint at entry 10');
    const full = await run(process.execPath, [cli, 'log', 'verify', '--full', '--db', copy]);
    expect(full.stdout).not.toContain('checked from the signed checkpoint');
    // A terminal (a pty from script(1)): the bar is drawn on stderr.
    const tty = await run('script', [
      '-qec',
      `${process.execPath} ${cli} log verify --full --db ${copy}`,
      '/dev/null',
    ]);
    expect(tty.stdout).toContain('哈希链 / chain [');
    expect(tty.stdout).toContain('100% 10/10');
  });

  it('reports a missing database file without creating one', async () => {
    capture();
    const missing = path.join(dir, 'nope.sqlite');
    expect(await logVerifyCommand.run(['--db', missing])).toBe(1);
    expect(output).toContain('未找到数据库文件');
    expect(await readdir(dir)).not.toContain('nope.sqlite');
  });
});

describe('cashier log export / summary / backup / restore', () => {
  it('exports a day range as CSV with a BOM', async () => {
    capture();
    const out = path.join(dir, 'export.csv');
    const code = await logExportCommand.run([
      '--db',
      dbFile,
      '--from',
      '2000-01-01',
      '--to',
      '2999-12-31',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(output).toContain('Exported 5 rows');
    const text = await readFile(out, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.trim().split('\r\n')).toHaveLength(6);
    expect(await logExportCommand.run(['--db', dbFile, '--out', out])).toBe(2);
    expect(
      await logExportCommand.run(['--db', dbFile, '--from', 'soon', '--to', 'later', '--out', out]),
    ).toBe(2);
  });

  it('prints a daily summary', async () => {
    capture();
    expect(await logSummaryCommand.run(['--db', dbFile, '--json'])).toBe(0);
    const summary = JSON.parse(output) as { total: number; byOutcome: { approved: number } };
    expect(summary.total).toBe(5);
    expect(summary.byOutcome.approved).toBe(5);
  });

  it('backs up and restores through the commands, refusing a broken file', async () => {
    capture();
    const work = await copyOfDb('work.sqlite');
    const dest = path.join(dir, 'usb');
    expect(await backupCommand.run(['--db', work, '--to', dest])).toBe(0);
    const [backupFile] = await readdir(dest);
    expect(backupFile).toMatch(/^cashier-\d{8}-\d{6}\.sqlite$/);
    expect(await restoreCommand.run(['--db', work, '--from', path.join(dest, backupFile!)])).toBe(
      0,
    );
    expect(output).toContain('5 transactions');
    const broken = path.join(dir, 'broken.sqlite');
    await copyFile(path.join(dest, backupFile!), broken);
    const { open } = await import('node:fs/promises');
    const handle = await open(broken, 'r+');
    await handle.write(Buffer.alloc(4096, 0x41), 0, 4096, 4096);
    await handle.close();
    output = '';
    expect(await restoreCommand.run(['--db', work, '--from', broken])).toBe(1);
    expect(output).toContain('不是可用的备份文件');
    expect(await backupCommand.run(['--db', work])).toBe(2);
  });
});
