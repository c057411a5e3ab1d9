// Password hygiene in the store: a new operator's password and a reset one are temporary (must
// be changed at the next login, and say so); the last 5 passwords cannot be used again; only
// hashes are kept; the expiry reminder's days left.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { passwordExpiry } from '../../../src-main/common';
import { StoreError, type Store } from '../../../src-main/store';
import { freshStore } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(now?: () => Date): Promise<Store> {
  const { store, cleanup } = await freshStore(now ? { now } : {});
  cleanups.push(cleanup);
  return store;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: unknown) =>
      e instanceof StoreError ? String(e.details?.['cause'] ?? e.code) : 'not a StoreError',
  );
}

async function reusedError(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe('password history', () => {
  it('makes a new operator change the password a supervisor chose, saying it is temporary', async () => {
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    await store.operators.create(
      { operatorNo: '02', name: 'C', role: 'cashier', password: 'cash12' },
      sup.id,
    );
    expect(
      await store.operators.authenticate('01', 'super1', { passwordMaxAgeDays: 0 }),
    ).toMatchObject({
      ok: true,
      mustChangePassword: false,
      mustChangeReason: null,
    });
    expect(
      await store.operators.authenticate('02', 'cash12', { passwordMaxAgeDays: 0 }),
    ).toMatchObject({
      ok: true,
      mustChangePassword: true,
      mustChangeReason: 'temporary',
    });
    // An expired password says so.
    let clock = new Date('2026-01-01T00:00:00Z');
    const later = await setup(() => clock);
    await later.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    clock = new Date('2026-01-31T00:00:00Z');
    expect(
      await later.operators.authenticate('01', 'super1', { passwordMaxAgeDays: 30 }),
    ).toMatchObject({
      mustChangePassword: true,
      mustChangeReason: 'expired',
      passwordExpiresInDays: 0,
    });
  });

  it('refuses any of the last 5 passwords, accepts the 6th back, and keeps no clear text', async () => {
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'pass-0',
    });
    // pass-0 … pass-5: after five changes the current is pass-5 and pass-1 … pass-4 are kept.
    for (let i = 1; i <= 5; i++) {
      await store.operators.changePassword(sup.id, `pass-${i - 1}`, `pass-${i}`);
    }
    for (const old of ['pass-1', 'pass-2', 'pass-3', 'pass-4']) {
      const err = await reusedError(store.operators.changePassword(sup.id, 'pass-5', old));
      expect(err.code).toBe('WEAK_PASSWORD');
      expect(err.message).toContain('last 5 passwords');
      expect(err.messageZh).toContain('最近 5 次');
    }
    // The current one is refused as unchanged.
    expect(await codeOf(store.operators.changePassword(sup.id, 'pass-5', 'pass-5'))).toBe(
      'WEAK_PASSWORD',
    );
    // pass-0 is six passwords back: allowed again.
    await store.operators.changePassword(sup.id, 'pass-5', 'pass-0');
    expect((await store.operators.authenticate('01', 'pass-0', { passwordMaxAgeDays: 0 })).ok).toBe(
      true,
    );
    // Now pass-1 has dropped out of the last five (pass-0, 5, 4, 3, 2).
    await store.operators.changePassword(sup.id, 'pass-0', 'pass-1');
    const bytes = await readFile(store.file);
    for (let i = 0; i <= 5; i++) expect(bytes.includes(Buffer.from(`pass-${i}`))).toBe(false);
  });

  it('counts a password a supervisor replaced by a reset: the operator cannot go back to it', async () => {
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    const c = await store.operators.create(
      { operatorNo: '02', name: 'C', role: 'cashier', password: 'temp-a' },
      sup.id,
    );
    await store.operators.changePassword(c.id, 'temp-a', 'mine-1');
    await store.operators.resetPassword(c.id, sup.id, 'temp-b');
    const err = await reusedError(store.operators.changePassword(c.id, 'temp-b', 'mine-1'));
    expect(err.message).toContain('last 5 passwords');
    await store.operators.changePassword(c.id, 'temp-b', 'mine-2');
  });

  it('tells how many days are left before expiry (rounded up), and never for 0', () => {
    const changed = '2026-01-01T00:00:00.000Z';
    expect(passwordExpiry(changed, 0, new Date('2027-01-01'))).toEqual({
      expired: false,
      daysLeft: null,
      expiresAt: null,
    });
    expect(passwordExpiry(changed, 30, new Date('2026-01-24T00:00:00Z'))).toMatchObject({
      expired: false,
      daysLeft: 7,
    });
    expect(passwordExpiry(changed, 30, new Date('2026-01-24T00:00:01Z')).daysLeft).toBe(7);
    expect(passwordExpiry(changed, 30, new Date('2026-01-23T23:59:59Z')).daysLeft).toBe(8);
    expect(passwordExpiry(changed, 30, new Date('2026-01-31T00:00:00Z'))).toMatchObject({
      expired: true,
      daysLeft: 0,
    });
  });
});
