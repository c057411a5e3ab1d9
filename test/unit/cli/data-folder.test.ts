// The data folder through the built `cashier` command, each run in its own process:
// `operators unlock` / `reset-password` for a shop whose only supervisor is locked out,
// `log verify` finding damaged pages and hand-edited operators, a console that refuses to start
// on an emptied database (and `restore` that mends it), and a folder this user may not open.
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { open, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src-main/store';
import { hashPassword } from '../../../src-main/store/passwords';
import { SqliteDb } from '../../../src-main/store/sqlite';
import { FAST_SCRYPT, removeDir, tempDir } from '../store/helpers';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'main', 'cli.cjs');
const exec = promisify(execFile);
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$/m;
const opts = { passwordMaxAgeDays: 0 };

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], more: { input?: string; uid?: number } = {}): Promise<Ran> {
  const child = exec(process.execPath, [cli, ...args], {
    timeout: 60_000,
    ...(more.uid !== undefined ? { uid: more.uid, gid: more.uid } : {}),
  });
  child.child.stdin!.end(more.input ?? '');
  return child.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

beforeAll(() => {
  if (!existsSync(cli)) throw new Error('dist/main/cli.cjs missing: run `npm run build` first');
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A data folder whose only operator, supervisor 01, is locked out; closed again. */
async function lockedOutShop(): Promise<string> {
  const dir = await tempDir('cashier-cli-shop-');
  cleanups.push(() => removeDir(dir));
  const store = await openStore(dir, { scrypt: FAST_SCRYPT });
  await store.operators.createFirstSupervisor({ operatorNo: '01', name: '王', password: 'super1' });
  for (let i = 0; i < 5; i++) await store.operators.authenticate('01', 'wrong-pw', opts);
  expect((await store.operators.findByNo('01'))!.locked).toBe(true);
  await store.close();
  return dir;
}

async function reopen(dir: string): Promise<Store> {
  const store = await openStore(dir, { scrypt: FAST_SCRYPT });
  cleanups.unshift(() => store.close());
  return store;
}

describe('cashier operators (for whoever can write the data folder)', () => {
  it('unlock: the locked-out only supervisor logs in again, and the audit trail says who', async () => {
    const dir = await lockedOutShop();
    const r = await run(['operators', 'unlock', '01', '--data-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已解除锁定');
    expect(r.stdout).toContain('Operator 01 (王) is unlocked');
    const store = await reopen(dir);
    expect((await store.operators.authenticate('01', 'super1', opts)).ok).toBe(true);
    const [entry] = await store.audit.list({ kind: 'unlock' });
    expect(entry!.operatorId).toBeNull();
    expect(entry!.detail).toMatchObject({ target: '01', source: 'cli', wasLocked: true });
    expect((await store.operators.verify()).ok).toBe(true);
  });

  it('reset-password from stdin: unlocks, must change at next login, password never printed', async () => {
    const dir = await lockedOutShop();
    const r = await run(['operators', 'reset-password', '01', '--data-dir', dir], {
      input: 'Temp-pw 42\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('must be changed at the next login');
    expect(r.stdout + r.stderr).not.toContain('Temp-pw 42');
    const store = await reopen(dir);
    expect(await store.operators.authenticate('01', 'Temp-pw 42', opts)).toMatchObject({
      ok: true,
      mustChangePassword: true,
    });
    const [entry] = await store.audit.list({ kind: 'password-reset' });
    expect(entry!.detail).toMatchObject({ target: '01', source: 'cli' });
    expect(JSON.stringify(entry)).not.toContain('Temp-pw');
  });

  it('reset-password --generate prints a temporary password once, and it works', async () => {
    const dir = await lockedOutShop();
    const r = await run(['operators', 'reset-password', '01', '--generate', '--data-dir', dir]);
    expect(r.code).toBe(0);
    const password = /Temporary password \(shown only this once\): (\S+)/.exec(r.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{10}$/);
    const store = await reopen(dir);
    expect(await store.operators.authenticate('01', password!, opts)).toMatchObject({
      ok: true,
      mustChangePassword: true,
    });
  });

  it('refuses an unknown operator, a weak password and a missing number, in both languages', async () => {
    const dir = await lockedOutShop();
    const unknown = await run(['operators', 'unlock', '77', '--data-dir', dir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('没有操作员 77');
    expect(unknown.stderr).toContain('There is no operator 77');
    const weak = await run(['operators', 'reset-password', '01', '--data-dir', dir], {
      input: 'aaaaaa\n',
    });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('密码须为');
    const missing = await run(['operators', 'unlock', '--data-dir', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('缺少操作员号');
    expect(missing.stderr).toContain('Usage: cashier operators unlock NO');
    for (const r of [unknown, weak, missing]) expect(r.stderr).not.toMatch(STACK_LINE);
    // Nothing was changed by the refusals: still locked.
    const store = await reopen(dir);
    expect((await store.operators.findByNo('01'))!.locked).toBe(true);
  });
});

/** A standalone copy (rollback journal) of a small log with operators and inquiries. */
async function sampleDb(): Promise<string> {
  const dir = await tempDir('cashier-cli-verify-');
  cleanups.push(() => removeDir(dir));
  const store = await openStore(dir, { scrypt: FAST_SCRYPT });
  const sup = await store.operators.createFirstSupervisor({
    operatorNo: '01',
    name: 'S',
    password: 'super1',
  });
  await store.operators.create(
    { operatorNo: '02', name: 'C', role: 'cashier', password: 'cash12' },
    sup.id,
  );
  for (let i = 0; i < 300; i++) {
    const id = await store.transactions.begin({
      operatorId: null,
      operatorNo: '02',
      accountKind: 'card',
      maskedAccount: `622202******${String(1000 + i)}`,
      entryMode: 'chip',
      training: false,
    });
    await store.transactions.complete(id, {
      outcome: 'approved',
      responseCode: '00',
      rrn: String(100000000000 + i),
      durationMs: 5,
    });
  }
  const { file } = await store.backup(path.join(dir, 'copies'));
  await store.close();
  return file;
}

describe('cashier log verify', () => {
  it('runs SQLite’s integrity check: a copy with a damaged index page is not "intact"', async () => {
    const file = await sampleDb();
    expect((await run(['log', 'verify', '--db', file])).code).toBe(0);
    // Overwrite the root page of an index the chain walk does not read.
    const db = await SqliteDb.open(file, { readOnly: true });
    const { rootpage } = (await db.get<{ rootpage: number }>(
      "SELECT rootpage FROM sqlite_master WHERE name = 'tx_last4_created'",
    ))!;
    const { page_size } = (await db.get<{ page_size: number }>('PRAGMA page_size'))!;
    await db.close();
    const handle = await open(file, 'r+');
    await handle.write(Buffer.alloc(page_size, 0x41), 0, page_size, (rootpage - 1) * page_size);
    await handle.close();
    const r = await run(['log', 'verify', '--db', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('integrity check failed, the file is damaged');
    expect(r.stdout).toContain('SQLite 完整性检查未通过');
    expect(r.stdout).not.toContain('intact');
    const json = JSON.parse((await run(['log', 'verify', '--db', file, '--json'])).stdout) as {
      integrity: { ok: boolean; findings: string[] };
    };
    expect(json.integrity.ok).toBe(false);
    expect(json.integrity.findings.length).toBeGreaterThan(0);
  });

  it('checks every table, not only the transactions: a damaged chain index page is named', async () => {
    const file = await sampleDb();
    // The daily check runs the transactions table on one connection and the others on a
    // second one; damage on the second's side must be found as well.
    const db = await SqliteDb.open(file, { readOnly: true });
    const { rootpage } = (await db.get<{ rootpage: number }>(
      "SELECT rootpage FROM sqlite_master WHERE name = 'tx_chain_tx'",
    ))!;
    const { page_size } = (await db.get<{ page_size: number }>('PRAGMA page_size'))!;
    await db.close();
    const handle = await open(file, 'r+');
    await handle.write(Buffer.alloc(page_size, 0x41), 0, page_size, (rootpage - 1) * page_size);
    await handle.close();
    const r = await run(['log', 'verify', '--db', file, '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { integrity: { ok: boolean; findings: string[] } };
    expect(json.integrity.ok).toBe(false);
    expect(json.integrity.findings.join('\n')).toMatch(/tx_chain_tx|page/i);
  });

  it('names a hand-edited password hash and a deleted operator', async () => {
    const file = await sampleDb();
    const known = await hashPassword('known-pw', FAST_SCRYPT);
    const raw = await SqliteDb.open(file);
    await raw.exec(
      `UPDATE operators SET password_hash = '${known}' WHERE operator_no = '01';
       PRAGMA foreign_keys = OFF; DELETE FROM operators WHERE operator_no = '02';`,
    );
    await raw.close();
    const r = await run(['log', 'verify', '--db', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Operator 01 (id 1) was changed outside the console: password');
    expect(r.stdout).toContain('操作员 02（编号 2）在收银台之外被删除');
  });
});

describe('a set-up data folder whose database was emptied', () => {
  it('the console refuses to start (no first-run screen); restore mends it', async () => {
    const dir = await lockedOutShop();
    const store = await openStore(dir);
    const { file: backup } = await store.backup(path.join(dir, 'usb'));
    await store.close();
    const db = path.join(dir, 'cashier.sqlite');
    await truncate(db, 0);
    await unlink(`${db}-wal`).catch(() => undefined);
    // The console itself: `cashier serve` must not start on it.
    const serve = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    serve.stdout.on('data', (d: Buffer) => (out += d.toString()));
    serve.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        serve.kill('SIGTERM');
        resolve(null);
      }, 30_000);
      serve.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).not.toContain('is running');
    expect(code).toBe(1);
    expect(out).toContain(`The database ${db} is empty, but this data folder was already set up`);
    expect(out).toContain('cashier restore --from');
    expect(out).not.toMatch(STACK_LINE);
    expect((await run(['log', 'verify', '--data-dir', dir])).code).toBe(1);
    // The engineer restores the backup; the log is back and verifies.
    const restore = await run(['restore', '--from', backup, '--data-dir', dir]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('damaged-');
    const verify = await run(['log', 'verify', '--data-dir', dir]);
    expect(verify.stdout).toContain('intact');
    expect(readdirSync(path.join(dir, 'backups')).some((f) => f.startsWith('damaged-'))).toBe(true);
  });
});

describe.skipIf(process.platform === 'win32')('a data folder this user may not open', () => {
  it('log verify and operators unlock say "permission denied" with the path, no stack', async () => {
    const dir = await lockedOutShop();
    // As root, run the command as "nobody" (root ignores file modes); otherwise chmod 000.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) {
      chmodSync(dir, 0o000);
      cleanups.unshift(async () => chmodSync(dir, 0o700));
    }
    const as = asRoot ? { uid: 65534 } : {};
    const verify = await run(['log', 'verify', '--data-dir', dir], as);
    const unlock = await run(['operators', 'unlock', '01', '--data-dir', dir], as);
    for (const r of [verify, unlock]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`没有访问权限：${dir}`);
      expect(r.stderr).toContain(`Permission denied: ${dir}`);
      expect(r.stderr).not.toContain('未找到数据库文件');
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    expect(existsSync(path.join(dir, 'cashier.sqlite'))).toBe(true);
  });
});
