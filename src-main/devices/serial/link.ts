// One serial port with the behaviour a counter device needs: open with typed errors, notice an
// unplug (the device node disappears, or a read/write fails) and reopen when it comes back.
// A pty only reports a vanished peer on the next write, so the device path is watched as well.
// The PIN pad drivers, the printer connection and the device emulators all open ports this way
// (real ports and training's in-memory cables alike, see port.ts).
import { EventEmitter } from 'node:events';
import type { SerialPortStream } from '@serialport/stream';
import { openFailure, SerialError } from './errors';
import { closeSerialPort, openSerialPort, portPathExists } from './port';

export type LinkState = 'closed' | 'opening' | 'open' | 'lost';

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
  /** Reopen automatically after an unplug when the path is back (default true). */
  reopen?: boolean;
  /** How often the path is checked while open (unplug) or lost (replug), in ms. */
  pollMs?: number;
}

interface LinkEvents {
  data: [Buffer];
  state: [LinkState];
  /** The port went away while open; pending work should fail with a NOT_CONNECTED error. */
  lost: [SerialError];
  /** Opened again after a loss. */
  reopened: [];
}

export class SerialLink extends EventEmitter<LinkEvents> {
  readonly path: string;
  private readonly baudRate: number;
  private readonly reopen: boolean;
  private readonly pollMs: number;
  private port: SerialPortStream | undefined;
  private timer: NodeJS.Timeout | undefined;
  private current: LinkState = 'closed';
  private reopening = false;

  constructor(options: SerialLinkOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate;
    this.reopen = options.reopen ?? true;
    this.pollMs = options.pollMs ?? 250;
  }

  get state(): LinkState {
    return this.current;
  }

  get isOpen(): boolean {
    return this.current === 'open';
  }

  async open(): Promise<void> {
    if (this.current === 'open') return;
    this.setState('opening');
    try {
      await this.openPort();
    } catch (err) {
      this.setState('closed');
      throw err;
    }
    this.setState('open');
    this.startWatch();
  }

  async write(data: Buffer): Promise<void> {
    const port = this.port;
    if (!port || this.current !== 'open') {
      throw new SerialError('SERIAL_NOT_OPEN', { path: this.path });
    }
    await new Promise<void>((resolve, reject) => {
      port.write(data, (err) => {
        if (!err) return resolve();
        const error = new SerialError(
          'SERIAL_WRITE_FAILED',
          { path: this.path },
          { detail: err.message, cause: err },
        );
        this.handleLoss(error);
        reject(error);
      });
    });
  }

  /** Waits until written bytes have left the driver (tcdrain). */
  async drain(): Promise<void> {
    const port = this.port;
    if (!port || this.current !== 'open') return;
    await new Promise<void>((resolve) => port.drain(() => resolve()));
  }

  /** Drops whatever was received and not yet read (e.g. a late answer to an earlier job). */
  async flush(): Promise<void> {
    const port = this.port;
    if (!port || this.current !== 'open') return;
    await new Promise<void>((resolve) => port.flush(() => resolve()));
  }

  async close(): Promise<void> {
    this.stopWatch();
    const port = this.port;
    this.port = undefined;
    await closeSerialPort(port);
    this.setState('closed');
  }

  private async openPort(): Promise<void> {
    if (!portPathExists(this.path)) {
      throw new SerialError('SERIAL_PORT_MISSING', { path: this.path });
    }
    let port: SerialPortStream;
    try {
      port = await openSerialPort({ path: this.path, baudRate: this.baudRate });
    } catch (err) {
      throw openFailure(err, this.path);
    }
    this.port = port;
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('error', (e: Error) =>
      this.handleLoss(
        new SerialError('SERIAL_LOST', { path: this.path }, { detail: e.message, cause: e }),
      ),
    );
    port.on('close', (e: Error | null) => {
      if (this.port === port) {
        this.handleLoss(
          new SerialError(
            'SERIAL_LOST',
            { path: this.path },
            { detail: e ? `closed: ${e.message}` : 'closed', ...(e ? { cause: e } : {}) },
          ),
        );
      }
    });
  }

  private handleLoss(error: SerialError): void {
    if (this.current !== 'open') return;
    const port = this.port;
    this.port = undefined;
    void closeSerialPort(port);
    this.setState('lost');
    this.emit('lost', error);
    if (!this.reopen) {
      this.stopWatch();
      this.setState('closed');
    }
  }

  private startWatch(): void {
    this.stopWatch();
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  private stopWatch(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.current === 'open' && !portPathExists(this.path)) {
      this.handleLoss(
        new SerialError('SERIAL_LOST', { path: this.path }, { detail: 'the device disappeared' }),
      );
      return;
    }
    if (this.current === 'lost' && !this.reopening && portPathExists(this.path)) {
      this.reopening = true;
      try {
        await this.openPort();
        if (this.current === 'lost') {
          this.setState('open');
          this.emit('reopened');
        } else {
          // close() was called meanwhile.
          const port = this.port;
          this.port = undefined;
          void closeSerialPort(port);
        }
      } catch {
        // Still not usable (e.g. the node exists but is not ready): try again next tick.
      } finally {
        this.reopening = false;
      }
    }
  }

  private setState(state: LinkState): void {
    if (this.current === state) return;
    this.current = state;
    this.emit('state', state);
  }
}
