// The printer emulator's GS I answers (training mode shows them on the Devices screen), checked
// with hand-written bytes over raw TCP: 1D 49 44 is answered "5F <serial> 00"; the `replace` and
// `identity silent` knobs on its stdin change who it says it is, or make it ignore GS I as clones do.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPrinterControl,
  PRINTER_EMULATOR_IDENTITY,
  startPrinterEmulator,
  type PrinterEmulator,
  type TcpAddress,
} from '../../../../src-main/sim/printer';

const bytes = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex');

/** Sends `request` on a fresh connection and collects what comes back within `waitMs`. */
async function exchange(port: number, request: Buffer, waitMs = 300): Promise<Buffer> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  const got: Buffer[] = [];
  socket.on('data', (chunk) => got.push(chunk));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(request);
  await new Promise((r) => setTimeout(r, waitMs));
  socket.destroy();
  return Buffer.concat(got);
}

describe('the printer emulator answers GS I', () => {
  let emulator: PrinterEmulator<TcpAddress>;
  beforeAll(async () => {
    emulator = await startPrinterEmulator({ tcpPort: 0 });
  });
  afterAll(() => emulator.close());

  it('maker (1D 49 42) and serial number (1D 49 44), as printer information B blocks', async () => {
    const reply = await exchange(emulator.address.port, bytes('1D 49 42 1D 49 44'));
    expect(reply).toEqual(
      Buffer.concat([
        bytes('5F'),
        Buffer.from(PRINTER_EMULATOR_IDENTITY.maker, 'latin1'),
        bytes('00 5F'),
        Buffer.from(PRINTER_EMULATOR_IDENTITY.serialNumber, 'latin1'),
        bytes('00'),
      ]),
    );
    // Nothing was printed: n is a parameter, not text.
    expect(emulator.lines.join('')).toBe('');
  });

  it('another serial number after `replace SERIAL`; nothing at all after `identity silent`', async () => {
    expect(applyPrinterControl(emulator, 'replace PRN-TEST-7')?.zh).toBe(
      '身份：CASHIER TRAINING ESCPOS-EMU，序列号 PRN-TEST-7，固件 1.0',
    );
    expect(await exchange(emulator.address.port, bytes('1D 49 44'))).toEqual(
      Buffer.concat([bytes('5F'), Buffer.from('PRN-TEST-7', 'latin1'), bytes('00')]),
    );
    expect(applyPrinterControl(emulator, 'identity silent')?.en).toBe(
      'identity: does not answer GS I',
    );
    expect(await exchange(emulator.address.port, bytes('1D 49 44'))).toEqual(Buffer.alloc(0));
    // DLE EOT still answers: only GS I is ignored.
    expect(await exchange(emulator.address.port, bytes('10 04 01'))).toEqual(bytes('12'));
    emulator.setIdentity(PRINTER_EMULATOR_IDENTITY);
  });
});
