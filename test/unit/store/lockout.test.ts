// A lockout ends by itself after a time limit that grows with each lockout in a row, so the
// only supervisor can never be locked out for good; the answer says when to try again.
import { afterEach, describe, expect, it } from 'vitest';
import {
  LOCKOUT_MINUTES,
  lockedNotice,
  type AuthResult,
  type Store,
} from '../../../src-main/store';
import { freshStore } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const MIN = 60_000;
const opts = { passwordMaxAgeDays: 0 };

async function setup(clock: { now: Date }): Promise<Store> {
  const { store, cleanup } = await freshStore({ now: () => clock.now });
  cleanups.push(cleanup);
  await store.operators.createFirstSupervisor({ operatorNo: '01', name: 'S', password: 'super1' });
  return store;
}

async function lockOut(store: Store, no: string): Promise<AuthResult> {
  let last: AuthResult | undefined;
  for (let i = 0; i < 5; i++) last = await store.operators.authenticate(no, 'wrong-pw', opts);
  return last!;
}

describe('lockout with a time limit', () => {
  it('the only supervisor, locked out, gets in again by itself after the time limit', async () => {
    const clock = { now: new Date('2026-06-01T08:00:00Z') };
    const store = await setup(clock);
    const until = new Date(clock.now.getTime() + 5 * MIN);
    expect(await lockOut(store, '01')).toMatchObject({
      ok: false,
      reason: 'locked',
      remainingTries: 0,
      lockedUntil: until.toISOString(),
      retryAfterSeconds: 300,
    });
    expect(await store.operators.findByNo('01')).toMatchObject({
      locked: true,
      lockedUntil: until.toISOString(),
    });
    // One second before the limit even the right password is refused, saying how long.
    clock.now = new Date(until.getTime() - 1000);
    expect(await store.operators.authenticate('01', 'super1', opts)).toMatchObject({
      ok: false,
      reason: 'locked',
      retryAfterSeconds: 1,
    });
    // At the limit nobody has to help: the lock is gone and the right password works.
    clock.now = until;
    expect(await store.operators.findByNo('01')).toMatchObject({
      locked: false,
      lockedUntil: null,
    });
    expect((await store.operators.authenticate('01', 'super1', opts)).ok).toBe(true);
    // After the lock ends a wrong password starts a new count of 5.
    expect(await store.operators.authenticate('01', 'wrong-pw', opts)).toEqual({
      ok: false,
      reason: 'wrong-password',
      remainingTries: 4,
    });
  });

  it('grows 5 → 15 → 60 → 240 → 240 with lockouts in a row, and a successful login starts again at 5', async () => {
    const clock = { now: new Date('2026-06-01T08:00:00Z') };
    const store = await setup(clock);
    const seen: number[] = [];
    for (let round = 0; round < 5; round++) {
      const locked = (await lockOut(store, '01')) as Extract<AuthResult, { reason: 'locked' }>;
      seen.push((Date.parse(locked.lockedUntil) - clock.now.getTime()) / MIN);
      clock.now = new Date(locked.lockedUntil);
    }
    expect(seen).toEqual([5, 15, 60, 240, 240]);
    expect(LOCKOUT_MINUTES).toEqual([5, 15, 60, 240]);
    expect((await store.operators.authenticate('01', 'super1', opts)).ok).toBe(true);
    const again = (await lockOut(store, '01')) as Extract<AuthResult, { reason: 'locked' }>;
    expect(Date.parse(again.lockedUntil) - clock.now.getTime()).toBe(5 * MIN);
    // Each lock and each automatic unlock is in the audit trail.
    expect(await store.audit.list({ kind: 'lockout' })).toHaveLength(6);
    const unlocks = await store.audit.list({ kind: 'unlock' });
    expect(unlocks).toHaveLength(5);
    expect(unlocks[0]!.detail).toMatchObject({ automatic: true, target: '01' });
  });

  it('applies to cashiers too; a supervisor can still unlock at once', async () => {
    const clock = { now: new Date('2026-06-01T08:00:00Z') };
    const store = await setup(clock);
    const sup = (await store.operators.findByNo('01'))!;
    const cashier = await store.operators.create(
      { operatorNo: '02', name: 'C', role: 'cashier', password: 'cash12' },
      sup.id,
    );
    expect(await lockOut(store, '02')).toMatchObject({ reason: 'locked' });
    clock.now = new Date(clock.now.getTime() + 5 * MIN);
    expect((await store.operators.authenticate('02', 'cash12', opts)).ok).toBe(true);
    await lockOut(store, '02');
    await store.operators.unlock(cashier.id, sup.id);
    expect((await store.operators.authenticate('02', 'cash12', opts)).ok).toBe(true);
  });

  it('tells when to try again, in Chinese and English', async () => {
    const clock = { now: new Date(2026, 5, 1, 9, 58, 30) };
    const store = await setup(clock);
    const locked = await lockOut(store, '01');
    expect(locked).toMatchObject({
      message: expect.stringContaining('Try again after 10:03 (in 5 min)'),
      messageZh: expect.stringContaining('请在 10:03（5 分钟后）再试'),
    });
    const n = lockedNotice(new Date(2026, 5, 2, 1, 30), new Date(2026, 5, 1, 21, 30));
    expect(n.message).toContain('Try again after 2026-06-02 01:30 (in 4 h)');
    expect(n.messageZh).toContain('请在 6月2日 01:30（4 小时后）再试');
  });
});
