// A receipt printer emulator for training mode and tests. It accepts ESC/POS over a serial
// port (e.g. one end of a socat pty pair) or raw TCP, prints into a plain-text picture of the
// paper, answers DLE EOT 1-4 at once (even while stopped) and GS r 1 in order (not while
// stopped at paper end), and can be put into the faults a real printer has. Shaped like every
// simulator (../simulator.ts): startPrinterEmulator(options) → { address, faults, close() }.
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { SerialLink } from '../../devices/serial/link';
import {
  EscPosParser,
  EscPosTextRenderer,
  emptyStatusFlags,
  encodePrinterInfo,
  encodeStatusByte,
  PRINTER_ID_QUERIES,
} from '../../protocols/escpos';
import type {
  ParsedToken,
  PrinterIdentityFields,
  PrinterStatusFlags,
  StatusQuery,
} from '../../protocols/escpos';
import {
  FaultPlan,
  type SerialAddress,
  type SimAddress,
  type Simulator,
  type TcpAddress,
} from '../simulator';

export interface PrinterEmulatorOptions {
  /** Serve on this serial device (e.g. the device end of a pty pair). */
  serialPath?: string;
  baudRate?: number;
  /** Or serve raw TCP on this port (0 = any free port; see `address.port`). */
  tcpPort?: number;
  tcpHost?: string;
  /** Append every printed line here as it prints. */
  outFile?: string;
  /** Paper width for centring (default 80). */
  paper?: 58 | 80;
  faults?: PrinterEmulatorFaults;
  /** Who it says it is over GS I (default PRINTER_EMULATOR_IDENTITY); null: it ignores GS I,
   *  as many clones do. Changed later with `setIdentity` (another printer on the cable). */
  identity?: PrinterIdentityFields | null;
}

/** The training printer's identity over GS I. */
export const PRINTER_EMULATOR_IDENTITY: PrinterIdentityFields = {
  maker: 'CASHIER TRAINING',
  model: 'ESCPOS-EMU',
  serialNumber: 'PRN-EMU-0001',
  firmware: '1.0',
};

/** What can go wrong with the emulated printer; each maps to the DLE EOT bits. */
export interface PrinterEmulatorFaults {
  offline?: boolean;
  coverOpen?: boolean;
  /** Out of paper (set by the emulator too, when `paperEndAfterBytes` runs out mid-slip). */
  paperEnd?: boolean;
  /** The roll ends after this many more bytes: printing stops mid-slip, as at a real paper end. */
  paperEndAfterBytes?: number;
  paperNearEnd?: boolean;
  cutterError?: boolean;
  unrecoverableError?: boolean;
  /** Head overheated: recovers by itself (autoRecoverableError). */
  overheated?: boolean;
}

export type PrinterAddress = TcpAddress | SerialAddress;

export interface PrinterEmulator<Address extends PrinterAddress = PrinterAddress> extends Simulator<
  PrinterEmulatorFaults,
  Address
> {
  /** Every printed line so far (cuts as `--- cut ---`). */
  readonly lines: readonly string[];
  text(): string;
  /** Total bytes received. */
  readonly bytesReceived: number;
  /** DLE EOT flags the emulator reports right now. */
  status(): PrinterStatusFlags;
  /** Called with each line as it is printed; returns a function that unsubscribes. */
  onLine(listener: (line: string) => void): () => void;
  /** What it answers to GS I now (null: it ignores GS I). */
  identity(): PrinterIdentityFields | null;
  /** Another printer on the same cable (or the first one back); null: one that ignores GS I. */
  setIdentity(identity: PrinterIdentityFields | null): void;
}

/** A new roll: the paper knobs off (what `paper load` on stdin does). */
export const PAPER_LOADED: PrinterEmulatorFaults = {
  paperEnd: false,
  paperNearEnd: false,
  paperEndAfterBytes: undefined,
};

interface QueuedToken {
  parsed: ParsedToken;
  reply: (byte: number) => void;
}

const PRINTING_KINDS = new Set(['text', 'lf', 'cut', 'raster', 'qr']);

export function startPrinterEmulator(
  options: PrinterEmulatorOptions & { tcpPort: number },
): Promise<PrinterEmulator<TcpAddress>>;
export function startPrinterEmulator(
  options: PrinterEmulatorOptions & { serialPath: string },
): Promise<PrinterEmulator<SerialAddress>>;
export function startPrinterEmulator(options: PrinterEmulatorOptions): Promise<PrinterEmulator>;
export async function startPrinterEmulator(
  options: PrinterEmulatorOptions,
): Promise<PrinterEmulator> {
  if ((options.serialPath === undefined) === (options.tcpPort === undefined)) {
    throw new Error('startPrinterEmulator needs serialPath or tcpPort (one of them)');
  }
  // Set when the roll ran out inside a piece (DLE EOT 2 bit 5); a new roll clears it.
  let stoppedAtPaperEnd = false;
  const plan: FaultPlan<PrinterEmulatorFaults> = new FaultPlan(options.faults, () => {
    if (!plan.active.paperEnd) stoppedAtPaperEnd = false;
    pump();
  });
  let bytesReceived = 0;
  let identity: PrinterIdentityFields | null =
    options.identity === undefined ? { ...PRINTER_EMULATOR_IDENTITY } : options.identity;
  const renderer = new EscPosTextRenderer(options.paper === 58 ? 32 : 48);
  const queue: QueuedToken[] = [];
  const lineListeners: ((line: string) => void)[] = [];
  const out: WriteStream | undefined = options.outFile
    ? createWriteStream(options.outFile, { flags: 'a' })
    : undefined;

  const status = (): PrinterStatusFlags => {
    const f = plan.active;
    const error = !!(f.cutterError || f.unrecoverableError || f.overheated);
    return {
      ...emptyStatusFlags(),
      offline: !!(f.offline || f.coverOpen || f.paperEnd) || error,
      waitingForRecovery: !!f.overheated,
      coverOpen: !!f.coverOpen,
      stoppedAtPaperEnd,
      errorOccurred: error,
      cutterError: !!f.cutterError,
      unrecoverableError: !!f.unrecoverableError,
      autoRecoverableError: !!f.overheated,
      paperNearEnd: !!f.paperNearEnd,
      paperEnd: !!f.paperEnd,
    };
  };

  const canPrint = (): boolean => !status().offline;

  /** GS r 1 answer: bits 0-1 near end, bits 2-3 paper end. */
  const paperSensorByte = (): number =>
    (plan.active.paperNearEnd ? 0x03 : 0) | (plan.active.paperEnd ? 0x0c : 0);

  const emitLines = (lines: string[]): void => {
    for (const line of lines) {
      out?.write(`${line}\n`);
      for (const l of lineListeners) l(line);
    }
  };

  function pump(): void {
    while (queue.length > 0 && canPrint()) {
      const { parsed, reply } = queue[0]!;
      const { token, length } = parsed;
      const left = plan.active.paperEndAfterBytes;
      if (left !== undefined && PRINTING_KINDS.has(token.kind) && left < length) {
        // The roll ends inside this piece: stop here, like a printer at paper end.
        plan.record({ paperEnd: true, paperEndAfterBytes: undefined });
        stoppedAtPaperEnd = true;
        return;
      }
      queue.shift();
      if (left !== undefined) plan.record({ paperEndAfterBytes: Math.max(0, left - length) });
      if (token.kind === 'transmit-status') {
        reply(token.n === 1 || token.n === 49 ? paperSensorByte() : 0x00);
        continue;
      }
      if (token.kind === 'transmit-id') {
        // Printer information B, in order like GS r; a clone that ignores GS I says nothing.
        const field = (Object.keys(PRINTER_ID_QUERIES) as (keyof PrinterIdentityFields)[]).find(
          (f) => PRINTER_ID_QUERIES[f] === token.n,
        );
        if (identity && field) for (const byte of encodePrinterInfo(identity[field])) reply(byte);
        continue;
      }
      emitLines(renderer.consume(token));
    }
  }

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

  let link: SerialLink | undefined;
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let address: SimAddress;
  if (options.serialPath !== undefined) {
    // The peer going away is not an error here: tests close both ends.
    const serial = new SerialLink({
      path: options.serialPath,
      baudRate: options.baudRate ?? 9600,
      reopen: false,
    });
    await serial.open();
    serial.on(
      'data',
      receiver((byte) => void serial.write(Buffer.of(byte)).catch(() => undefined)),
    );
    link = serial;
    address = { kind: 'serial', path: options.serialPath };
  } else {
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
    const host = options.tcpHost ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(options.tcpPort, host, () => resolve());
    });
    const bound = srv.address();
    address = { kind: 'tcp', host, port: typeof bound === 'object' && bound ? bound.port : 0 };
    server = srv;
  }

  return {
    address,
    faults: plan,
    get lines() {
      return renderer.lines;
    },
    text: () => renderer.text(),
    get bytesReceived() {
      return bytesReceived;
    },
    status,
    identity: () => (identity ? { ...identity } : null),
    setIdentity: (next) => {
      identity = next ? { ...next } : null;
    },
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
      await link?.close();
      if (out) await new Promise<void>((resolve) => out.end(() => resolve()));
    },
  };
}
