// What a driver has received and not yet looked at (frames, key bytes, a lost port), in
// order, with one reader waiting at a time: the serial 'data' handler pushes, the command
// being run takes with its own deadline and its call's AbortSignal.
import { StoppedError, type StopReason } from './call';

export class ReceiveQueue<T> {
  private items: T[] = [];
  private wake: (() => void) | undefined;

  push(item: T): void {
    this.items.push(item);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Forgets everything received so far (stale answers, key bytes of an earlier entry). */
  clear(): void {
    this.items = [];
  }

  /**
   * The next item; undefined when `timeoutMs` passes first (Infinity waits for ever). Rejects
   * with StoppedError, carrying the signal's reason, when the call is stopped.
   */
  take(timeoutMs: number, signal?: AbortSignal): Promise<T | undefined> {
    if (signal?.aborted) return Promise.reject(new StoppedError(signal.reason as StopReason));
    if (this.items.length > 0) return Promise.resolve(this.items.shift());
    if (timeoutMs <= 0) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => done(undefined), timeoutMs)
        : undefined;
      const onAbort = () => {
        cleanup();
        reject(new StoppedError(signal!.reason as StopReason));
      };
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.wake === wake) this.wake = undefined;
      };
      const done = (value: T | undefined) => {
        cleanup();
        resolve(value);
      };
      const wake = () => done(this.items.shift());
      this.wake = wake;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
