// The audit trail's head record (chain_head 'audit'): cutting off the newest rows is detected,
// and the next entry after such a cut still leaves the gap visible; search by operator (who
// did it, or whom it was about) and date; the oldest-first scan behind the CSV export.
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src-main/store';
import { SqliteDb } from '../../../src-main/store/sqlite';
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

async function tamper(store: Store, sql: string): Promise<void> {
  const raw = await SqliteDb.open(store.file);
  try {
    await raw.exec(sql);
  } finally {
    await raw.close();
  }
}

describe('audit trail head', () => {
  it('names the newest entries deleted, and keeps the gap visible after the next entry', async () => {
    const store = await setup();
    for (let i = 0; i < 5; i++) await store.audit.record({ kind: 'logout', operatorNo: `0${i}` });
    expect((await store.audit.verify()).problems).toEqual([]);
    await tamper(store, 'DELETE FROM audit WHERE id >= 4');
    expect(await store.audit.verify()).toEqual({
      checked: 3,
      problems: [{ auditId: 3, problem: 'newest-missing', headSeq: 5 }],
    });
    // The console writes on: the new entry follows the head (6), so the cut stays a gap.
    await store.audit.record({ kind: 'logout', operatorNo: '09' });
    expect((await store.audit.verify()).problems).toEqual([
      { auditId: 6, problem: 'missing-before' },
    ]);
  });

  it('a trail whose head row was removed too is named', async () => {
    const store = await setup();
    await store.audit.record({ kind: 'logout', operatorNo: '01' });
    await tamper(store, "DELETE FROM chain_head WHERE name = 'audit'");
    expect((await store.audit.verify()).problems).toEqual([
      { auditId: 1, problem: 'newest-missing', headSeq: 0 },
    ]);
  });

  it('searches by operator (actor or target) and date, and scans oldest first', async () => {
    let clock = new Date('2026-06-01T02:00:00Z');
    const store = await setup(() => clock);
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '1001',
      name: 'S',
      password: 'super1',
    });
    clock = new Date('2026-06-02T02:00:00Z');
    const c = await store.operators.create(
      { operatorNo: '2001', name: 'C', role: 'cashier', password: 'cash12' },
      sup.id,
    );
    clock = new Date('2026-06-03T02:00:00Z');
    await store.operators.resetPassword(c.id, sup.id, 'temp12');
    await store.audit.record({ kind: 'logout', operatorId: c.id, operatorNo: '2001' });
    const about2001 = await store.audit.list({ operatorNo: '2001' });
    expect(about2001.map((e) => e.kind)).toEqual(['logout', 'password-reset', 'operator-created']);
    const day2 = await store.audit.list({
      from: '2026-06-02T00:00:00Z',
      to: '2026-06-03T00:00:00Z',
    });
    expect(day2.map((e) => e.kind)).toEqual(['operator-created']);
    const seen: number[] = [];
    const n = await store.audit.scan({ operatorNo: '1001' }, (rows) => {
      seen.push(...rows.map((r) => r.id));
    });
    expect(n).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // A detail edited by hand into something that is not JSON does not break the search.
    await tamper(store, "UPDATE audit SET detail = 'not json' WHERE id = 1");
    expect((await store.audit.list({ operatorNo: '2001' })).length).toBe(3);
  });
});
