import { describe, expect, it } from 'vitest';
import {
  formatPrinterTarget,
  parsePrinterTarget,
  PrinterError,
} from '../../../../src-main/devices/printer';

describe('parsePrinterTarget', () => {
  it('reads serial, tcp and usb addresses with defaults', () => {
    expect(parsePrinterTarget('serial:COM3')).toEqual({
      kind: 'serial',
      path: 'COM3',
      baudRate: 9600,
    });
    expect(parsePrinterTarget('serial:/dev/ttyUSB0@115200')).toEqual({
      kind: 'serial',
      path: '/dev/ttyUSB0',
      baudRate: 115200,
    });
    expect(parsePrinterTarget('tcp:192.168.1.50')).toEqual({
      kind: 'tcp',
      host: '192.168.1.50',
      port: 9100,
    });
    expect(parsePrinterTarget('tcp:printer.local:9101')).toEqual({
      kind: 'tcp',
      host: 'printer.local',
      port: 9101,
    });
    expect(parsePrinterTarget('tcp:[::1]:9100')).toEqual({ kind: 'tcp', host: '::1', port: 9100 });
    expect(parsePrinterTarget('usb:/dev/usb/lp0')).toEqual({ kind: 'usb', path: '/dev/usb/lp0' });
  });

  it('formats back to the same address', () => {
    for (const spec of [
      'serial:COM3@9600',
      'tcp:10.0.0.5:9100',
      'tcp:[::1]:9100',
      'usb:/dev/usb/lp1',
    ]) {
      expect(formatPrinterTarget(parsePrinterTarget(spec))).toBe(spec);
    }
  });

  it.each(['', 'COM3', 'lpt:1', 'serial:', 'serial:COM3@1234', 'tcp:host:99999', 'tcp:a:b:c'])(
    'rejects %j with a typed error',
    (spec) => {
      try {
        parsePrinterTarget(spec);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(PrinterError);
        expect((err as PrinterError).code).toBe('PRINTER_TARGET_INVALID');
        expect((err as PrinterError).messageZh).toContain('打印机地址无效');
      }
    },
  );
});
