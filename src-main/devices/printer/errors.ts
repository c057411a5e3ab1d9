// Typed printer errors: a stable PRINTER_ code for the core and logs, and the words a cashier
// can act on, in both languages, from this one catalogue.
import { errorCatalogue, errorClass, type CashierErrorOptions, type CodeOf } from '../../common';
import type { PrinterProblem } from '../../protocols/escpos';

interface Where {
  /** The printer's address, e.g. tcp:192.168.1.50:9100. */
  where: string;
}

/** The first status problem behind the error, in the words of the status table (escpos). */
interface Problem {
  problem: Pick<PrinterProblem, 'message' | 'messageZh'>;
}

export interface PrinterErrorOptions extends CashierErrorOptions {
  /** Status problems behind the error (not-ready and stopped-during-print). */
  problems?: PrinterProblem[];
  /** False when the slip certainly did not come out complete: the log row can be reprinted. */
  printed?: false | 'unknown';
}

export const PRINTER_ERRORS = errorCatalogue({
  PRINTER_TARGET_INVALID: {
    en: (p: { spec: string; why: string }) =>
      `Invalid printer address "${p.spec}": ${p.why} (use serial:COM3, serial:/dev/ttyUSB0@115200, tcp:192.168.1.50:9100 or usb:/dev/usb/lp0)`,
    zh: (p: { spec: string; why: string }) =>
      `打印机地址无效："${p.spec}"（示例：serial:COM3、tcp:192.168.1.50:9100、usb:/dev/usb/lp0）`,
  },
  PRINTER_USB_ON_WINDOWS: {
    code: 'PRINTER_TARGET_INVALID',
    en: 'usb: is for Linux (/dev/usb/lp0). On Windows install the printer’s virtual COM port driver and use serial:COMn, or use a network printer via tcp:',
    zh: 'Windows 下请安装打印机的虚拟串口驱动并使用 serial:COMn，或使用网口打印机 tcp:',
  },
  PRINTER_NOT_CONNECTED: {
    en: (p: Where) => `Printer not reachable at ${p.where}: check the cable, power and address`,
    zh: (p: Where) => `无法连接打印机（${p.where}），请检查连接线、电源和地址`,
  },
  PRINTER_PERMISSION_DENIED: {
    en: (p: Where) =>
      `No permission to open the printer at ${p.where}: add this user to the "lp" (USB) or "dialout" (serial) group`,
    zh: (p: Where) => `没有打开打印机的权限（${p.where}），请将当前用户加入 lp 或 dialout 组`,
  },
  PRINTER_CONNECTION_LOST: {
    en: (p: Where) => `Connection to the printer at ${p.where} was lost`,
    zh: '与打印机的连接已断开，请检查连接线',
  },
  PRINTER_NO_REPLY: {
    en: (p: Where & { query: number; serial: boolean }) =>
      `Printer at ${p.where} did not answer status query DLE EOT ${p.query}: check that it is switched on and the address${p.serial ? ' and baud rate are' : ' is'} right`,
    zh: (p: Where & { query: number; serial: boolean }) =>
      `打印机无应答，请检查打印机电源和连接设置${p.serial ? '（含波特率）' : ''}`,
  },
  PRINTER_NOT_READY: {
    // The problem's own words already say it is the printer and what to do: no second colon.
    en: (p: Problem) => p.problem.message,
    zh: (p: Problem) => `打印机未就绪：${p.problem.messageZh}`,
  },
  PRINTER_PAPER_OUT_DURING_PRINT: {
    en: 'Paper ran out while printing: load a new roll, then reprint the slip',
    zh: '打印中途缺纸，请装入新纸卷后重新打印凭条',
  },
  PRINTER_STOPPED_DURING_PRINT: {
    en: (p: Problem) => `Printing stopped. ${p.problem.message}, then reprint the slip`,
    zh: (p: Problem) => `打印中断：${p.problem.messageZh}；处理后请重新打印凭条`,
  },
  PRINTER_COMPLETION_TIMEOUT: {
    en: 'The printer did not confirm the slip was printed: check the slip and reprint if needed',
    zh: '打印机未确认打印完成，请检查凭条，必要时重新打印',
  },
});

export type PrinterErrorCode = CodeOf<typeof PRINTER_ERRORS>;

export class PrinterError extends errorClass<typeof PRINTER_ERRORS, PrinterErrorOptions>(
  PRINTER_ERRORS,
) {
  override readonly name = 'PrinterError';
  /** Status problems behind the error (not-ready and stopped-during-print). */
  readonly problems: PrinterProblem[] = this.options?.problems ?? [];
  /** False when the slip certainly did not come out complete: the log row can be reprinted. */
  readonly printed: false | 'unknown' = this.options?.printed ?? false;
}
