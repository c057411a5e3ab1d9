// Esc while the host is being asked: the screen moves on at once, but the exchange cannot be
// taken back (the request may already be at the bank), so it goes on and its late answer
// completes the still open log row (machine.ts, the 'abandoned' ending).

export const ABANDONED = Symbol('abandoned');

/** The work's value, or ABANDONED as soon as the operator cancels; the work itself goes on. */
export function untilAbandoned<T>(
  signal: AbortSignal,
  work: Promise<T>,
): Promise<T | typeof ABANDONED> {
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABANDONED);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
