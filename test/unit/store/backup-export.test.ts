import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackupFile, StoreError, type Store } from '../../../src-main/store';
import { csvCell, yuan } from '../../../src-main/store/csv';
import { freshStore, removeDir, tempDir } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(now?: () => Date): Promise<{ store: Store; dir: string }> {
  const { store, dir, cleanup } = await freshStore(now ? { now } : {});
  cleanups.push(cleanup);
  return { store, dir };
}

async function inquiry(store: Store, last4: string, fen: number): Promise<number> {
  const id = await store.transactions.begin({
    operatorId: null,
    operatorNo: '01',
    accountKind: 'card',
    maskedAccount: `622202******${last4}`,
    entryMode: 'swipe',
    stan: '000001',
    training: false,
  });
  await store.transactions.complete(id, {
    outcome: 'approved',
    responseCode: '00',
    rrn: '000000000001',
    ledgerFen: fen,
    availableFen: fen,
    currency: 'CNY',
    durationMs: 5,
  });
  return id;
}

async function errorOf(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe('CSV export', () => {
  it('writes a BOM, bilingual headers, CRLF rows in local time, and audits the export', async () => {
    let t = Date.parse('2026-06-01T01:00:00Z');
    const { store, dir } = await setup(() => new Date(t));
    await inquiry(store, '1111', 123456);
    t += 3600_000;
    await inquiry(store, '2222', -50);
    t += 3600_000;
    await inquiry(store, '3333', 1);
    const out = path.join(dir, '导出.csv');
    const result = await store.exportCsv({
      out,
      from: '2026-06-01T01:30:00Z',
      to: '2026-06-01T03:30:00Z',
      utcOffsetMinutes: 480,
      operatorNo: '01',
    });
    expect(result.rows).toBe(2);
    const bytes = await readFile(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines).toHaveLength(4); // header, 2 rows, trailing empty
    expect(lines[0]).toContain('时间 Time');
    expect(lines[1]).toContain('2026-06-01 10:00:00');
    expect(lines[1]).toContain('622202******2222');
    expect(lines[1]).toContain(',-0.50,');
    expect(lines[2]).toContain(',0.01,');
    expect(lines[3]).toBe('');
    expect(await readdir(dir)).not.toContain(expect.stringContaining('.part'));
    const audit = await store.audit.list({ kind: 'export' });
    expect(audit[0]!.detail).toMatchObject({ file: '导出.csv', rows: 2 });
  });

  it('formats amounts and defuses spreadsheet formulas', () => {
    expect(yuan(123456)).toBe('1234.56');
    expect(yuan(-5)).toBe('-0.05');
    expect(yuan(null)).toBe('');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('a,b')).toBe('"a,b"');
  });

  it('reports an unwritable destination as a typed error and writes nothing', async () => {
    const { store, dir } = await setup();
    const err = await errorOf(store.exportCsv({ out: path.join(dir, 'missing-folder', 'x.csv') }));
    expect(err.code).toBe('IO_ERROR');
    expect(await store.audit.list({ kind: 'export' })).toHaveLength(0);
  });
});

describe('backup and restore', () => {
  it('backs up online to a folder, integrity-checked and audited', async () => {
    const { store } = await setup(() => new Date('2026-06-01T12:34:56Z'));
    await inquiry(store, '1111', 100);
    const dest = await tempDir();
    cleanups.push(() => removeDir(dest));
    const result = await store.backup(path.join(dest, 'usb'), { operatorNo: '01' });
    expect(path.basename(result.file)).toBe('cashier-20260601-123456.sqlite');
    expect(result.transactions).toBe(1);
    expect(existsSync(`${result.file}-wal`)).toBe(false);
    expect(await checkBackupFile(result.file)).toMatchObject({ transactions: 1 });
    // A second backup in the same second gets its own name.
    const again = await store.backup(path.join(dest, 'usb'));
    expect(again.file).not.toBe(result.file);
    expect(await store.audit.list({ kind: 'backup' })).toHaveLength(2);
  });

  it('restores a backup: later rows disappear, the chain verifies, the restore is audited', async () => {
    const { store, dir } = await setup();
    await inquiry(store, '1111', 100);
    const dest = await tempDir();
    cleanups.push(() => removeDir(dest));
    const { file } = await store.backup(dest);
    await inquiry(store, '2222', 200);
    expect((await store.transactions.search()).rows).toHaveLength(2);

    const result = await store.restore(file, { operatorId: 1, operatorNo: '01' });
    expect(result.transactions).toBe(1);
    expect(path.dirname(result.savedCurrentAs)).toBe(path.join(dir, 'backups'));
    expect(await checkBackupFile(result.savedCurrentAs)).toMatchObject({ transactions: 2 });
    expect((await store.transactions.search()).rows.map((r) => r.last4)).toEqual(['1111']);
    expect((await store.transactions.verify()).ok).toBe(true);
    expect(await store.audit.list({ kind: 'restore' })).toHaveLength(1);
    // The store keeps working after a restore.
    await inquiry(store, '3333', 300);
    expect((await store.transactions.verify()).ok).toBe(true);
  });

  it('refuses a broken or foreign file and leaves the live database alone', async () => {
    const { store } = await setup();
    await inquiry(store, '1111', 100);
    const dest = await tempDir();
    cleanups.push(() => removeDir(dest));
    const { file } = await store.backup(dest);

    // Damage the middle of a copy of the backup.
    const bytes = await readFile(file);
    const broken = path.join(dest, 'broken.sqlite');
    const damaged = Buffer.from(bytes);
    for (let i = 4096 + 100; i < Math.min(damaged.length, 4096 * 3); i++) damaged[i] = 0x5a;
    await writeFile(broken, damaged);
    expect((await errorOf(store.restore(broken))).code).toBe('CORRUPT');

    const text = path.join(dest, 'notes.sqlite');
    await writeFile(text, 'this is not a database at all, just some text'.repeat(200));
    const notDb = await errorOf(store.restore(text));
    expect(notDb.code).toBe('CORRUPT');
    expect(notDb.messageZh).toContain('不是可用的备份文件');

    expect((await errorOf(store.restore(path.join(dest, 'nope.sqlite')))).code).toBe('NOT_FOUND');
    expect((await errorOf(store.restore(store.file))).code).toBe('BAD_INPUT');
    expect((await store.transactions.search()).rows).toHaveLength(1);
    expect(await store.audit.list({ kind: 'restore' })).toHaveLength(0);
  });
});
