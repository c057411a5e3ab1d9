// Serial-port plumbing shared by the device and terminal sides: open a port at the spec's line
// settings (§2.1: 19200 bps, 8 data bits, no parity, 1 stop bit) and read it byte by byte with
// timeouts, which is how both link-level flowcharts of the spec (§2.2.3, §6.2.1) are written.
import { SerialPort } from 'serialport';

export async function openSerial(path: string): Promise<SerialPort> {
  const port = new SerialPort({
    path,
    baudRate: 19200,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  // A read error (e.g. EIO when the other end of a pty goes away) must not crash the process:
  // the port then closes and pending reads fail with PortClosedError.
  port.on('error', () => undefined);
  return port;
}

export async function closeSerial(port: SerialPort): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.close(() => resolve()));
}

export async function writeSerial(port: SerialPort, bytes: Uint8Array): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => {
    port.write(Buffer.from(bytes), () => resolve());
  });
  await new Promise<void>((resolve) => port.drain(() => resolve()));
}

/** What an interrupted read resolves with (never a byte value). */
export const INTERRUPTED = -1;

export class PortClosedError extends Error {
  override name = 'PortClosedError';
}

/** Queues the bytes a port delivers and hands them out one at a time, with a timeout. */
export class ByteReader {
  private readonly queue: number[] = [];
  private waiter: { resolve: (b: number | null) => void; reject: (e: Error) => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly onData = (data: Buffer): void => this.push(data);
  private readonly onClose = (): void => this.close();

  constructor(private readonly port: SerialPort) {
    port.on('data', this.onData);
    port.on('close', this.onClose);
  }

  push(data: Uint8Array): void {
    for (const b of data) this.queue.push(b);
    this.wake();
  }

  /** Next byte, or null when `timeoutMs` passes first (undefined = wait forever). */
  read(timeoutMs?: number): Promise<number | null> {
    if (this.waiter) return Promise.reject(new Error('ByteReader: concurrent read'));
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift()!);
    if (this.closed) return Promise.reject(new PortClosedError('port closed'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      if (timeoutMs !== undefined) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          const w = this.waiter;
          this.waiter = undefined;
          w?.resolve(null);
        }, timeoutMs);
      }
    });
  }

  /** Discards input until `ms` of silence (flowcharts §2.2.3 / §6.2.1: "500ms de silêncio"). */
  async discardUntilSilence(ms: number): Promise<void> {
    while ((await this.read(ms)) !== null) {
      /* discard */
    }
  }

  /** Makes a pending read resolve with INTERRUPTED (-1) now, if one is pending. */
  interrupt(): void {
    if (!this.waiter) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const w = this.waiter;
    this.waiter = undefined;
    w.resolve(INTERRUPTED);
  }

  /** Drops what is queued now (nothing waits). */
  clear(): void {
    this.queue.length = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.off('data', this.onData);
    this.port.off('close', this.onClose);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(new PortClosedError('port closed'));
  }

  private wake(): void {
    if (!this.waiter || this.queue.length === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const w = this.waiter;
    this.waiter = undefined;
    w.resolve(this.queue.shift()!);
  }
}
