// The printer peer behind real transports: a socat pty pair (serial) and a TCP socket ("9100"),
// with the host side written here byte by byte, as a driver would.
import net from 'node:net';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, startPeerEscPosSerial } from './serial.js';
import { startPeerEscPosTcp } from './tcp.js';

const b = (...bytes: number[]): Buffer => Buffer.from(bytes);

/** Collects what the printer sends back and hands it out by count. */
class Inbox {
  private buf = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  push = (chunk: Buffer): void => {
    this.buf = Buffer.concat([this.buf, chunk]);
    this.wake?.();
  };
  async read(count: number, timeoutMs = 3000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`wanted ${count} bytes, have ${this.buf.toString('hex')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const out = this.buf.subarray(0, count);
    this.buf = this.buf.subarray(count);
    return Buffer.from(out);
  }
  /** Waits `ms` and returns whatever arrived (to show that nothing did). */
  async quiet(ms = 200): Promise<Buffer> {
    await new Promise((r) => setTimeout(r, ms));
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('over a socat pty pair', () => {
  it('prints, answers DLE EOT / GS I / GS r, and holds data at paper end', async () => {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const peer = await startPeerEscPosSerial({
      path: pty.printerPath,
      identity: { maker: 'GPRINTER', model: 'GP-80250' },
    });
    cleanups.push(() => peer.close());
    const host = new SerialPort({ path: pty.hostPath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((res, rej) => host.open((e) => (e ? rej(e) : res())));
    cleanups.push(() => new Promise((res) => host.close(() => res())));
    const inbox = new Inbox();
    host.on('data', inbox.push);
    const write = (bytes: Buffer): Promise<void> =>
      new Promise((res) => host.write(bytes, () => host.drain(() => res())));

    await write(b(0x10, 0x04, 0x04, 0x1d, 0x49, 0x42, 0x1d, 0x49, 0x43));
    expect(await inbox.read(1)).toEqual(b(0x12));
    expect((await inbox.read(10)).toString('latin1')).toBe('_GPRINTER\u0000');
    expect((await inbox.read(10)).toString('latin1')).toBe('_GP-80250\u0000');

    // 余额 ￥1.00, cut, then "job done" marker GS r 1.
    await write(
      b(0x1b, 0x40, 0x1c, 0x26, 0xd3, 0xe0, 0xb6, 0xee, 0x20, 0xa3, 0xa4, 0x31, 0x2e, 0x30, 0x30),
    );
    await write(b(0x0a, 0x1d, 0x56, 0x42, 0x00, 0x1d, 0x72, 0x01));
    expect(await inbox.read(1)).toEqual(b(0x00));
    expect(peer.printer.slips).toMatchObject([{ text: '余额 ￥1.00', cut: true }]);

    peer.printer.setPaper('out');
    await write(b(0x41, 0x0a, 0x1d, 0x72, 0x01, 0x10, 0x04, 0x04));
    expect(await inbox.read(1)).toEqual(b(0x7e));
    expect(await inbox.quiet()).toHaveLength(0); // GS r 1 waits with the data
    expect(peer.printer.state).toMatchObject({ stoppedAtPaperEnd: true, pendingBytes: 8 });
    peer.printer.setPaper('ok');
    expect(await inbox.read(1)).toEqual(b(0x00));
    expect(peer.printer.lines).toEqual(['余额 ￥1.00', 'A']);
  });
});

describe('over TCP (network printer)', () => {
  async function connect(port: number): Promise<{ socket: net.Socket; inbox: Inbox }> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((res, rej) => socket.once('connect', res).once('error', rej));
    const inbox = new Inbox();
    socket.on('data', inbox.push);
    cleanups.push(async () => {
      socket.destroy();
    });
    return { socket, inbox };
  }

  it('answers the connection being served; a second client waits its turn', async () => {
    const peer = await startPeerEscPosTcp({ paper: 'near-end', identity: { fonts: undefined } });
    cleanups.push(() => peer.close());
    const first = await connect(peer.port);
    first.socket.write(b(0x10, 0x04, 0x04, 0x1d, 0x49, 0x45, 0x1d, 0x72, 0x31));
    expect(await first.inbox.read(4)).toEqual(b(0x1e, 0x5f, 0x00, 0x03));

    const second = await connect(peer.port);
    second.socket.write(b(0x10, 0x04, 0x01));
    expect(await second.inbox.quiet()).toHaveLength(0);
    first.socket.end(b(0x48, 0x49, 0x0a)); // "HI"
    expect(await second.inbox.read(1)).toEqual(b(0x12));
    expect(peer.printer.lines).toEqual(['HI']);
    expect(peer.connections).toBe(2);
  });

  it('cover open: real-time status answered, GS I held until the cover closes', async () => {
    const peer = await startPeerEscPosTcp({ cover: 'open' });
    cleanups.push(() => peer.close());
    const { socket, inbox } = await connect(peer.port);
    socket.write(b(0x1d, 0x49, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x01));
    expect(await inbox.read(2)).toEqual(b(0x16, 0x1a));
    expect(await inbox.quiet()).toHaveLength(0);
    peer.printer.setCover('closed');
    expect(await inbox.read(1)).toEqual(b(0x20));
  });
});
