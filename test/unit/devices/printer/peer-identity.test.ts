// The driver's GS I reading (readPrinterIdentity) against the clean-room ESC/POS printer peer
// (test/peers/escpos-printer, written from the spec by someone who had not read the driver), over
// raw TCP and over a socat pty pair; and against a "clone" that never answers GS I.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PrinterError,
  printSlip,
  readPrinterIdentity,
  type PrinterTarget,
} from '../../../../src-main/devices/printer';
import { renderBalanceSlip, sampleBalanceSlipData } from '../../../../src-main/core/slip';
import {
  openPtyPair,
  startPeerEscPosSerial,
  startPeerEscPosTcp,
  type PeerEscPosSerial,
  type PeerEscPosTcp,
  type PtyPair,
} from '../../../peers/escpos-printer';

const EPSON = {
  maker: 'EPSON',
  model: 'TM-T88V',
  serialNumber: 'X3A1234567',
  firmware: '30.01 ESC/POS',
};

describe('GS I over TCP to the peer printer', () => {
  let peer: PeerEscPosTcp;
  let target: PrinterTarget;
  beforeAll(async () => {
    peer = await startPeerEscPosTcp({ identity: EPSON });
    target = { kind: 'tcp', host: peer.host, port: peer.port };
  });
  afterEach(() => peer.printer.clearRecord());
  afterAll(() => peer.close());

  it('reads maker, model, serial number and firmware, one GS I at a time, printing nothing', async () => {
    expect(await readPrinterIdentity(target)).toEqual(EPSON);
    // The peer answered exactly n = 66, 67, 68, 65 (maker, model, serial, firmware), in order.
    expect(peer.printer.replies.map((r) => r.to)).toEqual([
      'GS I 66',
      'GS I 67',
      'GS I 68',
      'GS I 65',
    ]);
    expect(peer.printer.printed).toEqual([]);
    expect(peer.printer.notes).toEqual([]);
  });

  it('a field the printer has not prepared (5F 00) reads as empty', async () => {
    const bare = await startPeerEscPosTcp({
      identity: { maker: 'XPRINTER', model: 'XP-58', serialNumber: undefined },
    });
    try {
      const identity = await readPrinterIdentity({ kind: 'tcp', host: bare.host, port: bare.port });
      expect(identity).toMatchObject({ maker: 'XPRINTER', model: 'XP-58', serialNumber: '' });
    } finally {
      await bare.close();
    }
  });

  it('reading the identity leaves nothing behind: the next slip prints as usual', async () => {
    await readPrinterIdentity(target);
    const slip = renderBalanceSlip(sampleBalanceSlipData(), { paper: 80, lang: 'zh-CN' });
    await printSlip(target, slip.bytes, { pollIntervalMs: 100, completionTimeoutMs: 3000 });
    expect(peer.printer.text).toContain('余额查询');
    expect(peer.printer.cuts.length).toBe(1);
  });
});

describe('GS I over a pty pair (serial) to the peer printer', () => {
  let pty: PtyPair;
  let peer: PeerEscPosSerial;
  beforeAll(async () => {
    pty = await openPtyPair();
    peer = await startPeerEscPosSerial({ path: pty.printerPath, identity: EPSON });
  });
  afterAll(async () => {
    await peer?.close();
    await pty?.close();
  });

  it('reads the identity, and a changed one after the printer changed', async () => {
    const target: PrinterTarget = { kind: 'serial', path: pty.hostPath, baudRate: 9600 };
    expect(await readPrinterIdentity(target)).toEqual(EPSON);
    peer.printer.setIdentity({ serialNumber: 'X3A7654321' });
    expect(await readPrinterIdentity(target)).toEqual({ ...EPSON, serialNumber: 'X3A7654321' });
  });
});

describe('a printer that does not answer GS I', () => {
  let clone: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Takes every byte and says nothing, as many clones (and a one-way link) do.
    clone = createServer((s) => {
      sockets.add(s);
      s.on('data', () => undefined);
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => clone.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => clone.close(() => resolve()));
  });

  it('gives null (identity not reported) after one short wait, not an error', async () => {
    const { port } = clone.address() as AddressInfo;
    const started = Date.now();
    expect(
      await readPrinterIdentity({ kind: 'tcp', host: '127.0.0.1', port }, { replyTimeoutMs: 300 }),
    ).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('nothing listening: PRINTER_NOT_CONNECTED (not known yet, not "not reported")', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = await readPrinterIdentity({ kind: 'tcp', host: '127.0.0.1', port }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PrinterError);
    expect((err as PrinterError).code).toBe('PRINTER_NOT_CONNECTED');
  });
});
