// One driver call's lifetime: the caller's AbortSignal plus a timeout, merged into one signal
// whose reason says which of the two ended it.
export type StopReason = 'timeout' | 'operator';

export class CallScope {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onOuterAbort = () => this.stop('operator');

  constructor(
    timeoutMs: number | undefined,
    private readonly outer?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => this.stop('timeout'), timeoutMs);
    }
    if (outer?.aborted) this.stop('operator');
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get reason(): StopReason | undefined {
    return this.signal.aborted ? (this.signal.reason as StopReason) : undefined;
  }

  stop(reason: StopReason): void {
    if (!this.signal.aborted) this.controller.abort(reason);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

/** Internal marker thrown when a call scope stops; drivers turn it into an outcome or error. */
export class StoppedError extends Error {
  override readonly name = 'StoppedError';
  constructor(readonly reason: StopReason) {
    super(`stopped: ${reason}`);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new StoppedError(signal.reason as StopReason));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new StoppedError(signal!.reason as StopReason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A promise-chain mutex: one command on the wire at a time. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
