// GS I n, printer information B, against the bytes of Epson's ESC/POS reference ("GS I: Transmit
// printer ID"): request 1D 49 n with n = 41h firmware version, 42h maker name, 43h printer model,
// 44h serial number; each answer is "Header 5FH, printer information, NUL 00H". The frames are
// written out by hand here, never built with the encoder under test.
import { describe, expect, it } from 'vitest';
import {
  decodePrinterInfo,
  encodePrinterInfo,
  EscPosParser,
  PRINTER_INFO_MAX_BYTES,
  PrinterInfoScanner,
  printerIdRequest,
} from '../../../../src-main/protocols/escpos';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

describe('GS I requests', () => {
  it('asks with 1D 49 n: 42h maker, 43h model, 44h serial number, 41h firmware', () => {
    expect(printerIdRequest('maker')).toEqual(bytes('1D 49 42'));
    expect(printerIdRequest('model')).toEqual(bytes('1D 49 43'));
    expect(printerIdRequest('serialNumber')).toEqual(bytes('1D 49 44'));
    expect(printerIdRequest('firmware')).toEqual(bytes('1D 49 41'));
  });

  it('the parser takes GS I n as one three-byte command (n is not printed as text)', () => {
    const parsed = new EscPosParser().push(bytes('1D 49 44 41'));
    expect(parsed.map((p) => p.token)).toEqual([
      { kind: 'transmit-id', n: 0x44 },
      { kind: 'text', bytes: bytes('41'), kanji: false },
    ]);
  });
});

describe('printer information B replies', () => {
  it('reads "5F EPSON 00" (the maker name the reference gives) as EPSON', () => {
    expect(new PrinterInfoScanner().push(bytes('5F 45 50 53 4F 4E 00'))).toEqual(['EPSON']);
  });

  it('reads blocks split across chunks and several in one chunk, in order', () => {
    const scanner = new PrinterInfoScanner();
    expect(scanner.push(bytes('5F 54 4D 2D'))).toEqual([]);
    // "TM-T88V", then serial "X3A1234567"
    expect(scanner.push(bytes('54 38 38 56 00 5F 58 33 41 31 32 33 34 35 36 37 00'))).toEqual([
      'TM-T88V',
      'X3A1234567',
    ]);
  });

  it('an empty block (5F 00) is an empty field', () => {
    expect(new PrinterInfoScanner().push(bytes('5F 00'))).toEqual(['']);
  });

  it('skips bytes outside a block: a late DLE EOT answer (12h), XON (11h)', () => {
    expect(new PrinterInfoScanner().push(bytes('12 11 5F 31 2E 30 00 13'))).toEqual(['1.0']);
  });

  it('drops a block longer than any printer sends, and finds the next one', () => {
    const noise = '41'.repeat(PRINTER_INFO_MAX_BYTES + 5);
    expect(new PrinterInfoScanner().push(bytes(`5F ${noise} 00 5F 42 00`))).toEqual(['B']);
  });

  it('keeps printable ASCII only and trims padding', () => {
    expect(decodePrinterInfo(bytes('20 58 50 2D 35 38 07 20 20'))).toBe('XP-58');
  });

  it('the emulator side encodes 5F, ASCII, 00', () => {
    expect(encodePrinterInfo('EPSON')).toEqual(bytes('5F 45 50 53 4F 4E 00'));
    expect(encodePrinterInfo('')).toEqual(bytes('5F 00'));
  });
});
