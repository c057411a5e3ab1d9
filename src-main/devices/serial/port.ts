// The one way this tree opens a serial port. A real port goes through serialport's native
// binding; a `memory:` path is one end of an in-memory cable (training mode, any PC) and goes
// through MemoryBinding. Above the binding it is the same SerialPortStream either way, so
// framing, retries and timeouts are the code that drives real hardware.
//
// SerialLink (link.ts) builds on this with typed errors and unplug watching; it is what the PIN
// pad drivers, the printer and the device emulators use. Short-lived users that want the
// binding's own error (protocol detection, probe.ts) call openSerialPort directly.
import { existsSync } from 'node:fs';
import type { SerialPortStream } from '@serialport/stream';
import { isMemoryPath, MemoryBinding, memoryPathExists } from './memory-binding';

export { isMemoryPath };

export interface SerialPortOptions {
  path: string;
  baudRate: number;
}

/** Whether the device node (or memory cable end) exists right now. */
export function portPathExists(path: string): boolean {
  return isMemoryPath(path) ? memoryPathExists(path) : existsSync(path);
}

/**
 * serialport and its native binding, loaded on the first real port: training mode (memory
 * cables) and the browser shell's start never pay for them (`cashier serve` start-up); the
 * stream class alone is loaded on the first port of either kind.
 */
export function realPorts(): Promise<typeof import('serialport')> {
  return import('serialport');
}

/** Opens the port; rejects with the binding's own error (ENOENT, EACCES, busy, no such port). */
export async function openSerialPort(options: SerialPortOptions): Promise<SerialPortStream> {
  const port: SerialPortStream = isMemoryPath(options.path)
    ? new (await import('@serialport/stream')).SerialPortStream({
        binding: MemoryBinding,
        path: options.path,
        baudRate: options.baudRate,
        autoOpen: false,
      })
    : new (await realPorts()).SerialPort({
        path: options.path,
        baudRate: options.baudRate,
        autoOpen: false,
      });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
}

/** Closes the port if it is open; never rejects. */
export function closeSerialPort(port: SerialPortStream | undefined): Promise<void> {
  return new Promise((resolve) => (port?.isOpen ? port.close(() => resolve()) : resolve()));
}
