// The printer on a serial line: the device end of a socat pty pair (a null-modem cable in
// software), or any serial device path. Line settings are the host's business on a pty; the port is
// opened 8N1 at `baudRate` (default 9600) with no flow control (XON/XOFF, DTR/DSR not modelled).
import { spawn, type ChildProcess } from 'node:child_process';
import { SerialPort } from 'serialport';
import { PeerEscPosPrinter, type PeerPrinterOptions } from './printer.js';

export interface PeerEscPosSerial {
  readonly printer: PeerEscPosPrinter;
  readonly path: string;
  close(): Promise<void>;
}

export async function startPeerEscPosSerial(
  options: PeerPrinterOptions & { path: string; baudRate?: number },
): Promise<PeerEscPosSerial> {
  const printer = new PeerEscPosPrinter(options);
  const port = new SerialPort({
    path: options.path,
    baudRate: options.baudRate ?? 9600,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  // EIO when the host end goes away must not crash the test process.
  port.on('error', () => undefined);
  port.on('data', (chunk: Buffer) => printer.receive(chunk));
  printer.setOutput((bytes) => {
    if (port.isOpen) port.write(Buffer.from(bytes));
  });
  return {
    printer,
    path: options.path,
    close: async () => {
      printer.setOutput(undefined);
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.drain(() => resolve()));
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}

export interface PtyPair {
  /** Give this end to the printer (startPeerEscPosSerial). */
  readonly printerPath: string;
  /** Give this end to the driver under test. */
  readonly hostPath: string;
  /** Kills this socat (by its own pid) and waits for it to exit. */
  close(): Promise<void>;
}

/** Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and reads the two /dev/pts paths. */
export function openPtyPair(socat = '/usr/bin/socat', timeoutMs = 10_000): Promise<PtyPair> {
  const child: ChildProcess = spawn(socat, ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
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
    const fail = (err: Error): void => {
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
      // Both ends are live once socat starts its transfer loop.
      if (paths.length >= 2 && /starting data transfer loop/.test(stderr)) {
        settled = true;
        clearTimeout(timer);
        child.stderr?.resume();
        resolve({ printerPath: paths[0] as string, hostPath: paths[1] as string, close });
      }
    });
  });
}
