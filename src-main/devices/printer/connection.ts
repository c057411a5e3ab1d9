// A two-way raw byte channel to a printer over serial, raw TCP (port 9100) or a Linux USB
// printer-class device node. Status only works over such a channel: a spooler gives none.
import { constants as fsConstants } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { SerialError } from '../serial/errors';
import { SerialLink } from '../serial/link';
import { PrinterError } from './errors';
import { formatPrinterTarget } from './target';
import type { PrinterTarget } from './target';

export interface PrinterConnection {
  readonly target: PrinterTarget;
  /** Resolves when the bytes were handed to the OS (serial: drained). */
  write(data: Uint8Array): Promise<void>;
  /** Called with every chunk the printer sends back. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once if the channel fails or the peer goes away. */
  onLost(listener: (error: PrinterError) => void): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** How long to wait for a TCP connection (ms, default 3000). */
  connectTimeoutMs?: number;
}

function notConnected(target: PrinterTarget, error: unknown): PrinterError {
  const where = formatPrinterTarget(target);
  // A serial port's failure is already classified (SerialError); a USB node's or a socket's
  // carries its errno code.
  const denied =
    error instanceof SerialError
      ? error.code === 'SERIAL_ACCESS_DENIED'
      : ['EACCES', 'EPERM'].includes(String((error as NodeJS.ErrnoException | undefined)?.code));
  if (denied) return new PrinterError('PRINTER_PERMISSION_DENIED', { where }, { cause: error });
  // The binding's or the socket's own words, for the log.
  const inner = error instanceof SerialError && error.cause !== undefined ? error.cause : error;
  const detail = inner instanceof Error ? inner.message : String(inner);
  return new PrinterError('PRINTER_NOT_CONNECTED', { where }, { detail, cause: error });
}

function lost(target: PrinterTarget): PrinterError {
  return new PrinterError(
    'PRINTER_CONNECTION_LOST',
    { where: formatPrinterTarget(target) },
    { printed: 'unknown' },
  );
}

class Listeners {
  readonly data: ((chunk: Buffer) => void)[] = [];
  readonly lost: ((error: PrinterError) => void)[] = [];
  private lostFired = false;
  emitData(chunk: Buffer): void {
    for (const l of this.data) l(chunk);
  }
  emitLost(error: PrinterError): void {
    if (this.lostFired) return;
    this.lostFired = true;
    for (const l of this.lost) l(error);
  }
}

async function openSerial(
  target: Extract<PrinterTarget, { kind: 'serial' }>,
): Promise<PrinterConnection> {
  // No reopening: a job on a port that went away fails, and the next job opens it afresh.
  const link = new SerialLink({ path: target.path, baudRate: target.baudRate, reopen: false });
  try {
    await link.open();
  } catch (err) {
    throw notConnected(target, err);
  }
  // A late GS r 1 answer from an earlier job may still wait in the OS buffer: drop it, or it
  // would be taken as the answer to this job's first status query.
  await link.flush();
  const listeners = new Listeners();
  link.on('data', (chunk) => listeners.emitData(chunk));
  link.on('lost', () => listeners.emitLost(lost(target)));
  return {
    target,
    write: async (data) => {
      try {
        await link.write(Buffer.from(data));
      } catch {
        throw lost(target);
      }
      await link.drain();
      if (!link.isOpen) throw lost(target);
    },
    onData: (l) => listeners.data.push(l),
    onLost: (l) => listeners.lost.push(l),
    close: () => link.close(),
  };
}

async function openTcp(
  target: Extract<PrinterTarget, { kind: 'tcp' }>,
  options: OpenOptions,
): Promise<PrinterConnection> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(notConnected(target, new Error('connect timeout')));
    }, options.connectTimeoutMs ?? 3000);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      reject(notConnected(target, err));
    });
  });
  socket.setNoDelay(true);
  const listeners = new Listeners();
  let closing = false;
  socket.on('data', (chunk) => listeners.emitData(chunk));
  socket.on('error', () => listeners.emitLost(lost(target)));
  socket.on('close', () => {
    if (!closing) listeners.emitLost(lost(target));
  });
  return {
    target,
    write: (data) =>
      new Promise<void>((resolve, reject) =>
        socket.write(Buffer.from(data), (err) => (err ? reject(lost(target)) : resolve())),
      ),
    onData: (l) => listeners.data.push(l),
    onLost: (l) => listeners.lost.push(l),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 200).unref();
      }),
  };
}

const USB_POLL_MS = 15;

/**
 * Linux usblp (/dev/usb/lp0): opened non-blocking so a printer with nothing to say never
 * ties up a libuv thread; replies are polled. Works the same on any character device or pty.
 */
async function openUsb(
  target: Extract<PrinterTarget, { kind: 'usb' }>,
): Promise<PrinterConnection> {
  let handle: FileHandle;
  try {
    handle = await openFile(
      target.path,
      fsConstants.O_RDWR | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY,
    );
  } catch (err) {
    throw notConnected(target, err);
  }
  const listeners = new Listeners();
  let closed = false;
  let reading: Promise<void> = Promise.resolve();
  const buffer = Buffer.alloc(256);
  // Drop stale replies from an earlier job before anyone listens (see openSerial).
  for (;;) {
    try {
      if ((await handle.read(buffer, 0, buffer.length, null)).bytesRead === 0) break;
    } catch {
      break;
    }
  }
  const poll = async (): Promise<void> => {
    while (!closed) {
      try {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead > 0) {
          listeners.emitData(Buffer.from(buffer.subarray(0, bytesRead)));
          continue;
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') {
          if (!closed) listeners.emitLost(lost(target));
          return;
        }
      }
      await new Promise((r) => setTimeout(r, USB_POLL_MS));
    }
  };
  reading = poll();
  const write = async (data: Uint8Array): Promise<void> => {
    let offset = 0;
    while (offset < data.length) {
      try {
        const { bytesWritten } = await handle.write(data, offset, data.length - offset, null);
        offset += bytesWritten;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw lost(target);
        await new Promise((r) => setTimeout(r, USB_POLL_MS));
      }
    }
  };
  return {
    target,
    write,
    onData: (l) => listeners.data.push(l),
    onLost: (l) => listeners.lost.push(l),
    close: async () => {
      closed = true;
      await reading;
      await handle.close();
    },
  };
}

export async function openPrinterConnection(
  target: PrinterTarget,
  options: OpenOptions = {},
): Promise<PrinterConnection> {
  switch (target.kind) {
    case 'serial':
      return openSerial(target);
    case 'tcp':
      return openTcp(target, options);
    case 'usb':
      return openUsb(target);
  }
}
