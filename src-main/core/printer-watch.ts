// The printer as the status bar shows it, kept live: its real-time status is read every few
// seconds, so a printer that ran out of paper shows 打印机：缺纸 at once and 就绪 again as soon
// as paper is loaded, without waiting for the next slip. Reads share the printer's one job queue
// (devices/printer), so they never cut into a slip being printed.
import { getPrinterStatus, PrinterError, type PrinterTarget } from '../devices/printer';
import type { StatusBoard } from './status';

export const PRINTER_POLL_MS = 3_000;

export class PrinterWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly target: PrinterTarget,
    private readonly training: boolean,
    private readonly status: Pick<StatusBoard, 'set'>,
    /** Runs after each reading (training: the armed faults may have changed). */
    private readonly after: () => void = () => undefined,
    private readonly intervalMs: number = PRINTER_POLL_MS,
  ) {}

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
    } catch (err) {
      if (this.stopped) return;
      this.status.set({
        printer: 'error',
        printerProblem: err instanceof PrinterError ? err.code : 'PRINTER_NO_REPLY',
      });
    }
  }
}
