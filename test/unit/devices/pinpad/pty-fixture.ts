// Shared set-up for PIN pad tests over a real socat pty pair: emulator on one end, driver on
// the other. Link names are unique per test file (and per process).
import { createPtyPair, type PtyPair } from '../../../support/pty';

export async function ptyPair(name: string): Promise<PtyPair> {
  const base = `/tmp/cashier-${name}-${process.pid}`;
  return createPtyPair(`${base}-host`, `${base}-dev`);
}

export function waitForEvent<T>(
  subscribe: (cb: (value: T) => void) => void,
  predicate: (value: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('event did not happen in time')), timeoutMs);
    subscribe((value) => {
      if (predicate(value)) {
        clearTimeout(timer);
        resolve(value);
      }
    });
  });
}
