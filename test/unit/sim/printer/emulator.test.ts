// The printer emulator as a real printer's peer would see it: raw bytes over TCP.
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderBalanceSlip, sampleBalanceSlipData } from '../../../../src-main/core/slip';
import { CUT_MARKER } from '../../../../src-main/protocols/escpos';
import {
  applyPrinterControl,
  PAPER_LOADED,
  startPrinterEmulator,
} from '../../../../src-main/sim/printer';
import type { PrinterEmulator, TcpAddress } from '../../../../src-main/sim/printer';

/** A raw client: send bytes, collect every reply byte. */
class RawClient {
  readonly replies: number[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.replies.push(...chunk));
  }
  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }
  send(bytes: number[] | Uint8Array): void {
    this.socket.write(Uint8Array.from(bytes));
  }
  async waitForReplies(count: number, timeoutMs = 2000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < count && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return [...this.replies];
  }
  /** Lets the emulator handle what was sent so far (nothing expected back). */
  settle(): Promise<void> {
    return new Promise((r) => setTimeout(r, 150));
  }
  close(): void {
    this.socket.destroy();
  }
}

const DLE_EOT = (n: number): number[] => [0x10, 0x04, n];
const GS_R1 = [0x1d, 0x72, 0x01];

describe('printer emulator', () => {
  let emulator: PrinterEmulator<TcpAddress>;
  let client: RawClient;
  const outFile = path.join(mkdtempSync(path.join(tmpdir(), 'printer-sim-')), 'paper.txt');

  beforeAll(async () => {
    emulator = await startPrinterEmulator({ tcpPort: 0, outFile, paper: 58 });
  });
  afterEach(() => {
    client?.close();
    emulator.faults.clear();
  });
  afterAll(() => emulator.close());

  it('answers DLE EOT 1-4 like an idle printer and GS r 1 after printing', async () => {
    client = await RawClient.open(emulator.address.port);
    client.send([...DLE_EOT(1), ...DLE_EOT(2), ...DLE_EOT(3), ...DLE_EOT(4)]);
    client.send([0x1b, 0x40, 0x1c, 0x26, 0xd3, 0xe0, 0xb6, 0xee, 0x0a, ...GS_R1]);
    expect(await client.waitForReplies(5)).toEqual([0x12, 0x12, 0x12, 0x12, 0x00]);
    expect(emulator.lines.at(-1)).toBe('余额');
  });

  it('while stopped at paper end: DLE EOT still answered, GS r 1 held until paper is loaded', async () => {
    client = await RawClient.open(emulator.address.port);
    emulator.faults.update({ paperEnd: true });
    client.send([0x41, 0x0a, ...GS_R1, ...DLE_EOT(4), ...DLE_EOT(1)]);
    // paper end in bits 5-6 of DLE EOT 4, offline in bit 3 of DLE EOT 1, no GS r answer
    expect(await client.waitForReplies(2)).toEqual([0x72, 0x1a]);
    await client.settle();
    expect(client.replies).toHaveLength(2);
    emulator.faults.update(PAPER_LOADED);
    expect(await client.waitForReplies(3)).toEqual([0x72, 0x1a, 0x00]);
    expect(emulator.lines.at(-1)).toBe('A');
  });

  it('runs out after N bytes: stops mid-slip, reports it, and finishes after a new roll', async () => {
    client = await RawClient.open(emulator.address.port);
    const slip = renderBalanceSlip(sampleBalanceSlipData(), {
      paper: 58,
      lang: 'en',
      timeZone: 'UTC',
    });
    const start = emulator.lines.length;
    emulator.faults.update({ paperEndAfterBytes: 250 });
    client.send(slip.bytes);
    client.send(GS_R1);
    await client.settle();
    client.send(DLE_EOT(2));
    expect(await client.waitForReplies(1)).toEqual([0x12 | 0x20]); // stopped at paper end
    expect(emulator.lines.slice(start)).not.toContain(CUT_MARKER);
    expect(emulator.status()).toMatchObject({
      paperEnd: true,
      stoppedAtPaperEnd: true,
      offline: true,
    });
    emulator.faults.update(PAPER_LOADED);
    expect(await client.waitForReplies(2)).toEqual([0x32, 0x00]);
    const lines = emulator.lines.slice(start);
    expect(lines).toContain('Card No.        622202******1234');
    expect(lines.at(-1)).toBe(CUT_MARKER);
  });

  it('reports each fault in the right DLE EOT byte', async () => {
    client = await RawClient.open(emulator.address.port);
    const ask = async (): Promise<number[]> => {
      const from = client.replies.length;
      client.send([...DLE_EOT(1), ...DLE_EOT(2), ...DLE_EOT(3), ...DLE_EOT(4)]);
      return (await client.waitForReplies(from + 4)).slice(from);
    };
    emulator.faults.update({ coverOpen: true });
    expect(await ask()).toEqual([0x1a, 0x16, 0x12, 0x12]);
    emulator.faults.clear();
    emulator.faults.update({ cutterError: true });
    expect(await ask()).toEqual([0x1a, 0x52, 0x1a, 0x12]);
    emulator.faults.clear();
    emulator.faults.update({ overheated: true });
    expect(await ask()).toEqual([0x3a, 0x52, 0x52, 0x12]);
    emulator.faults.clear();
    emulator.faults.update({ unrecoverableError: true });
    expect(await ask()).toEqual([0x1a, 0x52, 0x32, 0x12]);
    emulator.faults.clear();
    emulator.faults.update({ paperNearEnd: true });
    expect(await ask()).toEqual([0x12, 0x12, 0x12, 0x1e]);
    emulator.faults.clear();
    emulator.faults.update({ offline: true });
    expect(await ask()).toEqual([0x1a, 0x12, 0x12, 0x12]);
  });

  it('writes the printed lines to the output file', () => {
    const text = readFileSync(outFile, 'utf8');
    expect(text).toContain('余额\n');
    expect(text).toContain(`${CUT_MARKER}\n`);
  });

  it('control commands (the CLI stdin protocol) change the state', () => {
    expect(applyPrinterControl(emulator, 'cover open')?.en).toBe('status: offline, coverOpen');
    expect(applyPrinterControl(emulator, 'cover close')?.en).toBe('status: ready');
    expect(applyPrinterControl(emulator, 'paper out after 40')?.en).toContain('40');
    expect(applyPrinterControl(emulator, 'PAPER   out')?.en).toContain('paperEnd');
    expect(applyPrinterControl(emulator, 'paper load')?.en).toBe('status: ready');
    expect(applyPrinterControl(emulator, 'cutter error')?.en).toContain('cutterError');
    expect(applyPrinterControl(emulator, 'recover')?.en).toBe('status: ready');
    expect(applyPrinterControl(emulator, 'explode')).toBeUndefined();
    expect(applyPrinterControl(emulator, 'help')?.en).toContain('paper out after N');
  });
});
