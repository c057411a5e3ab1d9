// The review over a real SQLite log: the rules run day by day (ReviewService), a flag is raised
// once however often the day is evaluated, a supervisor acknowledges it with a note (audited,
// listed in the audit trail), and a day is marked reviewed only once nothing is open.
import { afterEach, describe, expect, it } from 'vitest';
import { ReviewService } from '../../../src-main/core/review';
import { StoreError, type Store } from '../../../src-main/store';
import { freshStore } from '../store/helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('ReviewService over the log', () => {
  let clock = new Date();
  async function setup(): Promise<Store> {
    const { store, cleanup } = await freshStore({ now: () => clock });
    cleanups.push(cleanup);
    return store;
  }

  async function wrongPin(store: Store, masked: string): Promise<number> {
    const id = await store.transactions.begin({
      operatorId: null,
      operatorNo: '2001',
      accountKind: 'card',
      maskedAccount: masked,
      entryMode: 'swipe',
      training: true,
    });
    await store.transactions.complete(id, {
      outcome: 'declined',
      responseCode: '55',
      responseClass: 'pin-error',
      durationMs: 800,
    });
    return id;
  }

  it('flags three wrong PINs on three cards once; acknowledging it is audited; then the day can be marked reviewed', async () => {
    // Local noon today, so the day is still open (not final).
    const now = new Date();
    clock = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 12, 0, 0);
    const store = await setup();
    const sup = await store.operators.createFirstSupervisor({
      operatorNo: '1001',
      name: '王主管',
      password: 'super1',
    });
    const ids: number[] = [];
    for (const [i, masked] of [
      '621483******0001',
      '621483******0002',
      '621483******0003',
    ].entries()) {
      clock = new Date(clock.getTime() + (i + 1) * 60_000);
      ids.push(await wrongPin(store, masked));
    }
    const service = new ReviewService(store.review, () => clock);
    await service.refresh();
    await service.refresh();
    const flags = await store.review.listFlags({ open: true });
    expect(flags.map((f) => f.rule)).toEqual(['card-testing']);
    expect(flags[0]!.txIds).toEqual(ids);
    expect(await store.review.openCount()).toBe(1);
    const day = flags[0]!.day;
    expect(
      (await store.review.days({ unreviewed: true })).map((d) => [d.day, d.inquiries, d.openFlags]),
    ).toEqual([[day, 3, 1]]);

    const by = { operatorId: sup.id, operatorNo: sup.operatorNo };
    // Not reviewed while a flag is open; no acknowledgement without a note.
    await expect(store.review.markDayReviewed(day, '', by)).rejects.toMatchObject({
      code: 'REVIEW_DAY_OPEN_FLAGS',
    });
    const noNote = await store.review.acknowledge(flags[0]!.id, '  ', by).catch((e: unknown) => e);
    expect(noNote).toBeInstanceOf(StoreError);
    expect((noNote as StoreError).messageZh).toContain('备注');

    const acked = await store.review.acknowledge(
      flags[0]!.id,
      '已电话核实：顾客忘记密码 6214830000000003',
      by,
    );
    expect(acked.acknowledgedBy).toBe('1001');
    // A card number typed into a note is masked before it is kept.
    expect(acked.note).toBe('已电话核实：顾客忘记密码 621483******0003');
    await expect(store.review.acknowledge(flags[0]!.id, 'again', by)).rejects.toMatchObject({
      code: 'REVIEW_FLAG_ACKNOWLEDGED',
    });
    const audit = await store.audit.list({ kind: 'review-ack' });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.operatorNo).toBe('1001');
    expect(audit[0]!.detail).toMatchObject({
      flagId: flags[0]!.id,
      rule: 'card-testing',
      note: acked.note,
    });

    // Evaluated again: the acknowledged flag stays as it was, nothing new is raised.
    await service.refresh();
    expect(await store.review.openCount()).toBe(0);
    expect((await store.review.listFlags({})).map((f) => f.acknowledgedBy)).toEqual(['1001']);

    const reviewed = await store.review.markDayReviewed(day, '正常', by);
    expect(reviewed).toMatchObject({ day, reviewedBy: '1001', flags: 1, openFlags: 0 });
    expect(await store.review.days({ unreviewed: true })).toEqual([]);
    expect((await store.audit.list({ kind: 'review-day' }))[0]!.detail).toMatchObject({
      day,
      note: '正常',
    });
    expect((await store.audit.verify()).problems).toEqual([]);

    // Three more wrong PINs later that day: a new flag, and the day needs review again.
    for (const masked of ['621483******0004', '621483******0005', '621483******0006']) {
      clock = new Date(clock.getTime() + 60_000);
      await wrongPin(store, masked);
    }
    await service.refresh();
    expect(await store.review.openCount()).toBe(1);
    // The run grew after it was acknowledged: raised again as a continuation of the same run;
    // the acknowledged flag keeps what the supervisor saw.
    const [again] = await store.review.listFlags({ open: true });
    expect(again!.key).toBe(`${flags[0]!.key}@${ids[2]! + 1}`);
    expect(again!.txIds).toHaveLength(6);
    expect((await store.review.listFlags({ open: false }))[0]!.txIds).toEqual(ids);
    expect((await store.review.days({ unreviewed: true })).map((d) => d.day)).toEqual([day]);
  });

  it('does not flag two wrong PINs, and keeps thresholds: saved changes are named', async () => {
    const now = new Date();
    clock = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 12, 0, 0);
    const store = await setup();
    await wrongPin(store, '621483******0001');
    await wrongPin(store, '621483******0002');
    const service = new ReviewService(store.review, () => clock);
    await service.refresh();
    expect(await store.review.openCount()).toBe(0);
    const settings = await service.settings();
    expect(settings.cardTesting.cards).toBe(3);
    const changed = await service.saveSettings({
      ...settings,
      cardTesting: { ...settings.cardTesting, cards: 2 },
    });
    expect(changed).toEqual(['review.cardTesting.cards']);
    await service.refresh();
    expect((await store.review.listFlags({ open: true })).map((f) => f.rule)).toEqual([
      'card-testing',
    ]);
  });

  it('a row logged after a recent look is flagged at the next look, not after the freshness wait', async () => {
    const now = new Date();
    clock = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 12, 0, 0);
    const store = await setup();
    await wrongPin(store, '621483******0001');
    await wrongPin(store, '621483******0002');
    const service = new ReviewService(store.review, () => clock);
    await service.refresh(10_000);
    expect(await store.review.openCount()).toBe(0);
    await wrongPin(store, '621483******0003');
    // Same instant: the time-based freshness alone would skip this run.
    await service.refresh(10_000);
    expect(await store.review.openCount()).toBe(1);
  });
});
