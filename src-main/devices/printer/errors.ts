// Typed printer errors: a stable code for the core and logs, English and Chinese messages
// a cashier can act on.
import type { PrinterProblem } from '../../protocols/escpos';

export type PrinterErrorCode =
  | 'PRINTER_TARGET_INVALID'
  | 'PRINTER_NOT_CONNECTED'
  | 'PRINTER_PERMISSION_DENIED'
  | 'PRINTER_NO_REPLY'
  | 'PRINTER_NOT_READY'
  | 'PRINTER_PAPER_OUT_DURING_PRINT'
  | 'PRINTER_STOPPED_DURING_PRINT'
  | 'PRINTER_COMPLETION_TIMEOUT'
  | 'PRINTER_CONNECTION_LOST';

export class PrinterError extends Error {
  override readonly name = 'PrinterError';
  constructor(
    readonly code: PrinterErrorCode,
    message: string,
    readonly messageZh: string,
    /** Status problems behind the error (not-ready and stopped-during-print). */
    readonly problems: PrinterProblem[] = [],
    /** False when the slip certainly did not come out complete: the log row can be reprinted. */
    readonly printed: false | 'unknown' = false,
  ) {
    super(message);
  }
}
