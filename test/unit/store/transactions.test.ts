import { afterEach, describe, expect, it } from 'vitest';
import {
  StoreError,
  type BeginInquiry,
  type InquiryResult,
  type Store,
} from '../../../src-main/store';
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

/** A second, independent connection to the same file: how someone would tamper with it. */
async function tamper(store: Store, sql: string): Promise<void> {
  const raw = await SqliteDb.open(store.file);
  await raw.exec(sql);
  await raw.close();
}

const card = (over: Partial<BeginInquiry> = {}): BeginInquiry => ({
  operatorId: null,
  operatorNo: '01',
  accountKind: 'card',
  maskedAccount: '622202******1234',
  entryMode: 'chip',
  stan: '000123',
  training: false,
  ...over,
});

const approved = (over: Partial<InquiryResult> = {}): InquiryResult => ({
  outcome: 'approved',
  responseCode: '00',
  responseClass: 'approved',
  rrn: '123456789012',
  ledgerFen: 1234567,
  availableFen: 1200000,
  currency: 'CNY',
  durationMs: 850,
  ...over,
});

async function expectCode(p: Promise<unknown>, code: string): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  expect((err as StoreError).code).toBe(code);
  return err as StoreError;
}

describe('transaction log', () => {
  it('writes an outcome-unknown row at begin and fills it at complete', async () => {
    let clock = new Date('2026-06-01T02:00:00Z');
    const store = await setup(() => clock);
    const id = await store.transactions.begin(card());
    expect(await store.transactions.get(id)).toMatchObject({
      id,
      outcome: 'unknown',
      completedAt: null,
      maskedAccount: '622202******1234',
      last4: '1234',
      createdAt: '2026-06-01T02:00:00.000Z',
    });
    clock = new Date('2026-06-01T02:00:01Z');
    await store.transactions.complete(id, approved());
    expect(await store.transactions.get(id)).toMatchObject({
      outcome: 'approved',
      responseCode: '00',
      rrn: '123456789012',
      ledgerFen: 1234567,
      availableFen: 1200000,
      currency: 'CNY',
      durationMs: 850,
      completedAt: '2026-06-01T02:00:01.000Z',
      printedCount: 0,
    });
    await expectCode(store.transactions.complete(id, approved()), 'ALREADY_COMPLETED');
    await expectCode(store.transactions.complete(999, approved()), 'NOT_FOUND');
    expect(await store.transactions.get(999)).toBeUndefined();
    expect((await store.transactions.verify()).ok).toBe(true);
  });

  it('refuses anything that looks like a full PAN and masks card numbers in error text', async () => {
    const store = await setup();
    for (const bad of ['6222020000001234', '622202 0000 001234', '62220200****1234', '1234']) {
      const err = await expectCode(
        store.transactions.begin(card({ maskedAccount: bad })),
        'FULL_PAN_REFUSED',
      );
      expect(err.messageZh).toContain('遮蔽');
    }
    await expectCode(
      store.transactions.begin(card({ entryMode: 'telepathy' as never })),
      'BAD_INPUT',
    );
    await expectCode(store.transactions.begin(card({ stan: '12' })), 'BAD_INPUT');
    const wallet = await store.transactions.begin(
      card({
        accountKind: 'wallet',
        maskedAccount: '138****5678',
        entryMode: 'sms-code',
        stan: null,
      }),
    );
    await store.transactions.complete(wallet, {
      outcome: 'failed',
      durationMs: 30000,
      errorCode: 'HOST_TIMEOUT',
      errorMessage: 'no answer for card 6222020000001234, pin block 0123456789ABCDEF',
    });
    const row = await store.transactions.get(wallet);
    expect(row!.errorMessage).toBe('no answer for card 622202******1234, pin block ***');
    expect(row!.last4).toBe('5678');
    expect(await store.transactions.search({})).toMatchObject({ rows: [{ id: wallet }] });
  });

  it('keeps the account key in the row begin() writes, and refuses one that is a number', async () => {
    const store = await setup();
    const key = 'Hk3_uQ9-aZ0bC1dE2fG3hI4jK5lM6nO7pQ8rS9tU0vW';
    const id = await store.transactions.begin(card({ accountKey: key }));
    // One transaction: the row and its key are committed together (no second write to lose).
    const raw = await SqliteDb.open(store.file);
    const row = await raw.get<{ account_key: string | null }>(
      'SELECT account_key FROM transactions WHERE id = ?',
      [id],
    );
    await raw.close();
    expect(row!.account_key).toBe(key);
    for (const bad of ['6222020000001234', '1'.repeat(43), 'not a key', `${key}x`]) {
      await expectCode(store.transactions.begin(card({ accountKey: bad })), 'BAD_INPUT');
    }
    expect(await store.transactions.search({})).toMatchObject({ rows: [{ id }] });
  });

  it('searches by date range, operator, outcome, class, last 4 and RRN with keyset paging', async () => {
    let t = Date.parse('2026-06-01T00:00:00Z');
    const store = await setup(() => new Date(t));
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      t += 60_000;
      const id = await store.transactions.begin(
        card({
          operatorNo: i % 3 === 0 ? '02' : '01',
          maskedAccount: `622202******${String(1000 + (i % 5))}`,
          training: i % 10 === 0,
        }),
      );
      ids.push(id);
      if (i % 4 === 3) continue; // left 'unknown'
      await store.transactions.complete(
        id,
        i % 2 === 0
          ? approved({ rrn: `RRN${String(i).padStart(9, '0')}` })
          : {
              outcome: 'declined',
              responseCode: '55',
              responseClass: 'pin-error',
              durationMs: 400,
            },
      );
    }
    const all = await store.transactions.search({ limit: 500 });
    expect(all.rows.map((r) => r.id)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();

    const page1 = await store.transactions.search({ limit: 7 });
    const page2 = await store.transactions.search({ limit: 7, cursor: page1.nextCursor! });
    expect(page1.rows.map((r) => r.id)).toEqual(ids.slice(-7).reverse());
    expect(page2.rows.map((r) => r.id)).toEqual(ids.slice(-14, -7).reverse());

    const ranged = await store.transactions.search({
      from: '2026-06-01T00:05:00Z',
      to: '2026-06-01T00:10:00Z',
    });
    expect(ranged.rows.map((r) => r.id)).toEqual(ids.slice(4, 9).reverse());
    expect((await store.transactions.search({ operatorNo: '02' })).rows).toHaveLength(10);
    expect((await store.transactions.search({ outcome: 'unknown' })).rows).toHaveLength(7);
    expect(
      (await store.transactions.search({ outcome: 'declined' })).rows.every(
        (r) => r.responseCode === '55',
      ),
    ).toBe(true);
    expect((await store.transactions.search({ responseClass: 'pin-error' })).rows).toHaveLength(
      (await store.transactions.search({ outcome: 'declined' })).rows.length,
    );
    expect((await store.transactions.search({ last4: '1002' })).rows.map((r) => r.id)).toEqual(
      ids.filter((_, i) => i % 5 === 2).reverse(),
    );
    expect(
      (await store.transactions.search({ rrn: 'RRN000000004' })).rows.map((r) => r.id),
    ).toEqual([ids[4]]);
    expect((await store.transactions.search({ training: true })).rows).toHaveLength(3);
    await expectCode(store.transactions.search({ cursor: 'nonsense' }), 'BAD_INPUT');
    await expectCode(store.transactions.search({ from: 'not a date' }), 'BAD_INPUT');
  });

  it('uses an index for every search kind (no full table scan)', async () => {
    const store = await setup();
    const raw = await SqliteDb.open(store.file);
    cleanups.push(() => raw.close());
    const cases = [
      'created_at >= 1 AND created_at < 2',
      "operator_no = '01'",
      "outcome = 'approved'",
      "response_class = 'x'",
      "last4 = '1234'",
      "rrn = 'x'",
    ];
    for (const where of cases) {
      const plan = await raw.all<{ detail: string }>(
        `EXPLAIN QUERY PLAN SELECT * FROM transactions WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 51`,
      );
      const text = plan.map((p) => p.detail).join(' | ');
      expect(text, where).toMatch(/USING (COVERING )?INDEX/);
      expect(text, where).not.toMatch(/SCAN transactions$/);
    }
  });

  it('counts reprints and gives a daily summary per outcome and operator in local time', async () => {
    let clock = new Date('2026-06-01T15:59:00Z'); // 23:59 in Beijing
    const store = await setup(() => clock);
    const a = await store.transactions.begin(card());
    await store.transactions.complete(a, approved());
    clock = new Date('2026-06-01T16:01:00Z'); // 00:01 next day in Beijing
    const b = await store.transactions.begin(card({ operatorNo: '02' }));
    await store.transactions.complete(b, {
      outcome: 'declined',
      responseCode: '51',
      durationMs: 10,
    });
    const c = await store.transactions.begin(card({ operatorNo: '02', training: true }));
    await store.transactions.markPrinted(a);
    await store.transactions.markPrinted(a);
    expect(await store.transactions.get(a)).toMatchObject({
      printedCount: 2,
      lastPrintedAt: '2026-06-01T16:01:00.000Z',
    });
    await expectCode(store.transactions.markPrinted(12345), 'NOT_FOUND');

    const day1 = await store.transactions.dailySummary('2026-06-01', { utcOffsetMinutes: 480 });
    expect(day1).toMatchObject({ total: 1, byOutcome: { approved: 1, declined: 0, unknown: 0 } });
    const day2 = await store.transactions.dailySummary('2026-06-02', { utcOffsetMinutes: 480 });
    expect(day2.total).toBe(2);
    expect(day2.training).toBe(1);
    expect(day2.from).toBe('2026-06-01T16:00:00.000Z');
    expect(day2.byOperator).toEqual([
      {
        operatorNo: '02',
        total: 2,
        byOutcome: { unknown: 1, approved: 0, declined: 1, failed: 0, cancelled: 0 },
      },
    ]);
    expect(c).toBeGreaterThan(b);
    expect((await store.transactions.verify()).ok).toBe(true);
  });
});

describe('hash chain verification', () => {
  async function filled(n: number): Promise<Store> {
    const store = await setup();
    for (let i = 0; i < n; i++) {
      const id = await store.transactions.begin(card({ maskedAccount: `622202******${1000 + i}` }));
      if (i !== n - 1)
        await store.transactions.complete(id, approved({ rrn: `R${String(i).padStart(11, '0')}` }));
    }
    await store.transactions.markPrinted(2);
    return store;
  }

  it('passes on an untouched log, including an outcome-unknown row', async () => {
    const store = await filled(6);
    const report = await store.transactions.verify();
    expect(report).toMatchObject({ ok: true, rows: 6, entries: 12, problems: [] });
  });

  it('names an edited row and which part was edited', async () => {
    const store = await filled(6);
    await tamper(store, 'UPDATE transactions SET available_fen = 99999999 WHERE id = 3');
    await tamper(store, "UPDATE transactions SET masked_account = '622202******9999' WHERE id = 5");
    const report = await store.transactions.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'edited', txId: 3, part: 'complete' }),
      expect.objectContaining({ kind: 'edited', txId: 5, part: 'begin' }),
    ]);
    expect(report.problems[0]!.messageZh).toContain('篡改');
  });

  it('names a deleted row, whether or not its chain entries were deleted too', async () => {
    const store = await filled(6);
    await tamper(store, 'DELETE FROM transactions WHERE id = 2');
    await tamper(
      store,
      'DELETE FROM transactions WHERE id = 4; DELETE FROM tx_chain WHERE tx_id = 4',
    );
    const report = await store.transactions.verify();
    expect(report.ok).toBe(false);
    const deleted = report.problems.filter((p) => p.kind === 'deleted').map((p) => p.txId);
    expect(deleted.sort()).toEqual([2, 4]);
    expect(report.problems.some((p) => p.kind === 'entries-missing')).toBe(true);
  });

  it('notices the newest rows cut off, a completion erased, a forged row and a changed print count', async () => {
    const store = await filled(6);
    await tamper(
      store,
      'DELETE FROM transactions WHERE id = 6; DELETE FROM tx_chain WHERE tx_id = 6',
    );
    await tamper(
      store,
      "UPDATE transactions SET outcome = 'unknown', completed_at = NULL, response_code = NULL WHERE id = 1",
    );
    await tamper(
      store,
      `INSERT INTO transactions (created_at, operator_no, account_kind, masked_account, last4, entry_mode)
       VALUES (1, '01', 'card', '622202******0000', '0000', 'chip')`,
    );
    await tamper(
      store,
      'UPDATE transactions SET printed_count = 0, last_printed_at = NULL WHERE id = 2',
    );
    const kinds = (await store.transactions.verify()).problems.map(
      (p) => `${p.kind}:${p.txId ?? ''}`,
    );
    expect(kinds).toEqual(
      expect.arrayContaining(['deleted:6', 'edited:1', 'unchained:7', 'print-count:2']),
    );
  });

  it('notices chain entries cut off at the end (head mismatch)', async () => {
    const store = await filled(4);
    await tamper(store, 'DELETE FROM tx_chain WHERE seq = (SELECT MAX(seq) FROM tx_chain)');
    const kinds = (await store.transactions.verify()).problems.map(
      (p) => `${p.kind}:${p.txId ?? ''}`,
    );
    expect(kinds.sort()).toEqual(['head-mismatch:', 'print-count:2']);
  });
});

describe('operator reference', () => {
  it('refuses an operator id that does not exist, and keeps one that does', async () => {
    const store = await setup();
    await expectCode(store.transactions.begin(card({ operatorId: 42 })), 'BAD_INPUT');
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '01',
      name: 'S',
      password: 'super1',
    });
    const id = await store.transactions.begin(card({ operatorId: sup.id }));
    expect((await store.transactions.get(id))!.operatorId).toBe(sup.id);
  });
});

describe('two processes on one file', () => {
  it('keeps one valid chain when two connections (app and CLI) write at the same time', async () => {
    const { openStore } = await import('../../../src-main/store');
    const { FAST_SCRYPT } = await import('./helpers');
    const first = await setup();
    const second = await openStore(first.file.replace(/[\\/]cashier\.sqlite$/, ''), {
      scrypt: FAST_SCRYPT,
    });
    cleanups.push(() => second.close());
    const write = async (store: Store, n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const id = await store.transactions.begin(card());
        await store.transactions.complete(id, approved());
        await store.audit.record({ kind: 'config-change', detail: { i } });
      }
    };
    await Promise.all([write(first, 25), write(second, 25)]);
    const report = await first.transactions.verify();
    expect(report).toMatchObject({ ok: true, rows: 50, entries: 100 });
    expect((await second.audit.verify()).problems).toEqual([]);
  });
});
