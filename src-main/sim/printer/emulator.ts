// A receipt printer emulator for training mode and tests. It accepts ESC/POS over a serial
// port (e.g. one end of a socat pty pair) or raw TCP, prints into a plain-text picture of the
// paper, answers DLE EOT 1-4 at once (even while stopped) and GS r 1 in order (not while
// stopped at paper end), and can be put into the faults a real printer has.
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { SerialPort } from 'serialport';
import {
  EscPosParser,
  EscPosTextRenderer,
  emptyStatusFlags,
  encodeStatusByte,
} from '../../protocols/escpos';
import type { ParsedToken, PrinterStatusFlags, StatusQuery } from '../../protocols/escpos';

export interface PrinterEmulatorOptions {
  /** Serve on this serial device (e.g. the device end of a pty pair). */
  serialPath?: string;
  baudRate?: number;
  /** Serve raw TCP on this port (0 = any free port; see `tcpPort` on the result). */
  tcpPort?: number;
  tcpHost?: string;
  /** Append every printed line here as it prints. */
  outFile?: string;
  /** Paper width for centring (default 80). */
  paper?: 58 | 80;
}

/** What can go wrong with the emulated printer; each maps to the DLE EOT bits. */
export interface PrinterEmulatorFaults {
  offline: boolean;
  coverOpen: boolean;
  paperEnd: boolean;
  paperNearEnd: boolean;
  cutterError: boolean;
  unrecoverableError: boolean;
  /** Head overheated: recovers by itself (autoRecoverableError). */
  overheated: boolean;
}

export interface PrinterEmulator {
  /** The TCP port actually bound (when tcpPort was given). */
  readonly tcpPort: number | undefined;
  /** Every printed line so far (cuts as `--- cut ---`). */
  readonly lines: readonly string[];
  text(): string;
  /** Total bytes received. */
  readonly bytesReceived: number;
  faults(): PrinterEmulatorFaults;
  /** DLE EOT flags the emulator reports right now. */
  status(): PrinterStatusFlags;
  setOffline(on: boolean): void;
  setCoverOpen(open: boolean): void;
  /** Paper runs out now. */
  runOutOfPaper(): void;
  /** Paper runs out after this many more bytes have been processed (to test mid-slip). */
  runOutOfPaperAfter(bytes: number): void;
  setPaperNearEnd(on: boolean): void;
  /** New roll: clears paper end and near end; printing resumes where it stopped. */
  loadPaper(): void;
  setCutterError(on: boolean): void;
  setUnrecoverableError(on: boolean): void;
  setOverheated(on: boolean): void;
  /** Clears every fault and resumes printing. */
  recover(): void;
  /** Called with each line as it is printed; returns a function that unsubscribes. */
  onLine(listener: (line: string) => void): () => void;
  close(): Promise<void>;
}

interface QueuedToken {
  parsed: ParsedToken;
  reply: (byte: number) => void;
}

const PRINTING_KINDS = new Set(['text', 'lf', 'cut', 'raster', 'qr']);

export async function startPrinterEmulator(
  options: PrinterEmulatorOptions,
): Promise<PrinterEmulator> {
  if (options.serialPath === undefined && options.tcpPort === undefined) {
    throw new Error('startPrinterEmulator needs serialPath or tcpPort');
  }
  const faults: PrinterEmulatorFaults = {
    offline: false,
    coverOpen: false,
    paperEnd: false,
    paperNearEnd: false,
    cutterError: false,
    unrecoverableError: false,
    overheated: false,
  };
  let stoppedAtPaperEnd = false;
  let paperBudget = Infinity;
  let bytesReceived = 0;
  const renderer = new EscPosTextRenderer(options.paper === 58 ? 32 : 48);
  const queue: QueuedToken[] = [];
  const lineListeners: ((line: string) => void)[] = [];
  const out: WriteStream | undefined = options.outFile
    ? createWriteStream(options.outFile, { flags: 'a' })
    : undefined;

  const status = (): PrinterStatusFlags => {
    const error = faults.cutterError || faults.unrecoverableError || faults.overheated;
    return {
      ...emptyStatusFlags(),
      offline: faults.offline || faults.coverOpen || faults.paperEnd || error,
      waitingForRecovery: faults.overheated,
      coverOpen: faults.coverOpen,
      stoppedAtPaperEnd,
      errorOccurred: error,
      cutterError: faults.cutterError,
      unrecoverableError: faults.unrecoverableError,
      autoRecoverableError: faults.overheated,
      paperNearEnd: faults.paperNearEnd,
      paperEnd: faults.paperEnd,
    };
  };

  const canPrint = (): boolean => !status().offline;

  /** GS r 1 answer: bits 0-1 near end, bits 2-3 paper end. */
  const paperSensorByte = (): number =>
    (faults.paperNearEnd ? 0x03 : 0) | (faults.paperEnd ? 0x0c : 0);

  const emitLines = (lines: string[]): void => {
    for (const line of lines) {
      out?.write(`${line}\n`);
      for (const l of lineListeners) l(line);
    }
  };

  const pump = (): void => {
    while (queue.length > 0 && canPrint()) {
      const { parsed, reply } = queue[0]!;
      const { token, length } = parsed;
      if (PRINTING_KINDS.has(token.kind) && paperBudget < length) {
        // The roll ends inside this piece: stop here, like a printer at paper end.
        paperBudget = 0;
        faults.paperEnd = true;
        stoppedAtPaperEnd = true;
        return;
      }
      queue.shift();
      paperBudget = Math.max(0, paperBudget - length);
      if (token.kind === 'transmit-status') {
        reply(token.n === 1 || token.n === 49 ? paperSensorByte() : 0x00);
        continue;
      }
      emitLines(renderer.consume(token));
    }
  };

  /** Bytes from one client (serial port or TCP connection). */
  const receiver = (reply: (byte: number) => void): ((chunk: Buffer) => void) => {
    const parser = new EscPosParser();
    return (chunk) => {
      bytesReceived += chunk.length;
      for (const parsed of parser.push(chunk)) {
        if (parsed.token.kind === 'realtime-status') {
          // Real-time: answered from the receive buffer, ahead of anything queued.
          const n = parsed.token.n;
          if (n >= 1 && n <= 4) reply(encodeStatusByte(n as StatusQuery, status()));
          continue;
        }
        queue.push({ parsed, reply });
      }
      pump();
    };
  };

  let serial: SerialPort | undefined;
  if (options.serialPath !== undefined) {
    const port = new SerialPort({
      path: options.serialPath,
      baudRate: options.baudRate ?? 9600,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on(
      'data',
      receiver((byte) => port.write(Buffer.of(byte))),
    );
    port.on('error', () => undefined); // peer gone: tests close both ends
    serial = port;
  }

  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let tcpPort: number | undefined;
  if (options.tcpPort !== undefined) {
    const srv = createServer((socket) => {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on(
        'data',
        receiver((byte) => {
          if (!socket.destroyed) socket.write(Buffer.of(byte));
        }),
      );
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(options.tcpPort, options.tcpHost ?? '127.0.0.1', () => resolve());
    });
    const address = srv.address();
    tcpPort = typeof address === 'object' && address ? address.port : undefined;
    server = srv;
  }

  const change = (apply: () => void): void => {
    apply();
    pump();
  };

  return {
    tcpPort,
    get lines() {
      return renderer.lines;
    },
    text: () => renderer.text(),
    get bytesReceived() {
      return bytesReceived;
    },
    faults: () => ({ ...faults }),
    status,
    setOffline: (on) => change(() => (faults.offline = on)),
    setCoverOpen: (open) => change(() => (faults.coverOpen = open)),
    runOutOfPaper: () => change(() => (faults.paperEnd = true)),
    runOutOfPaperAfter: (bytes) => change(() => (paperBudget = bytes)),
    setPaperNearEnd: (on) => change(() => (faults.paperNearEnd = on)),
    loadPaper: () =>
      change(() => {
        faults.paperEnd = false;
        faults.paperNearEnd = false;
        stoppedAtPaperEnd = false;
        paperBudget = Infinity;
      }),
    setCutterError: (on) => change(() => (faults.cutterError = on)),
    setUnrecoverableError: (on) => change(() => (faults.unrecoverableError = on)),
    setOverheated: (on) => change(() => (faults.overheated = on)),
    recover: () =>
      change(() => {
        for (const key of Object.keys(faults) as (keyof PrinterEmulatorFaults)[])
          faults[key] = false;
        stoppedAtPaperEnd = false;
        paperBudget = Infinity;
      }),
    onLine: (listener) => {
      lineListeners.push(listener);
      return () => {
        const i = lineListeners.indexOf(listener);
        if (i >= 0) lineListeners.splice(i, 1);
      };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      if (serial?.isOpen) await new Promise<void>((resolve) => serial.close(() => resolve()));
      if (out) await new Promise<void>((resolve) => out.end(() => resolve()));
    },
  };
}
