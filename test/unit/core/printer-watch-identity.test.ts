// When the printer watch asks the printer who it is (GS I), against the printer emulator over raw
// TCP: at start; not while the printer is offline (GS I waits in its buffer, and silence would
// read as "identity not reported"), but as soon as it is back; again after a reading that failed
// (a replug); and on request.
import { afterEach, describe, expect, it } from 'vitest';
import { PrinterWatch } from '../../../src-main/core/printer-watch';
import type { PrinterIdentityFields } from '../../../src-main/protocols/escpos';
import {
  PRINTER_EMULATOR_IDENTITY,
  startPrinterEmulator,
  type PrinterEmulator,
  type TcpAddress,
} from '../../../src-main/sim/printer';

const INTERVAL_MS = 100;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the printer watch reads GS I', () => {
  let emulator: PrinterEmulator<TcpAddress> | undefined;
  let watch: PrinterWatch | undefined;
  afterEach(async () => {
    await watch?.stop();
    await emulator?.close();
  });

  function start(port: number) {
    const seen: (PrinterIdentityFields | null)[] = [];
    watch = new PrinterWatch(
      { kind: 'tcp', host: '127.0.0.1', port },
      false,
      { set: () => undefined },
      () => undefined,
      INTERVAL_MS,
      { identified: (fields) => seen.push(fields) },
    );
    watch.start();
    return seen;
  }

  it('at start, then not again while the printer stays (until asked)', async () => {
    emulator = await startPrinterEmulator({ tcpPort: 0 });
    const seen = start(emulator.address.port);
    await until(() => seen.length === 1, 'the first reading');
    expect(seen[0]).toEqual(PRINTER_EMULATOR_IDENTITY);
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 5));
    expect(seen).toHaveLength(1);
    emulator.setIdentity({ ...PRINTER_EMULATOR_IDENTITY, serialNumber: 'PRN-ASKED' });
    await watch!.identify();
    expect(seen.at(-1)?.serialNumber).toBe('PRN-ASKED');
  });

  it('not while offline (cover open): once the cover is closed', async () => {
    emulator = await startPrinterEmulator({ tcpPort: 0, faults: { coverOpen: true } });
    const seen = start(emulator.address.port);
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 5));
    expect(seen).toEqual([]);
    emulator.faults.update({ coverOpen: false });
    await until(() => seen.length === 1, 'the reading after the cover closed');
    expect(seen[0]).toEqual(PRINTER_EMULATOR_IDENTITY);
  });

  it('again after a reading failed: another printer on the same address', async () => {
    const first = await startPrinterEmulator({ tcpPort: 0 });
    emulator = first;
    const port = first.address.port;
    const seen = start(port);
    await until(() => seen.length === 1, 'the first reading');
    await first.close();
    // Nothing answers for a moment (the readings fail), then another printer takes the address.
    await new Promise((r) => setTimeout(r, INTERVAL_MS * 4));
    emulator = await startPrinterEmulator({
      tcpPort: port,
      identity: { ...PRINTER_EMULATOR_IDENTITY, serialNumber: 'PRN-OTHER' },
    });
    await until(() => seen.length === 2, 'the reading after the replug');
    expect(seen[1]?.serialNumber).toBe('PRN-OTHER');
  });
});
