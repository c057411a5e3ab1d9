// Hand edits to the operators table (a SQLite browser, the sqlite3 shell) are detected: every
// operator write records a digest of the row in the audit chain, and verify compares.
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src-main/store';
import { hashPassword } from '../../../src-main/store/passwords';
import { SqliteDb } from '../../../src-main/store/sqlite';
import { FAST_SCRYPT, removeDir, tempDir } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A store whose operators went through every kind of write the console makes. */
async function busyStore(): Promise<Store> {
  const dir = await tempDir('cashier-opverify-');
  cleanups.push(() => removeDir(dir));
  const store = await openStore(dir, { scrypt: FAST_SCRYPT });
  cleanups.unshift(() => store.close());
  const sup = await store.operators.createFirstSupervisor({
    operatorNo: '01',
    name: 'S',
    password: 'super1',
  });
  const c = await store.operators.create(
    { operatorNo: '02', name: 'C', role: 'cashier', password: 'cash12' },
    sup.id,
  );
  await store.operators.create(
    { operatorNo: '03', name: 'D', role: 'cashier', password: 'cash34' },
    sup.id,
  );
  const opts = { passwordMaxAgeDays: 0 };
  await store.operators.authenticate('01', 'super1', opts);
  for (let i = 0; i < 5; i++) await store.operators.authenticate('02', 'wrong-pw', opts);
  await store.operators.authenticate('02', 'cash12', opts); // refused: locked
  await store.operators.unlock(c.id, sup.id);
  await store.operators.authenticate('03', 'wrong-pw', opts);
  await store.operators.resetPassword(c.id, sup.id, 'temp123');
  await store.operators.changePassword(c.id, 'temp123', 'mine123');
  await store.operators.unlockWithoutSupervisor('03', { source: 'cli' });
  return store;
}

async function tamper(store: Store, sql: string): Promise<void> {
  const raw = await SqliteDb.open(store.file);
  await raw.exec(sql);
  await raw.close();
}

describe('operators table check', () => {
  it('finds nothing wrong after the console’s own writes', async () => {
    const store = await busyStore();
    expect(await store.operators.verify()).toEqual({ ok: true, checked: 3, problems: [] });
  });

  it('names an edited password hash, role and lock state, part by part', async () => {
    const store = await busyStore();
    const known = await hashPassword('known-pw', FAST_SCRYPT);
    await tamper(
      store,
      `UPDATE operators SET password_hash = '${known}' WHERE operator_no = '02';
       UPDATE operators SET role = 'supervisor' WHERE operator_no = '03';`,
    );
    // Operator 01 is locked out through the console, then the lock is cleared by hand.
    for (let i = 0; i < 5; i++)
      await store.operators.authenticate('01', 'wrong-pw', { passwordMaxAgeDays: 0 });
    await tamper(
      store,
      `UPDATE operators SET locked = 0, locked_until = NULL WHERE operator_no = '01'`,
    );
    const report = await store.operators.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.operatorNo, p.kind, p.parts])).toEqual([
      ['01', 'edited', ['lock']],
      ['02', 'edited', ['password']],
      ['03', 'edited', ['identity']],
    ]);
    expect(report.problems[1]!.message).toContain(
      'Operator 02 (id 2) was changed outside the console: password',
    );
    expect(report.problems[1]!.messageZh).toContain('操作员 02（编号 2）在收银台之外被修改：密码');
  });

  it('names a deleted and an inserted operator row', async () => {
    const store = await busyStore();
    const hash = await hashPassword('sneaky1', FAST_SCRYPT);
    await tamper(
      store,
      `PRAGMA foreign_keys = OFF;
       DELETE FROM operators WHERE operator_no = '03';
       INSERT INTO operators (operator_no, name, role, password_hash, password_changed_at, created_at)
         VALUES ('09', 'X', 'supervisor', '${hash}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');`,
    );
    const report = await store.operators.verify();
    expect(report.problems.map((p) => [p.operatorNo, p.kind])).toEqual([
      ['03', 'deleted'],
      ['09', 'unrecorded'],
    ]);
    expect(report.problems[1]!.message).toContain('was added outside the console');
  });

  it('a digest cannot be planted through audit.record()', async () => {
    const store = await busyStore();
    await store.audit.record({
      kind: 'config-change',
      row: { id: 1, no: '01', digest: '0.0.0' },
    } as Parameters<Store['audit']['record']>[0]);
    expect((await store.operators.verify()).ok).toBe(true);
  });
});
