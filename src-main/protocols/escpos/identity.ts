// GS I n, "Transmit printer ID", printer information B (Epson ESC/POS reference, GS I):
//   n = 65 (0x41) firmware version, 66 (0x42) maker name, 67 (0x43) printer model,
//   68 (0x44) serial number.
// The printer answers each with one block: header 0x5F, the information (printable ASCII, its
// length depends on the model), NUL (0x00). Unlike DLE EOT, GS I is not real-time: it is
// answered when the printer reaches it in its receive buffer. Many clones ignore it; a spooler
// or a one-way link never answers; the caller treats silence as "identity not reported".
import { GS } from './commands';

/** The GS I n of each field of the identity we read, in the order we ask. */
export const PRINTER_ID_QUERIES = {
  maker: 0x42,
  model: 0x43,
  serialNumber: 0x44,
  firmware: 0x41,
} as const;

export type PrinterIdField = keyof typeof PRINTER_ID_QUERIES;

/** What a printer says it is over GS I; '' where it sent an empty block. */
export type PrinterIdentityFields = Record<PrinterIdField, string>;

/** Printer information B: header byte before the information. */
export const PRINTER_INFO_HEADER = 0x5f;
const NUL = 0x00;
/** Longer than any model's information (Epson: up to 80 bytes): a block this long is noise. */
export const PRINTER_INFO_MAX_BYTES = 80;

/** GS I n for one field of the identity (1D 49 n). */
export function printerIdRequest(field: PrinterIdField): Uint8Array {
  return Uint8Array.of(GS, 0x49, PRINTER_ID_QUERIES[field]);
}

/** The block a printer sends for `text` (the emulators' side): 5F, ASCII, 00. */
export function encodePrinterInfo(text: string): Uint8Array {
  const ascii = [...text]
    .map((c) => c.charCodeAt(0))
    .filter((b) => b >= 0x20 && b <= 0x7e)
    .slice(0, PRINTER_INFO_MAX_BYTES);
  return Uint8Array.of(PRINTER_INFO_HEADER, ...ascii, NUL);
}

/** The information of one block's bytes between header and NUL: printable ASCII, trimmed. */
export function decodePrinterInfo(data: Uint8Array): string {
  let text = '';
  for (const b of data) if (b >= 0x20 && b <= 0x7e) text += String.fromCharCode(b);
  return text.trim();
}

/**
 * Finds printer information B blocks in what a printer sends back. Bytes outside a block (a late
 * DLE EOT or GS r answer, XON/XOFF) are skipped; a block longer than PRINTER_INFO_MAX_BYTES is
 * dropped as noise and the search starts again after its header.
 */
export class PrinterInfoScanner {
  private block: number[] | null = null;

  /** The information of every block completed by `chunk`, in order. */
  push(chunk: Uint8Array): string[] {
    const done: string[] = [];
    for (const byte of chunk) {
      if (this.block === null) {
        if (byte === PRINTER_INFO_HEADER) this.block = [];
        continue;
      }
      if (byte === NUL) {
        done.push(decodePrinterInfo(Uint8Array.from(this.block)));
        this.block = null;
      } else if (this.block.length >= PRINTER_INFO_MAX_BYTES) {
        this.block = byte === PRINTER_INFO_HEADER ? [] : null;
      } else {
        this.block.push(byte);
      }
    }
    return done;
  }
}
