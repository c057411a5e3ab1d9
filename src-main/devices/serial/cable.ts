// A cable between the cashier software and a device emulator that can be pulled and plugged
// back: an in-memory cable (training mode on any PC) here, or a socat pty pair (the tests' own
// helper, test/support/pty.ts, which has the same shape).
import { createMemoryCable, removeMemoryCable } from './memory-binding';

export interface Cable {
  /** The end the cashier software (driver) opens. */
  readonly hostPath: string;
  /** The end the device emulator opens. */
  readonly devicePath: string;
  readonly plugged: boolean;
  /** Both ends vanish, as when a USB cable is pulled. */
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryCablePair(name: string): Cable {
  let plugged = true;
  const paths = createMemoryCable(name);
  return {
    ...paths,
    get plugged() {
      return plugged;
    },
    async unplug() {
      if (!plugged) return;
      plugged = false;
      await removeMemoryCable(name);
    },
    async replug() {
      if (plugged) return;
      createMemoryCable(name);
      plugged = true;
    },
    async close() {
      if (plugged) await removeMemoryCable(name);
      plugged = false;
    },
  };
}
