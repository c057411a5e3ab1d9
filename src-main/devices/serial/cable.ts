// A cable between the cashier software and a device emulator that can be pulled and plugged
// back: a socat pty pair (tests, Linux) or an in-memory cable (training mode on any PC).
import { existsSync } from 'node:fs';
import {
  createMemoryCable,
  isMemoryPath,
  memoryPathExists,
  removeMemoryCable,
} from './memory-binding';
import type { PtyPair } from './pty';

export { isMemoryPath };

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

/** Whether the device node (or memory cable end) exists right now. */
export function portPathExists(path: string): boolean {
  return isMemoryPath(path) ? memoryPathExists(path) : existsSync(path);
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

/** A socat pty pair is a Cable too. */
export function ptyCable(pair: PtyPair): Cable {
  return pair;
}
