// The printer as the status bar shows it, kept live: its real-time status is read every few
// seconds, so a printer that ran out of paper shows 打印机：缺纸 at once and 就绪 again as soon
// as paper is loaded, without waiting for the next slip. Reads share the printer's one job queue
// (devices/printer), so they never cut into a slip being printed.
//
// Who the printer is (GS I) is read when the watch starts, after every reading that failed (a
// replug or a power cycle: whatever answers next is asked again), on request, and once a minute
// (a network printer swapped between two readings), and handed to the printer trust.
import {
  getPrinterStatus,
  PrinterError,
  readPrinterIdentity,
  type PrinterTarget,
} from '../devices/printer';
import type { PrinterIdentityFields } from '../protocols/escpos';
import type { StatusBoard } from './status';

export const PRINTER_POLL_MS = 3_000;
/** A printer that stays reachable is asked who it is again this often. */
export const PRINTER_IDENTITY_REFRESH_MS = 60_000;

/** Where GS I readings go (the printer trust), and how they are read (tests may swap it). */
export interface IdentityPort {
  identified(fields: PrinterIdentityFields | null): void;
  read?: (target: PrinterTarget) => Promise<PrinterIdentityFields | null>;
}

export class PrinterWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** When who the printer is was last read (0: read it at the next good reading). */
  private identityReadAt = 0;

  constructor(
    private readonly target: PrinterTarget,
    private readonly training: boolean,
    private readonly status: Pick<StatusBoard, 'set'>,
    /** Runs after each reading (training: the armed faults may have changed). */
    private readonly after: () => void = () => undefined,
    private readonly intervalMs: number = PRINTER_POLL_MS,
    private readonly identity: IdentityPort | null = null,
  ) {}

  /** Asks the printer who it is now (a replug we know of, a slip before the first reading). */
  async identify(): Promise<void> {
    // A reading under way may be past its identity step: let it end, then read again.
    await this.running?.catch(() => undefined);
    this.identityReadAt = 0;
    await this.poll();
  }

  start(): void {
    this.stopped = false;
    void this.poll();
  }

  /** Reads the status now (one reading at a time); the next one follows after the interval. */
  poll(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.read().finally(() => {
      this.running = undefined;
      this.after();
      if (this.stopped) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.poll(), this.intervalMs);
      this.timer.unref();
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async read(): Promise<void> {
    try {
      const report = await getPrinterStatus(this.target, {
        connectTimeoutMs: 2_000,
        statusTimeoutMs: 1_000,
      });
      if (this.stopped) return;
      // The most serious problem first: blocking ones, else a warning such as paper near end.
      const problem = report.problems.find((p) => p.severity !== 'info');
      this.status.set({
        printer: report.ready ? (this.training ? 'training' : 'ready') : 'error',
        printerProblem: problem?.code ?? null,
      });
      // GS I waits in the printer's buffer while it is offline (cover open, paper out): ask
      // once it is back, or silence would read as "identity not reported".
      if (!report.flags.offline) await this.readIdentity();
    } catch (err) {
      if (this.stopped) return;
      // Unplugged, switched off or gone from the network: ask whoever answers next.
      this.identityReadAt = 0;
      this.status.set({
        printer: 'error',
        printerProblem: err instanceof PrinterError ? err.code : 'PRINTER_NO_REPLY',
      });
    }
  }

  private async readIdentity(): Promise<void> {
    const port = this.identity;
    if (!port || Date.now() - this.identityReadAt < PRINTER_IDENTITY_REFRESH_MS) return;
    const read = port.read ?? ((target: PrinterTarget) => readPrinterIdentity(target));
    let fields: PrinterIdentityFields | null;
    try {
      fields = await read(this.target);
    } catch {
      // Could not be opened just now: nothing learnt, ask again at the next good reading.
      return;
    }
    if (this.stopped) return;
    this.identityReadAt = Date.now();
    port.identified(fields);
  }
}
