// Where the printer is: `serial:PATH[@BAUD]`, `tcp:HOST[:PORT]` or `usb:PATH` (Linux usblp).
import { PrinterError } from './errors';

export type PrinterTarget =
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'usb'; path: string };

export const DEFAULT_SERIAL_BAUD = 9600;
export const DEFAULT_RAW_TCP_PORT = 9100;
const BAUD_RATES = [2400, 4800, 9600, 19200, 38400, 57600, 115200];

function invalid(spec: string, why: string): PrinterError {
  return new PrinterError('PRINTER_TARGET_INVALID', { spec, why });
}

export function parsePrinterTarget(spec: string): PrinterTarget {
  const colon = spec.indexOf(':');
  if (colon < 0) throw invalid(spec, 'missing kind');
  const kind = spec.slice(0, colon).toLowerCase();
  const rest = spec.slice(colon + 1);
  if (rest === '') throw invalid(spec, 'missing address');
  switch (kind) {
    case 'serial': {
      const at = rest.lastIndexOf('@');
      const path = at > 0 ? rest.slice(0, at) : rest;
      const baudRate = at > 0 ? Number(rest.slice(at + 1)) : DEFAULT_SERIAL_BAUD;
      if (!BAUD_RATES.includes(baudRate)) throw invalid(spec, `unsupported baud rate`);
      return { kind: 'serial', path, baudRate };
    }
    case 'tcp': {
      // tcp:host, tcp:host:port, tcp:[::1]:port
      const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(rest);
      if (!match) throw invalid(spec, 'expected HOST:PORT');
      const host = match[1]!.replace(/^\[|\]$/g, '');
      const port = match[2] === undefined ? DEFAULT_RAW_TCP_PORT : Number(match[2]);
      if (port < 1 || port > 65535) throw invalid(spec, 'port out of range');
      return { kind: 'tcp', host, port };
    }
    case 'usb':
      if (process.platform === 'win32') {
        throw new PrinterError('PRINTER_USB_ON_WINDOWS');
      }
      return { kind: 'usb', path: rest };
    default:
      throw invalid(spec, `unknown kind "${kind}"`);
  }
}

export function formatPrinterTarget(target: PrinterTarget): string {
  switch (target.kind) {
    case 'serial':
      return `serial:${target.path}@${target.baudRate}`;
    case 'tcp':
      return `tcp:${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    case 'usb':
      return `usb:${target.path}`;
  }
}
