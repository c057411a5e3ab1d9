// Test helpers: a socat pty pair (a null-modem cable in software) and a raw byte port.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { SerialPort } from 'serialport';

export const SOCAT = '/usr/bin/socat';

export interface PtyPair {
  /** Give this end to the device. */
  devicePath: string;
  /** Give this end to the terminal. */
  terminalPath: string;
  /** Kills this socat (by its own pid) and waits for it to exit. */
  close(): Promise<void>;
}

/** Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and reads the two /dev/pts paths. */
export function openPtyPair(timeoutMs = 10_000): Promise<PtyPair> {
  const child: ChildProcess = spawn(SOCAT, ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const guard = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
    await Promise.race([exited, guard]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return new Promise<PtyPair>((resolve, reject) => {
    let stderr = '';
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void close().then(() => reject(err));
    };
    const timer = setTimeout(
      () => fail(new Error(`socat gave no pty paths within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    child.on('error', (err) => fail(err));
    child.once('exit', (code) => fail(new Error(`socat exited (${code}): ${stderr}`)));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (settled) return;
      stderr += text;
      const paths = [...stderr.matchAll(/PTY is (\/dev\/pts\/\d+)/g)].map((m) => m[1] as string);
      // Wait for the transfer loop so both ends are live before anyone writes.
      if (paths.length >= 2 && /starting data transfer loop/.test(stderr)) {
        settled = true;
        clearTimeout(timer);
        resolve({ devicePath: paths[0] as string, terminalPath: paths[1] as string, close });
      }
    });
  });
}

/** A raw serial port for byte-level tests: write bytes, collect what comes back. */
export class RawPort {
  private buffer = Buffer.alloc(0);
  private notify: (() => void) | undefined;

  private constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.notify?.();
    });
  }

  static async open(path: string): Promise<RawPort> {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(err) : resolve())),
    );
    return new RawPort(port);
  }

  async write(bytes: Buffer): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.port.write(bytes, (err) => (err ? reject(err) : this.port.drain(() => resolve()))),
    );
  }

  /** Resolves with exactly `count` bytes, or rejects after timeoutMs. */
  async read(count: number, timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`wanted ${count} bytes, got ${this.buffer.toString('hex')}`);
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.notify = undefined;
          resolve();
        };
        const timer = setTimeout(done, left);
        this.notify = done;
      });
    }
    const out = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return Buffer.from(out);
  }

  /** Whatever has arrived so far (and clears it). */
  take(): Buffer {
    const out = this.buffer;
    this.buffer = Buffer.alloc(0);
    return out;
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }
}
