// verifyLog tells the window that asked how far it has got (the `verify` event), and only that
// window; the second run walks from the signed checkpoint the first one left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogVerifyProgress, LogVerifyView } from '../../../src-main/contract';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

let c: TrainingConsole;

beforeAll(async () => {
  c = await openTrainingConsole('verify-progress');
  for (let i = 0; i < 3; i++) {
    const id = await c.core.store.transactions.begin({
      operatorId: null,
      operatorNo: '1001',
      accountKind: 'card',
      maskedAccount: `622202******100${i}`,
      entryMode: 'chip',
      training: true,
    });
    await c.core.store.transactions.complete(id, { outcome: 'approved', durationMs: 3 });
  }
});

afterAll(async () => {
  await c?.close();
});

describe('verifyLog progress', () => {
  it('reaches the session that asked, ending at done = total', async () => {
    const mine: LogVerifyProgress[] = [];
    const other: unknown[] = [];
    const offMine = c.core.subscribe(c.supervisor, (event, payload) => {
      if (event === 'verify') mine.push(payload as LogVerifyProgress);
    });
    const bystander = c.core.createSession();
    await c.call(bystander, 'login', { operatorNo: '1001', password: 'Secret2026' });
    const offOther = c.core.subscribe(bystander, (event, payload) => {
      if (event === 'verify') other.push(payload);
    });
    const view = await c.call<LogVerifyView>(c.supervisor, 'verifyLog');
    offMine();
    offOther();
    expect(view.ok).toBe(true);
    expect(mine[0]).toEqual({ done: 0, total: 6 });
    expect(mine.at(-1)).toEqual({ done: 6, total: 6 });
    expect(other).toEqual([]);
    // The next run starts from the checkpoint this one signed: nothing new to walk.
    const again: LogVerifyProgress[] = [];
    const off = c.core.subscribe(c.supervisor, (event, payload) => {
      if (event === 'verify') again.push(payload as LogVerifyProgress);
    });
    await c.call(c.supervisor, 'verifyLog');
    off();
    expect(again.at(-1)).toEqual({ done: 0, total: 0 });
  });
});
