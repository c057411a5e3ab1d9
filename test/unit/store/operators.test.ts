import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, StoreError, type Store } from '../../../src-main/store';
import { hashPassword, verifyPassword } from '../../../src-main/store/passwords';
import { FAST_SCRYPT, freshStore, removeDir, tempDir } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(now?: () => Date): Promise<Store> {
  const { store, cleanup } = await freshStore(now ? { now } : {});
  cleanups.push(cleanup);
  return store;
}

async function expectStoreError(p: Promise<unknown>, code: string): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  expect((err as StoreError).code).toBe(code);
  expect((err as StoreError).messageZh.length).toBeGreaterThan(0);
  return err as StoreError;
}

describe('openStore', () => {
  it('creates the folder and cashier.sqlite by default', async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const nested = path.join(dir, 'a', 'b');
    const store = await openStore(nested);
    cleanups.unshift(() => store.close());
    expect(store.file).toBe(path.join(nested, 'cashier.sqlite'));
    expect(existsSync(store.file)).toBe(true);
    expect(await store.operators.count()).toBe(0);
  });
});

describe('passwords', () => {
  it('hashes with scrypt, a random salt and stored parameters', async () => {
    const a = await hashPassword('secret-1', FAST_SCRYPT);
    const b = await hashPassword('secret-1', FAST_SCRYPT);
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('secret-1', a)).toBe(true);
    expect(await verifyPassword('secret-2', a)).toBe(false);
    expect(await verifyPassword('secret-1', 'garbage')).toBe(false);
  });
});

describe('operators', () => {
  it('creates the first supervisor once, then refuses with ALREADY_SET_UP', async () => {
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '0001',
      name: ' 王主管 ',
      password: 'abc123',
    });
    expect(sup).toMatchObject({
      operatorNo: '0001',
      name: '王主管',
      role: 'supervisor',
      locked: false,
    });
    expect(await store.operators.count()).toBe(1);
    await expectStoreError(
      store.operators.createFirstSupervisor({ operatorNo: '0002', name: 'x', password: 'abc123' }),
      'ALREADY_SET_UP',
    );
    const audit = await store.audit.list({ kind: 'operator-created' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ operatorNo: '0001', firstRun: true });
  });

  it('enforces the password rules with zh and en messages', async () => {
    const store = await setup();
    const short = await expectStoreError(
      store.operators.createFirstSupervisor({ operatorNo: '0001', name: 'a', password: 'abc12' }),
      'WEAK_PASSWORD',
    );
    expect(short.message).toContain('6 to 64 characters');
    expect(short.messageZh).toContain('6到64个字符');
    await expectStoreError(
      store.operators.createFirstSupervisor({
        operatorNo: '0001',
        name: 'a',
        password: 'x'.repeat(65),
      }),
      'WEAK_PASSWORD',
    );
    const same = await expectStoreError(
      store.operators.createFirstSupervisor({ operatorNo: '0001', name: 'a', password: '888888' }),
      'WEAK_PASSWORD',
    );
    expect(same.messageZh).toContain('同一个字符');
    const asNo = await expectStoreError(
      store.operators.createFirstSupervisor({
        operatorNo: '123456',
        name: 'a',
        password: '123456',
      }),
      'WEAK_PASSWORD',
    );
    expect(asNo.message).toContain('operator number');
    await expectStoreError(
      store.operators.createFirstSupervisor({ operatorNo: 'ab', name: 'a', password: 'abc123' }),
      'BAD_INPUT',
    );
    expect(await store.operators.count()).toBe(0);
  });

  it('lets only a supervisor create operators; operator numbers are unique', async () => {
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    const cashier = await store.operators.create(
      { operatorNo: '02', name: '李收银', role: 'cashier', password: 'cash12' },
      sup.id,
    );
    expect(cashier.role).toBe('cashier');
    await expectStoreError(
      store.operators.create(
        { operatorNo: '03', name: 'X', role: 'cashier', password: 'cash12' },
        cashier.id,
      ),
      'FORBIDDEN',
    );
    await expectStoreError(
      store.operators.create(
        { operatorNo: '02', name: 'X', role: 'cashier', password: 'cash12' },
        sup.id,
      ),
      'DUPLICATE',
    );
    expect((await store.operators.list()).map((o) => o.operatorNo)).toEqual(['01', '02']);
  });

  it('authenticates, reports unknown and wrong passwords, and audits each attempt', async () => {
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    const ok = await store.operators.authenticate('01', 'super1', { passwordMaxAgeDays: 90 });
    expect(ok).toEqual({
      ok: true,
      operator: expect.objectContaining({ id: sup.id }),
      mustChangePassword: false,
      mustChangeReason: null,
      passwordExpiresInDays: 90,
    });
    expect(await store.operators.authenticate('99', 'super1', { passwordMaxAgeDays: 90 })).toEqual({
      ok: false,
      reason: 'unknown',
    });
    expect(await store.operators.authenticate('01', 'nope12', { passwordMaxAgeDays: 90 })).toEqual({
      ok: false,
      reason: 'wrong-password',
      remainingTries: 4,
    });
    const kinds = (await store.audit.list()).map((e) => e.kind);
    expect(kinds.sort()).toEqual(['login', 'login-failed', 'login-failed', 'operator-created']);
    const logins = await store.audit.list({ kind: 'login-failed' });
    expect(logins.every((e) => JSON.stringify(e).includes('super1') === false)).toBe(true);
  });

  it('locks after 5 failures in a row; a supervisor can unlock at once; a success resets the count', async () => {
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    const c = await store.operators.create(
      { operatorNo: '02', name: 'C', role: 'cashier', password: 'cash12' },
      sup.id,
    );
    const opts = { passwordMaxAgeDays: 0 };
    // 4 failures then a success: the count starts again.
    for (let i = 0; i < 4; i++) await store.operators.authenticate('02', 'wrong1', opts);
    expect((await store.operators.authenticate('02', 'cash12', opts)).ok).toBe(true);
    const tries: unknown[] = [];
    for (let i = 0; i < 5; i++)
      tries.push(await store.operators.authenticate('02', 'wrong1', opts));
    expect(tries[3]).toEqual({ ok: false, reason: 'wrong-password', remainingTries: 1 });
    expect(tries[4]).toMatchObject({ ok: false, reason: 'locked', remainingTries: 0 });
    // Even the right password is refused now.
    expect(await store.operators.authenticate('02', 'cash12', opts)).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect((await store.operators.get(c.id))!.locked).toBe(true);
    expect(await store.audit.list({ kind: 'lockout' })).toHaveLength(1);
    // A cashier cannot unlock; a supervisor can.
    await expectStoreError(store.operators.unlock(c.id, c.id), 'FORBIDDEN');
    await store.operators.unlock(c.id, sup.id);
    expect((await store.operators.authenticate('02', 'cash12', opts)).ok).toBe(true);
    expect(await store.audit.list({ kind: 'unlock' })).toHaveLength(1);
  });

  it('counts concurrent failed logins without losing any', async () => {
    const store = await setup();
    await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.operators.authenticate('01', 'wrong1', { passwordMaxAgeDays: 0 }),
      ),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'locked')).toHaveLength(1);
    expect((await store.operators.findByNo('01'))!.locked).toBe(true);
  });

  it('asks for a password change when it is older than passwordMaxAgeDays (0 = never)', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const store = await setup(() => clock);
    await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    clock = new Date('2026-01-30T23:59:59Z');
    expect(
      await store.operators.authenticate('01', 'super1', { passwordMaxAgeDays: 30 }),
    ).toMatchObject({
      ok: true,
      mustChangePassword: false,
    });
    clock = new Date('2026-01-31T00:00:00Z');
    expect(
      await store.operators.authenticate('01', 'super1', { passwordMaxAgeDays: 30 }),
    ).toMatchObject({
      ok: true,
      mustChangePassword: true,
    });
    expect(
      await store.operators.authenticate('01', 'super1', { passwordMaxAgeDays: 0 }),
    ).toMatchObject({
      ok: true,
      mustChangePassword: false,
    });
  });

  it('changes a password only with the right old one and a valid new one', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const store = await setup(() => clock);
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    await expectStoreError(
      store.operators.changePassword(sup.id, 'wrong1', 'newpass1'),
      'WRONG_PASSWORD',
    );
    await expectStoreError(
      store.operators.changePassword(sup.id, 'super1', '11111111'),
      'WEAK_PASSWORD',
    );
    await expectStoreError(
      store.operators.changePassword(sup.id, 'super1', 'super1'),
      'WEAK_PASSWORD',
    );
    clock = new Date('2026-03-01T00:00:00Z');
    await store.operators.changePassword(sup.id, 'super1', 'newpass1');
    expect((await store.operators.get(sup.id))!.passwordChangedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(
      (await store.operators.authenticate('01', 'super1', { passwordMaxAgeDays: 30 })).ok,
    ).toBe(false);
    expect(
      await store.operators.authenticate('01', 'newpass1', { passwordMaxAgeDays: 30 }),
    ).toMatchObject({
      ok: true,
      mustChangePassword: false,
    });
    expect(await store.audit.list({ kind: 'password-change' })).toHaveLength(1);
  });

  it('a supervisor reset unlocks and forces a change at next login', async () => {
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    const c = await store.operators.create(
      { operatorNo: '02', name: 'C', role: 'cashier', password: 'cash12' },
      sup.id,
    );
    for (let i = 0; i < 5; i++)
      await store.operators.authenticate('02', 'wrong1', { passwordMaxAgeDays: 0 });
    await expectStoreError(store.operators.resetPassword(c.id, c.id, 'temp123'), 'FORBIDDEN');
    await store.operators.resetPassword(c.id, sup.id, 'temp123');
    expect(
      await store.operators.authenticate('02', 'temp123', { passwordMaxAgeDays: 0 }),
    ).toMatchObject({
      ok: true,
      mustChangePassword: true,
    });
    await store.operators.changePassword(c.id, 'temp123', 'mine123');
    expect(
      await store.operators.authenticate('02', 'mine123', { passwordMaxAgeDays: 0 }),
    ).toMatchObject({
      ok: true,
      mustChangePassword: false,
    });
    await expectStoreError(store.operators.unlock(999, sup.id), 'NOT_FOUND');
  });

  it('keeps operators across reopen; passwords are not stored in clear', async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const a = await openStore(dir, { scrypt: FAST_SCRYPT });
    await a.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'Pa55word-unique',
    });
    await a.close();
    const b = await openStore(dir);
    cleanups.unshift(() => b.close());
    expect(
      (await b.operators.authenticate('01', 'Pa55word-unique', { passwordMaxAgeDays: 0 })).ok,
    ).toBe(true);
    const { readFile } = await import('node:fs/promises');
    for (const f of [b.file, `${b.file}-wal`]) {
      const bytes = existsSync(f) ? await readFile(f) : Buffer.alloc(0);
      expect(bytes.includes(Buffer.from('Pa55word-unique'))).toBe(false);
    }
  });
});

describe('audit', () => {
  it('records, filters and masks card numbers in details', async () => {
    let clock = new Date('2026-05-01T10:00:00Z');
    const store = await setup(() => clock);
    await store.audit.record({
      kind: 'config-change',
      operatorId: null,
      operatorNo: '01',
      detail: { key: 'printer' },
    });
    clock = new Date('2026-05-02T10:00:00Z');
    await store.audit.record({ kind: 'export', detail: { note: 'card 6222020000001234 shown' } });
    const all = await store.audit.list();
    expect(all.map((e) => e.kind)).toEqual(['export', 'config-change']);
    expect(all[0]!.detail).toEqual({ note: 'card 622202******1234 shown' });
    expect(await store.audit.list({ from: '2026-05-02T00:00:00Z' })).toHaveLength(1);
    expect(await store.audit.list({ to: new Date('2026-05-02T00:00:00Z') })).toHaveLength(1);
    expect(await store.audit.list({ limit: 1, offset: 1 })).toEqual([all[1]]);
    await expectStoreError(store.audit.record({ kind: 'nonsense' as never }), 'BAD_INPUT');
  });

  it('verifies its hash chain and names edited and deleted entries', async () => {
    const store = await setup();
    for (let i = 0; i < 5; i++) await store.audit.record({ kind: 'config-change', detail: { i } });
    expect(await store.audit.verify()).toEqual({ checked: 5, problems: [] });
    const { SqliteDb } = await import('../../../src-main/store/sqlite');
    const raw = await SqliteDb.open(store.file);
    await raw.exec(
      `UPDATE audit SET detail = '{"i":42}' WHERE id = 2; DELETE FROM audit WHERE id = 4;`,
    );
    await raw.close();
    expect((await store.audit.verify()).problems).toEqual([
      { auditId: 2, problem: 'edited' },
      { auditId: 5, problem: 'missing-before' },
    ]);
  });
});

describe('schema versions', () => {
  it('refuses a database written by a newer app, in zh and en, without touching it', async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const first = await openStore(dir, { scrypt: FAST_SCRYPT });
    await first.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    await first.close();
    const { SqliteDb } = await import('../../../src-main/store/sqlite');
    const { SCHEMA_VERSION } = await import('../../../src-main/store');
    const raw = await SqliteDb.open(path.join(dir, 'cashier.sqlite'));
    await raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    await raw.close();
    const err = await expectStoreError(openStore(dir), 'SCHEMA_TOO_NEW');
    expect(err.message).toContain('newer version');
    expect(err.messageZh).toContain('更新版本');
    const again = await SqliteDb.open(path.join(dir, 'cashier.sqlite'));
    expect(await again.get('PRAGMA user_version')).toEqual({ user_version: SCHEMA_VERSION + 1 });
    await again.close();
  });

  it('opens read-only without changing the file, and refuses writes', async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const rw = await openStore(dir, { scrypt: FAST_SCRYPT });
    await rw.operators.createFirstSupervisor({ operatorNo: '01', name: 'S', password: 'super1' });
    await rw.close();
    const ro = await openStore(dir, { readOnly: true });
    cleanups.unshift(() => ro.close());
    expect(await ro.operators.count()).toBe(1);
    expect((await ro.transactions.verify()).ok).toBe(true);
    await expect(ro.audit.record({ kind: 'logout' })).rejects.toThrow(/readonly/i);
    await expectStoreError(openStore(path.join(dir, 'missing'), { readOnly: true }), 'NOT_FOUND');
  });

  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout', async () => {
    const store = await setup();
    const { SCHEMA_VERSION } = await import('../../../src-main/store');
    expect(await store.info()).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      journalMode: 'wal',
      synchronous: 2,
      foreignKeys: true,
      busyTimeoutMs: 5000,
    });
  });
});

describe('sensitive input in login attempts', () => {
  it('does not keep a card number typed into the operator number field', async () => {
    const store = await setup();
    await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    expect(
      await store.operators.authenticate('6222021234567890123', 'whatever', {
        passwordMaxAgeDays: 0,
      }),
    ).toEqual({
      ok: false,
      reason: 'unknown',
    });
    const [entry] = await store.audit.list({ kind: 'login-failed' });
    expect(entry!.operatorNo).toBeNull();
    expect(JSON.stringify(entry)).not.toContain('1234567890');
  });
});
