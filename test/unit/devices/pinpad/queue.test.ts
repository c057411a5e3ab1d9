// The receive queue both PIN pad drivers read: in order, one waiting reader, timeouts, stops.
import { describe, expect, it } from 'vitest';
import { StoppedError } from '../../../../src-main/devices/pinpad/call';
import { ReceiveQueue } from '../../../../src-main/devices/pinpad/queue';

describe('ReceiveQueue', () => {
  it('hands out what was pushed, in order, and wakes a waiting reader', async () => {
    const q = new ReceiveQueue<number>();
    q.push(1);
    q.push(2);
    expect(await q.take(0)).toBe(1);
    expect(await q.take(10)).toBe(2);
    const waiting = q.take(Infinity);
    setTimeout(() => q.push(3), 5);
    expect(await waiting).toBe(3);
  });

  it('undefined when the time runs out; clear forgets what was received', async () => {
    const q = new ReceiveQueue<string>();
    expect(await q.take(0)).toBeUndefined();
    expect(await q.take(20)).toBeUndefined();
    q.push('stale');
    q.clear();
    expect(await q.take(0)).toBeUndefined();
  });

  it('a stopped call rejects with StoppedError carrying the reason, before and while waiting', async () => {
    const q = new ReceiveQueue<string>();
    const before = new AbortController();
    before.abort('operator');
    q.push('ready');
    await expect(q.take(100, before.signal)).rejects.toBeInstanceOf(StoppedError);
    // The stopped call took nothing: the item is there for the next reader.
    expect(await q.take(0)).toBe('ready');
    const during = new AbortController();
    const waiting = q.take(Infinity, during.signal);
    during.abort('timeout');
    await expect(waiting).rejects.toMatchObject({ reason: 'timeout' });
  });
});
