// A full disk, a read-only disk and a folder this user may not open are named as such, with
// the path, in both languages: never "internal error" or a stack trace.
//
// Real cases where the machine allows them: as root, a tiny tmpfs fills up for real and a
// tmpfs remounted read-only is read-only for root too (root ignores file modes, so chmod
// cannot make one); as another user, chmod does. SQLite's own limits (max_page_count, the
// read-only open flag) cover the same translation where nothing can be mounted.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toApiError } from '../../../src-main/core/errors';
import { openStore, StoreError, type Store } from '../../../src-main/store';
import { SqliteDb } from '../../../src-main/store/sqlite';
import { FAST_SCRYPT, removeDir, tempDir } from './helpers';

const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];

/** Mounts a tmpfs of `size` on a new folder, or undefined when this machine does not allow it. */
function mountTmpfs(size: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
    mounts.push(dir);
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const probe = mountTmpfs('64k');
const canMount = probe !== undefined;

afterAll(() => {
  for (const dir of mounts.reverse()) {
    try {
      execFileSync('umount', [dir], { stdio: 'ignore' });
    } catch {
      // Already unmounted.
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function failure(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

function fillUntilFull(store: Store): Promise<unknown> {
  return (async () => {
    for (let i = 0; i < 100_000; i++) {
      await store.audit.record({ kind: 'config-change', detail: { pad: 'x'.repeat(2000), i } });
    }
  })();
}

describe('a full disk', () => {
  it.skipIf(!canMount)('a 256 KiB tmpfs: DISK_FULL naming the database, zh + en', async () => {
    const mnt = mountTmpfs('256k')!;
    const dir = path.join(mnt, 'data');
    const store = await openStore(dir, { scrypt: FAST_SCRYPT });
    cleanups.push(() => store.close().catch(() => undefined));
    const err = await failure(fillUntilFull(store));
    expect(err.code).toBe('DISK_FULL');
    expect(err.message).toContain(`The disk holding the database is full: ${store.file}`);
    expect(err.messageZh).toContain(`数据库所在磁盘已满：${store.file}`);
    // What the console shows for it: the same words, not "internal error".
    const api = toApiError(err);
    expect(api.code).not.toBe('INTERNAL');
    expect(api.messageZh).toContain('磁盘已满');
  });

  it("SQLite's own SQLITE_FULL (max_page_count) becomes DISK_FULL too", async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const file = path.join(dir, 'full.sqlite');
    const db = await SqliteDb.open(file);
    cleanups.unshift(() => db.close());
    await db.exec('CREATE TABLE t (x BLOB)');
    const { page_count } = (await db.get<{ page_count: number }>('PRAGMA page_count'))!;
    await db.get(`PRAGMA max_page_count = ${page_count}`);
    const err = await failure(db.run('INSERT INTO t VALUES (zeroblob(100000))'));
    expect(err.code).toBe('DISK_FULL');
    expect(err.message).toContain(file);
    expect(err.details).toMatchObject({ cause: 'SQLITE_FULL' });
  });
});

describe('a read-only data folder', () => {
  const realCase = canMount ? 'a tmpfs remounted read-only' : !isRoot ? 'chmod 0500 / 0400' : '';

  it.skipIf(!realCase)(`${realCase}: READ_ONLY naming the folder`, async () => {
    const base = canMount ? mountTmpfs('4m')! : await tempDir();
    if (!canMount) cleanups.push(() => removeDir(base));
    const dir = path.join(base, 'data');
    const first = await openStore(dir, { scrypt: FAST_SCRYPT });
    await first.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    await first.close();
    if (canMount) {
      execFileSync('mount', ['-o', 'remount,ro', base]);
    } else {
      chmodSync(path.join(dir, 'cashier.sqlite'), 0o400);
      chmodSync(dir, 0o500);
      cleanups.push(async () => chmodSync(dir, 0o700));
    }
    const err = await failure(openStore(dir));
    expect(['READ_ONLY', 'NO_ACCESS']).toContain(err.code);
    expect(err.message).toContain(dir);
    expect(err.messageZh).toContain(dir);
    expect(err.messageZh).toMatch(/只读|没有访问权限/);
  });

  it("a write through SQLite's read-only open flag: READ_ONLY, not a raw error", async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const rw = await openStore(dir, { scrypt: FAST_SCRYPT });
    await rw.close();
    const ro = await openStore(dir, { readOnly: true });
    cleanups.unshift(() => ro.close());
    const err = await failure(ro.audit.record({ kind: 'logout' }));
    expect(err.code).toBe('READ_ONLY');
    expect(err.message).toContain(ro.file);
    expect(err.messageZh).toContain('数据库只能读取、无法写入');
  });
});

describe('a folder this user may not open', () => {
  it.skipIf(isRoot || process.platform === 'win32')(
    'chmod 000: NO_ACCESS naming the folder (as root, see test/unit/cli/data-folder.test.ts)',
    async () => {
      const base = await tempDir();
      cleanups.push(() => removeDir(base));
      const dir = path.join(base, 'data');
      mkdirSync(dir);
      const store = await openStore(dir);
      await store.close();
      chmodSync(dir, 0o000);
      cleanups.unshift(async () => chmodSync(dir, 0o700));
      const err = await failure(openStore(dir));
      expect(err.code).toBe('NO_ACCESS');
      expect(err.messageZh).toContain(`没有访问权限：${dir}`);
    },
  );
});
