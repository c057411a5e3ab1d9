// Printing with status: DLE EOT 1-4 before sending (refuse when the printer cannot print),
// then the slip followed by GS r 1, whose answer means "everything before me was printed".
// If that answer does not come, real-time status (still answered by a stopped printer) tells
// whether the paper ran out mid-slip, so the caller can mark the slip as not printed.
import {
  decodeStatus,
  emptyStatusFlags,
  isPaperStatusReply,
  isRealtimeStatusReply,
  isReadyToPrint,
  PRINTER_ID_QUERIES,
  PrinterInfoScanner,
  printerIdRequest,
  realtimeStatusRequest,
  STATUS_QUERIES,
  statusProblems,
  TRANSMIT_PAPER_STATUS,
} from '../../protocols/escpos';
import type {
  PrinterIdField,
  PrinterIdentityFields,
  PrinterProblem,
  PrinterStatusFlags,
  StatusBytes,
  StatusQuery,
} from '../../protocols/escpos';
import { openPrinterConnection } from './connection';
import type { OpenOptions, PrinterConnection } from './connection';
import { PrinterError } from './errors';
import { formatPrinterTarget } from './target';
import type { PrinterTarget } from './target';

export interface PrinterStatusReport {
  /** Raw reply to DLE EOT 1..4. */
  bytes: StatusBytes;
  flags: PrinterStatusFlags;
  /** Every set flag with its messages, most serious first. */
  problems: PrinterProblem[];
  /** No blocking problem: printing may start. */
  ready: boolean;
}

export interface PrintOptions extends OpenOptions {
  /** Wait for each DLE EOT reply (ms, default 1000). */
  statusTimeoutMs?: number;
  /** Wait for the GS r 1 answer after the last byte left (ms, default 10000). */
  completionTimeoutMs?: number;
  /** While waiting for GS r 1, check real-time status this often (ms, default 500). */
  pollIntervalMs?: number;
  /**
   * Wait for GS r 1 to confirm the slip was printed (default true). Set false only for a
   * printer that does not implement GS r: then success means "sent, and status still fine".
   */
  confirmCompletion?: boolean;
}

export interface PrintResult {
  target: string;
  bytesSent: number;
  statusBefore: PrinterStatusReport;
  /** Non-blocking problems worth showing (e.g. paper near end). */
  warnings: PrinterProblem[];
  /** The GS r 1 answer (bits 0-1 paper near end, bits 2-3 paper end); absent when not asked. */
  paperStatus?: number;
  elapsedMs: number;
}

/** Sorts replies: DLE EOT answers look like 0xx1xx10, GS r 1 answers like 0xx0xx00. */
class ReplyReader {
  private readonly status: number[] = [];
  private readonly paper: number[] = [];
  private wake: (() => void) | undefined;
  private failure: PrinterError | undefined;

  constructor(connection: PrinterConnection) {
    connection.onData((chunk) => {
      for (const byte of chunk) {
        if (isRealtimeStatusReply(byte)) this.status.push(byte);
        else if (isPaperStatusReply(byte)) this.paper.push(byte);
        // anything else (XON/XOFF, noise) is ignored
      }
      this.wake?.();
    });
    connection.onLost((error) => {
      this.failure = error;
      this.wake?.();
    });
  }

  discard(): void {
    this.status.length = 0;
    this.paper.length = 0;
  }

  nextStatus(timeoutMs: number): Promise<number | undefined> {
    return this.next(this.status, timeoutMs);
  }

  nextPaper(timeoutMs: number): Promise<number | undefined> {
    return this.next(this.paper, timeoutMs);
  }

  private async next(queue: number[], timeoutMs: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      if (queue.length > 0) return queue.shift();
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

function noReply(target: PrinterTarget, query: StatusQuery): PrinterError {
  const serial = target.kind === 'serial';
  return new PrinterError('PRINTER_NO_REPLY', {
    where: formatPrinterTarget(target),
    query,
    serial,
  });
}

/** One job per printer at a time in this process, so status, slip and GS r 1 never interleave. */
const printerQueues = new Map<string, Promise<unknown>>();

function exclusive<T>(target: PrinterTarget, job: () => Promise<T>): Promise<T> {
  const key = formatPrinterTarget(target).replace(/@\d+$/, '');
  const previous = printerQueues.get(key) ?? Promise.resolve();
  const run = previous.then(job, job);
  const tail = run.catch(() => undefined);
  printerQueues.set(key, tail);
  void tail.then(() => {
    if (printerQueues.get(key) === tail) printerQueues.delete(key);
  });
  return run;
}

async function queryOne(
  connection: PrinterConnection,
  reader: ReplyReader,
  query: StatusQuery,
  timeoutMs: number,
): Promise<number> {
  await connection.write(realtimeStatusRequest(query));
  const byte = await reader.nextStatus(timeoutMs);
  if (byte === undefined) throw noReply(connection.target, query);
  return byte;
}

function report(bytes: StatusBytes): PrinterStatusReport {
  const flags = decodeStatus(bytes);
  return { bytes, flags, problems: statusProblems(flags), ready: isReadyToPrint(flags) };
}

async function queryAll(
  connection: PrinterConnection,
  reader: ReplyReader,
  timeoutMs: number,
): Promise<PrinterStatusReport> {
  const bytes: StatusBytes = { 1: 0, 2: 0, 3: 0, 4: 0 };
  // One at a time: each reply is a bare byte, so order is the only way to match them.
  for (const query of STATUS_QUERIES)
    bytes[query] = await queryOne(connection, reader, query, timeoutMs);
  return report(bytes);
}

/** Opens the printer, reads DLE EOT 1-4 and closes again. */
export function getPrinterStatus(
  target: PrinterTarget,
  options: PrintOptions = {},
): Promise<PrinterStatusReport> {
  return exclusive(target, () => statusJob(target, options));
}

async function statusJob(
  target: PrinterTarget,
  options: PrintOptions,
): Promise<PrinterStatusReport> {
  const connection = await openPrinterConnection(target, options);
  try {
    const reader = new ReplyReader(connection);
    return await queryAll(connection, reader, options.statusTimeoutMs ?? 1000);
  } finally {
    await connection.close();
  }
}

function notReady(status: PrinterStatusReport): PrinterError {
  const blocking = status.problems.filter((p) => p.severity === 'blocking');
  const first = blocking[0]!;
  return new PrinterError('PRINTER_NOT_READY', { problem: first }, { problems: status.problems });
}

function stoppedDuringPrint(status: PrinterStatusReport): PrinterError {
  if (status.flags.paperEnd || status.flags.stoppedAtPaperEnd) {
    return new PrinterError('PRINTER_PAPER_OUT_DURING_PRINT', { problems: status.problems });
  }
  const first = status.problems.find((p) => p.severity === 'blocking')!;
  return new PrinterError(
    'PRINTER_STOPPED_DURING_PRINT',
    { problem: first },
    { problems: status.problems },
  );
}

/**
 * Sends ready-made ESC/POS bytes (a slip from core/slip) and waits until the printer has
 * printed them. Throws PrinterError: PRINTER_NOT_READY (nothing sent),
 * PRINTER_PAPER_OUT_DURING_PRINT / PRINTER_STOPPED_DURING_PRINT (slip incomplete),
 * PRINTER_COMPLETION_TIMEOUT (outcome unknown), PRINTER_NOT_CONNECTED, PRINTER_NO_REPLY.
 */
export function printSlip(
  target: PrinterTarget,
  bytes: Uint8Array,
  options: PrintOptions = {},
): Promise<PrintResult> {
  return exclusive(target, () => printJob(target, bytes, options));
}

async function printJob(
  target: PrinterTarget,
  bytes: Uint8Array,
  options: PrintOptions,
): Promise<PrintResult> {
  const started = Date.now();
  const statusTimeout = options.statusTimeoutMs ?? 1000;
  const pollInterval = options.pollIntervalMs ?? 500;
  const connection = await openPrinterConnection(target, options);
  try {
    const reader = new ReplyReader(connection);
    reader.discard();
    const statusBefore = await queryAll(connection, reader, statusTimeout);
    if (!statusBefore.ready) throw notReady(statusBefore);

    const warnings = statusBefore.problems.filter((p) => p.severity !== 'blocking');
    const done = (paperStatus?: number): PrintResult => {
      // The roll may have reached its near-end mark while this slip printed.
      if (paperStatus !== undefined && paperStatus & 0x03 && !statusBefore.flags.paperNearEnd) {
        warnings.push(...statusProblems({ ...emptyStatusFlags(), paperNearEnd: true }));
      }
      return {
        target: formatPrinterTarget(target),
        bytesSent: bytes.length,
        statusBefore,
        warnings,
        ...(paperStatus === undefined ? {} : { paperStatus }),
        elapsedMs: Date.now() - started,
      };
    };
    if (options.confirmCompletion === false) {
      await connection.write(bytes);
      const after = await queryAll(connection, reader, statusTimeout);
      if (!after.ready) throw stoppedDuringPrint(after);
      return done();
    }

    await connection.write(Buffer.concat([bytes, TRANSMIT_PAPER_STATUS]));
    const deadline = Date.now() + (options.completionTimeoutMs ?? 10_000);
    for (;;) {
      const paperStatus = await reader.nextPaper(Math.min(pollInterval, deadline - Date.now()));
      if (paperStatus !== undefined) return done(paperStatus);
      // Still busy or stopped? Real-time status is answered even by a stopped printer, and
      // our stream ended with a complete command, so DLE EOT cannot split anything.
      const now = await queryAll(connection, reader, statusTimeout);
      if (!now.ready) throw stoppedDuringPrint(now);
      if (Date.now() >= deadline) {
        throw new PrinterError('PRINTER_COMPLETION_TIMEOUT', {
          problems: now.problems,
          printed: 'unknown',
        });
      }
    }
  } finally {
    await connection.close();
  }
}

export interface IdentityOptions extends OpenOptions {
  /** Wait for each GS I answer (ms, default 800): a printer that answers does so at once. */
  replyTimeoutMs?: number;
}

/**
 * Who the printer says it is (GS I maker, model, serial number, firmware), or null when it does
 * not answer GS I (many clones, a spooler, a one-way link): "identity not reported", never an
 * error. Asks one field at a time (the blocks carry no field name, so order matches them); a
 * field that gets no answer ends the reading with the rest left ''. Throws only when the printer cannot be opened at all
 * (PRINTER_NOT_CONNECTED, PRINTER_PERMISSION_DENIED): then nothing is known yet.
 */
export function readPrinterIdentity(
  target: PrinterTarget,
  options: IdentityOptions = {},
): Promise<PrinterIdentityFields | null> {
  return exclusive(target, () => identityJob(target, options));
}

async function identityJob(
  target: PrinterTarget,
  options: IdentityOptions,
): Promise<PrinterIdentityFields | null> {
  const timeoutMs = options.replyTimeoutMs ?? 800;
  const connection = await openPrinterConnection(target, options);
  try {
    const scanner = new PrinterInfoScanner();
    const blocks: string[] = [];
    let wake: (() => void) | undefined;
    let lostLink = false;
    connection.onData((chunk) => {
      blocks.push(...scanner.push(chunk));
      wake?.();
    });
    connection.onLost(() => {
      lostLink = true;
      wake?.();
    });
    const next = async (): Promise<string | undefined> => {
      const deadline = Date.now() + timeoutMs;
      while (blocks.length === 0 && !lostLink) {
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      return blocks.shift();
    };
    const identity: PrinterIdentityFields = {
      maker: '',
      model: '',
      serialNumber: '',
      firmware: '',
    };
    for (const field of Object.keys(PRINTER_ID_QUERIES) as PrinterIdField[]) {
      try {
        await connection.write(printerIdRequest(field));
      } catch {
        return null;
      }
      const text = await next();
      // Silent at the first field: no GS I at all. Later: this model lacks that field (Bixolon
      // has no serial number); stop asking, so a late block cannot be taken for the next field.
      if (text === undefined) return field === 'maker' ? null : identity;
      identity[field] = text;
    }
    return identity;
  } finally {
    await connection.close();
  }
}
