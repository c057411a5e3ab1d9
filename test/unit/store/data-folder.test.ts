// The data folder remembers it was set up: a missing, emptied or unreadable database there is
// refused (never silently replaced by a new, empty log), and files are private to the user.
import { existsSync, statSync } from 'node:fs';
import { chmod, readFile, readdir, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openStore,
  restoreDatabaseFile,
  setupMarkerFile,
  StoreError,
  type Store,
} from '../../../src-main/store';
import { MIGRATIONS } from '../../../src-main/store/migrations';
import { SqliteDb } from '../../../src-main/store/sqlite';
import { FAST_SCRYPT, removeDir, tempDir } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function folder(): Promise<string> {
  const dir = await tempDir('cashier-folder-');
  cleanups.push(() => removeDir(dir));
  return dir;
}

/** A set-up data folder with one supervisor and one inquiry; closed again. */
async function setUpFolder(): Promise<{ dir: string; file: string }> {
  const dir = await folder();
  const store = await openStore(dir, { scrypt: FAST_SCRYPT });
  await store.operators.createFirstSupervisor({ operatorNo: '01', name: 'S', password: 'super1' });
  const id = await store.transactions.begin({
    operatorId: null,
    operatorNo: '01',
    accountKind: 'card',
    maskedAccount: '622202******1234',
    entryMode: 'chip',
    training: false,
  });
  await store.transactions.complete(id, { outcome: 'approved', responseCode: '00', durationMs: 5 });
  await store.close();
  return { dir, file: path.join(dir, 'cashier.sqlite') };
}

async function refusal(p: Promise<Store>): Promise<StoreError> {
  const err = await p.then(
    async (s) => {
      await s.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('a data folder that was set up', () => {
  it('refuses a 0-byte database: no first-run screen, the file stays as it was', async () => {
    const { dir, file } = await setUpFolder();
    await truncate(file, 0);
    await unlink(`${file}-wal`).catch(() => undefined);
    const err = await refusal(openStore(dir));
    expect(err.code).toBe('DATABASE_MISSING');
    expect(err.message).toContain(file);
    expect(err.message).toContain('cashier restore --from');
    expect(err.message).toContain('To start over on purpose');
    expect(err.messageZh).toContain('是空文件');
    expect(err.messageZh).toContain('请用最近的备份恢复');
    expect((await stat(file)).size).toBe(0);
    // Read-only (log verify) says the same.
    expect((await refusal(openStore(dir, { readOnly: true }))).code).toBe('DATABASE_MISSING');
  });

  it('refuses a missing database and does not create one', async () => {
    const { dir, file } = await setUpFolder();
    await unlink(file);
    const err = await refusal(openStore(dir));
    expect(err.code).toBe('DATABASE_MISSING');
    expect(err.messageZh).toContain('不存在');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses an unreadable database with the path and what to do', async () => {
    const { dir, file } = await setUpFolder();
    await writeFile(file, Buffer.alloc(8192, 0x5a));
    const err = await refusal(openStore(dir));
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toContain(file);
    expect(err.message).toContain('cashier restore');
    expect(err.messageZh).toContain('已损坏');
    expect((await readFile(file)).equals(Buffer.alloc(8192, 0x5a))).toBe(true);
  });

  it('is marked when the database is first created, and an older folder is marked on first open', async () => {
    const dir = await folder();
    const store = await openStore(dir, { scrypt: FAST_SCRYPT });
    await store.close();
    const marker = setupMarkerFile(store.file);
    expect(JSON.parse(await readFile(marker, 'utf8'))).toMatchObject({
      database: 'cashier.sqlite',
    });
    // A folder from before the marker existed: its database is adopted, then protected.
    await unlink(marker);
    const again = await openStore(dir);
    await again.close();
    expect(existsSync(marker)).toBe(true);
  });

  it('restoreDatabaseFile puts a backup in place of an emptied database and keeps the empty file aside', async () => {
    const { dir, file } = await setUpFolder();
    const store = await openStore(dir);
    const usb = path.join(dir, 'usb');
    const { file: backup } = await store.backup(usb);
    await store.close();
    await truncate(file, 0);
    const r = await restoreDatabaseFile(file, backup);
    expect(r.transactions).toBe(1);
    expect(r.setAside.some((f) => /backups\/damaged-.*-cashier\.sqlite$/.test(f))).toBe(true);
    const back = await openStore(dir);
    cleanups.unshift(() => back.close());
    expect(await back.operators.count()).toBe(1);
    expect((await back.transactions.verify()).ok).toBe(true);
    expect(await back.audit.list({ kind: 'restore' })).toHaveLength(1);
  });
});

describe('a new data folder', () => {
  it('sets aside a -wal left over from an earlier database instead of replaying it', async () => {
    const dir = await folder();
    const file = path.join(dir, 'cashier.sqlite');
    await writeFile(`${file}-wal`, Buffer.alloc(4096, 1));
    const store = await openStore(dir);
    await store.close();
    const aside = await readdir(path.join(dir, 'backups'));
    expect(aside.some((f) => /^stale-.*-cashier\.sqlite-wal$/.test(f))).toBe(true);
  });
});

describe.skipIf(process.platform === 'win32')('file modes (POSIX)', () => {
  it('creates the folder 0700 and the database, -wal, -shm and marker 0600', async () => {
    const parent = await folder();
    const dir = path.join(parent, 'data');
    const store = await openStore(dir, { scrypt: FAST_SCRYPT });
    cleanups.unshift(() => store.close());
    await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    expect(mode(dir)).toBe(0o700);
    for (const f of [store.file, `${store.file}-wal`, `${store.file}-shm`]) {
      expect(mode(f), f).toBe(0o600);
    }
    expect(mode(setupMarkerFile(store.file))).toBe(0o600);
    // A backup holds the whole log too.
    const { file } = await store.backup(path.join(dir, 'backups'));
    expect(mode(file)).toBe(0o600);
    expect(mode(path.join(dir, 'backups'))).toBe(0o700);
  });

  it('tightens the files of an existing install (0644 database and journals) at start', async () => {
    const dir = await folder();
    const first = await openStore(dir);
    await first.close();
    const file = path.join(dir, 'cashier.sqlite');
    await chmod(file, 0o644);
    await writeFile(`${file}-shm`, Buffer.alloc(0));
    await chmod(`${file}-shm`, 0o666);
    // Read-only for everyone: group and other lose it, the owner gains nothing.
    await chmod(setupMarkerFile(file), 0o444);
    const store = await openStore(dir);
    cleanups.unshift(() => store.close());
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    expect(mode(setupMarkerFile(file))).toBe(0o400);
  });
});

describe('an older database (schema 2)', () => {
  it('gets lock time limits and the operators baseline when upgraded', async () => {
    const dir = await folder();
    const file = path.join(dir, 'cashier.sqlite');
    const raw = await SqliteDb.open(file);
    await raw.exec(`${MIGRATIONS[0] as string}${MIGRATIONS[1] as string} PRAGMA user_version = 2;`);
    await raw.run(
      `INSERT INTO operators (operator_no, name, role, password_hash, password_changed_at, failed_attempts, locked, created_at)
       VALUES ('01', 'S', 'supervisor', 'scrypt$1024$8$1$AAAA$BBBB', '2026-01-01T00:00:00.000Z', 5, 1, '2026-01-01T00:00:00.000Z')`,
    );
    await raw.close();
    const at = new Date('2026-06-01T08:00:00Z');
    const store = await openStore(dir, { now: () => at });
    cleanups.unshift(() => store.close());
    // Locked under the old rule (until a supervisor came): now it ends in 5 minutes.
    expect(await store.operators.findByNo('01')).toMatchObject({
      locked: true,
      lockedUntil: '2026-06-01T08:05:00.000Z',
    });
    expect(await store.audit.list({ kind: 'operator-baseline' })).toHaveLength(1);
    expect(await store.operators.verify()).toMatchObject({ ok: true, checked: 1 });
  });
});
