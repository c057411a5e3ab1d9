// Decoding of DLE EOT 1-4 status bytes into typed flags and cashier-readable messages.
// Bit meanings follow the Epson ESC/POS reference that Chinese clones copy.
import type { StatusQuery } from './commands';

export interface PrinterStatusFlags {
  /** DLE EOT 1 bit 3. */
  offline: boolean;
  /** DLE EOT 1 bit 5. */
  waitingForRecovery: boolean;
  /** DLE EOT 1 bit 6. */
  feedButtonPressed: boolean;
  /** DLE EOT 2 bit 2. */
  coverOpen: boolean;
  /** DLE EOT 2 bit 3. */
  feedingByButton: boolean;
  /** DLE EOT 2 bit 5. */
  stoppedAtPaperEnd: boolean;
  /** DLE EOT 2 bit 6. */
  errorOccurred: boolean;
  /** DLE EOT 3 bit 3. */
  cutterError: boolean;
  /** DLE EOT 3 bit 5. */
  unrecoverableError: boolean;
  /** DLE EOT 3 bit 6 (e.g. head overheated; clears by itself). */
  autoRecoverableError: boolean;
  /** DLE EOT 4 bits 2-3. */
  paperNearEnd: boolean;
  /** DLE EOT 4 bits 5-6. */
  paperEnd: boolean;
}

export type PrinterStatusFlag = keyof PrinterStatusFlags;

export type PrinterProblemCode =
  | 'PRINTER_OFFLINE'
  | 'PRINTER_WAITING_FOR_RECOVERY'
  | 'PRINTER_FEED_BUTTON_PRESSED'
  | 'PRINTER_COVER_OPEN'
  | 'PRINTER_FEEDING_BY_BUTTON'
  | 'PRINTER_STOPPED_AT_PAPER_END'
  | 'PRINTER_ERROR'
  | 'PRINTER_CUTTER_ERROR'
  | 'PRINTER_UNRECOVERABLE_ERROR'
  | 'PRINTER_AUTO_RECOVERABLE_ERROR'
  | 'PRINTER_PAPER_NEAR_END'
  | 'PRINTER_PAPER_END';

/** blocking: do not print. warning: print, but tell the cashier. info: nothing to do. */
export type PrinterProblemSeverity = 'blocking' | 'warning' | 'info';

export interface PrinterProblem {
  flag: PrinterStatusFlag;
  code: PrinterProblemCode;
  severity: PrinterProblemSeverity;
  message: string;
  messageZh: string;
}

interface BitDefinition {
  query: StatusQuery;
  /** Bits that mean this flag (any of them set). */
  mask: number;
  flag: PrinterStatusFlag;
  code: PrinterProblemCode;
  severity: PrinterProblemSeverity;
  message: string;
  messageZh: string;
}

/** Every status bit we read, in the order a cashier should see the problems. */
export const STATUS_BITS: readonly BitDefinition[] = [
  {
    query: 3,
    mask: 0x20,
    flag: 'unrecoverableError',
    code: 'PRINTER_UNRECOVERABLE_ERROR',
    severity: 'blocking',
    message: 'Printer fault that needs service: switch it off and on; if it persists, call support',
    messageZh: '打印机故障，请关机重启；如仍无法使用请联系维修',
  },
  {
    query: 2,
    mask: 0x04,
    flag: 'coverOpen',
    code: 'PRINTER_COVER_OPEN',
    severity: 'blocking',
    message: 'Printer cover is open: close the cover',
    messageZh: '打印机上盖未关好，请合上盖子',
  },
  {
    query: 4,
    mask: 0x60,
    flag: 'paperEnd',
    code: 'PRINTER_PAPER_END',
    severity: 'blocking',
    message: 'Printer is out of paper: load a new paper roll',
    messageZh: '打印机缺纸，请装入新纸卷',
  },
  {
    query: 2,
    mask: 0x20,
    flag: 'stoppedAtPaperEnd',
    code: 'PRINTER_STOPPED_AT_PAPER_END',
    severity: 'blocking',
    message: 'Printing stopped because the paper ran out: load paper, then reprint',
    messageZh: '打印因缺纸中断，请装纸后重新打印',
  },
  {
    query: 3,
    mask: 0x08,
    flag: 'cutterError',
    code: 'PRINTER_CUTTER_ERROR',
    severity: 'blocking',
    message: 'Paper cutter is jammed: open the cover, clear the paper, close the cover',
    messageZh: '切刀卡纸，请打开上盖清除卡纸后合上',
  },
  {
    query: 3,
    mask: 0x40,
    flag: 'autoRecoverableError',
    code: 'PRINTER_AUTO_RECOVERABLE_ERROR',
    severity: 'blocking',
    message: 'Print head is too hot: wait a moment and try again',
    messageZh: '打印头过热，请稍候再试',
  },
  {
    query: 2,
    mask: 0x40,
    flag: 'errorOccurred',
    code: 'PRINTER_ERROR',
    severity: 'blocking',
    message: 'Printer reports an error: check the printer',
    messageZh: '打印机出错，请检查打印机',
  },
  {
    query: 1,
    mask: 0x08,
    flag: 'offline',
    code: 'PRINTER_OFFLINE',
    severity: 'blocking',
    message: 'Printer is offline: check paper and cover, or press the online button',
    messageZh: '打印机脱机，请检查纸张和上盖',
  },
  {
    query: 1,
    mask: 0x20,
    flag: 'waitingForRecovery',
    code: 'PRINTER_WAITING_FOR_RECOVERY',
    severity: 'blocking',
    message: 'Printer is waiting to come back online',
    messageZh: '打印机正在等待恢复联机',
  },
  {
    query: 2,
    mask: 0x08,
    flag: 'feedingByButton',
    code: 'PRINTER_FEEDING_BY_BUTTON',
    severity: 'blocking',
    message: 'Paper is being fed with the feed button: release the button',
    messageZh: '正在按键走纸，请松开走纸键',
  },
  {
    query: 4,
    mask: 0x0c,
    flag: 'paperNearEnd',
    code: 'PRINTER_PAPER_NEAR_END',
    severity: 'warning',
    message: 'Paper roll is nearly used up: have a new roll ready',
    messageZh: '纸卷将尽，请准备更换新纸卷',
  },
  {
    query: 1,
    mask: 0x40,
    flag: 'feedButtonPressed',
    code: 'PRINTER_FEED_BUTTON_PRESSED',
    severity: 'info',
    message: 'Feed button is pressed',
    messageZh: '走纸键被按下',
  },
];

export type StatusBytes = Record<StatusQuery, number>;

/** DLE EOT replies always look like 0xx1xx10. */
export function isRealtimeStatusReply(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

export function emptyStatusFlags(): PrinterStatusFlags {
  return {
    offline: false,
    waitingForRecovery: false,
    feedButtonPressed: false,
    coverOpen: false,
    feedingByButton: false,
    stoppedAtPaperEnd: false,
    errorOccurred: false,
    cutterError: false,
    unrecoverableError: false,
    autoRecoverableError: false,
    paperNearEnd: false,
    paperEnd: false,
  };
}

/** Reads the flags carried by one DLE EOT n reply (other flags stay false). */
export function decodeStatusByte(query: StatusQuery, byte: number): Partial<PrinterStatusFlags> {
  const out: Partial<PrinterStatusFlags> = {};
  for (const bit of STATUS_BITS) {
    if (bit.query === query) out[bit.flag] = (byte & bit.mask) !== 0;
  }
  return out;
}

export function decodeStatus(bytes: StatusBytes): PrinterStatusFlags {
  return {
    ...emptyStatusFlags(),
    ...decodeStatusByte(1, bytes[1]),
    ...decodeStatusByte(2, bytes[2]),
    ...decodeStatusByte(3, bytes[3]),
    ...decodeStatusByte(4, bytes[4]),
  };
}

/** Builds the reply byte a printer in this state sends for DLE EOT n (used by the emulator). */
export function encodeStatusByte(query: StatusQuery, flags: PrinterStatusFlags): number {
  let byte = 0x12;
  for (const bit of STATUS_BITS) {
    if (bit.query === query && flags[bit.flag]) byte |= bit.mask;
  }
  return byte;
}

/** Every set flag as a problem with its messages, most serious first. */
export function statusProblems(flags: PrinterStatusFlags): PrinterProblem[] {
  return STATUS_BITS.filter((bit) => flags[bit.flag]).map((bit) => ({
    flag: bit.flag,
    code: bit.code,
    severity: bit.severity,
    message: bit.message,
    messageZh: bit.messageZh,
  }));
}

export function isReadyToPrint(flags: PrinterStatusFlags): boolean {
  return statusProblems(flags).every((p) => p.severity !== 'blocking');
}
