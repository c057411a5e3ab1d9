// Test helper: one end of a serial line driven byte by byte (a raw SPE or a raw PIN pad).
import type { SerialPort } from 'serialport';
import { ByteReader, INTERRUPTED, closeSerial, openSerial } from './serial.js';

export class RawLine {
  private constructor(
    private readonly port: SerialPort,
    private readonly reader: ByteReader,
  ) {}

  static async open(path: string): Promise<RawLine> {
    const port = await openSerial(path);
    return new RawLine(port, new ByteReader(port));
  }

  async write(bytes: Uint8Array): Promise<void> {
    await new Promise<void>((resolve) => this.port.write(Buffer.from(bytes), () => resolve()));
  }

  /** Next byte within `ms`, or null. */
  async byte(ms: number): Promise<number | null> {
    const b = await this.reader.read(ms);
    return b === INTERRUPTED ? null : b;
  }

  /** Exactly `n` bytes, each within `ms` (throws on timeout). */
  async bytes(n: number, ms = 3000): Promise<Buffer> {
    const out: number[] = [];
    while (out.length < n) {
      const b = await this.byte(ms);
      if (b === null)
        throw new Error(
          `timeout after ${out.length} of ${n} bytes: ${Buffer.from(out).toString('hex')}`,
        );
      out.push(b);
    }
    return Buffer.from(out);
  }

  /** A whole frame SYN … ETB CRC CRC (raw bytes, escapes kept), skipping bytes before SYN. */
  async frame(ms = 3000): Promise<Buffer> {
    const out: number[] = [];
    for (;;) {
      const b = await this.byte(ms);
      if (b === null) throw new Error('timeout waiting for a frame');
      if (out.length === 0 && b !== 0x16) continue;
      out.push(b);
      if (b === 0x17) break;
    }
    out.push(...(await this.bytes(2, ms)));
    return Buffer.from(out);
  }

  /** Everything received until `ms` of silence. */
  async drain(ms: number): Promise<Buffer> {
    const out: number[] = [];
    for (;;) {
      const b = await this.byte(ms);
      if (b === null) return Buffer.from(out);
      out.push(b);
    }
  }

  async close(): Promise<void> {
    this.reader.close();
    await closeSerial(this.port);
  }
}
