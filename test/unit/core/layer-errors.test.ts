// Malformed bytes from a PIN pad, a bank host and a receipt printer, through the driver or client
// that reads them, to what the core makes of the error: the inquiry's row (failureOf) and the
// API's answer (toApiError). Each is the layer's own typed error, in both languages, with the
// codec's error as its cause; none is ever an internal error.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CashierError } from '../../../src-main/common';
import { toApiError } from '../../../src-main/core/errors';
import { failureOf } from '../../../src-main/core/inquiry/failures';
import { CryptoError } from '../../../src-main/crypto/errors';
import { PinpadError } from '../../../src-main/devices/pinpad';
import { AbecsPinpad } from '../../../src-main/devices/pinpad/abecs/driver';
import { getPrinterStatus, PrinterError } from '../../../src-main/devices/printer';
import { closeSerialPort, openSerialPort } from '../../../src-main/devices/serial';
import {
  createMemoryCable,
  removeMemoryCable,
} from '../../../src-main/devices/serial/memory-binding';
import { BankHostClient, HostError } from '../../../src-main/host';
import { SoftwareKeyStore } from '../../../src-main/host/key-store';
import { FileTerminalState } from '../../../src-main/host/terminal-state';
import { AbecsMessageError } from '../../../src-main/protocols/abecs';
import { Iso8583Error } from '../../../src-main/protocols/iso8583';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

const CJK = /[\u4e00-\u9fff]/;

/** What the core makes of `err`, checked to be the layer's own words, never INTERNAL. */
function throughTheCore(err: unknown, layerCode: string, apiCode: string) {
  expect(err).toBeInstanceOf(CashierError);
  const failure = failureOf(err);
  expect(failure.code).toBe(layerCode);
  expect(failure.message.zh).toMatch(CJK);
  expect(failure.message.en).not.toBe('');
  const api = toApiError(err).toData();
  expect(api).toMatchObject({ code: apiCode, details: { cause: layerCode } });
  expect(api.messageZh).toBe((err as CashierError).messageZh);
  // The cashier reads the catalogue's words; the English detail (a frame, a field) is for the
  // log only (err.message keeps it).
  expect(api.message).toBe((err as CashierError).text.en);
  expect(failure.message.en).toBe((err as CashierError).text.en);
  if ((err as CashierError).message !== (err as CashierError).text.en) {
    expect(api.message).not.toContain('(');
    // Kept for support: the log row's third part.
    expect(failure.detail).toBe((err as CashierError).message);
  }
  return { failure, api };
}

/** XMODEM CRC, written out here so the pad's frames are not built with the driver's codec. */
function crc16(bytes: number[]): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : crc << 1;
    crc &= 0xffff;
  }
  return crc;
}

/** SYN | PKTDATA | ETB | CRC (these answers need no DC3 escapes). */
function abecsFrame(text: string): Buffer {
  const data = [...Buffer.from(text, 'latin1')];
  const crc = crc16([...data, 0x17]);
  return Buffer.from([0x16, ...data, 0x17, crc >> 8, crc & 0xff]);
}

/** A pad on an in-memory cable that ACKs each frame and answers each command from a script. */
async function scriptedAbecsPad(name: string, answers: Record<string, string>) {
  const { hostPath, devicePath } = createMemoryCable(name);
  const port = await openSerialPort({ path: devicePath, baudRate: 19200 });
  let pending: number[] | undefined;
  let tail = 0;
  port.on('data', (chunk: Buffer) => {
    for (const b of chunk) {
      if (pending === undefined) {
        if (b === 0x18) port.write(Buffer.of(0x04)); // CAN -> EOT
        if (b === 0x16) pending = [];
        continue;
      }
      if (tail > 0) {
        if (--tail === 0) {
          const id = Buffer.from(pending).toString('latin1', 0, 3);
          pending = undefined;
          port.write(Buffer.of(0x06));
          port.write(abecsFrame(answers[id] ?? 'ERR010'));
        }
        continue;
      }
      if (b === 0x17) tail = 2;
      else pending.push(b);
    }
  });
  const pad = new AbecsPinpad({ path: hostPath });
  closers.push(
    () => removeMemoryCable(name),
    () => closeSerialPort(port),
    () => pad.close(),
  );
  return pad;
}

/** A TCP peer that answers whatever it is sent with `reply(chunk)`. */
async function peer(reply: (chunk: Buffer, socket: Socket) => void): Promise<number> {
  const server: Server = createServer((socket) => {
    socket.on('data', (chunk) => reply(chunk, socket));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.unref();
      }),
  );
  return (server.address() as { port: number }).port;
}

describe('a malformed answer, from the wire to the cashier', () => {
  it('a PIN pad answer whose block is cut short: PinpadError PROTOCOL, DEVICE on the API', async () => {
    // GIN announces a 100-byte block and sends 4.
    const pad = await scriptedAbecsPad('layer-errors-pad', { OPN: 'OPN000', GIN: 'GIN000100ACME' });
    const err = await pad.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PinpadError);
    expect((err as PinpadError).cause).toBeInstanceOf(AbecsMessageError);
    expect((err as PinpadError).cause).toMatchObject({ code: 'ABECS_TRUNCATED' });
    const { api } = throughTheCore(err, 'PROTOCOL', 'DEVICE');
    expect(api.messageZh).toBe('密码键盘通讯错误，请重试');
  });

  it('a bank host frame that is not ISO 8583: HostError HOST_BAD_FRAME, HOST on the API', async () => {
    // A well-delimited frame: length, TPDU and header, then bytes that are no message at all.
    const body = Buffer.concat([
      Buffer.from('6000000000', 'hex'),
      Buffer.from('603100311004', 'hex'),
      Buffer.from('not a message', 'latin1'),
    ]);
    const frame = Buffer.concat([Buffer.of(body.length >> 8, body.length & 0xff), body]);
    const port = await peer((_chunk, socket) => socket.write(frame));
    const dir = mkdtempSync(join(tmpdir(), 'layer-errors-host-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const keys = new SoftwareKeyStore(dir);
    keys.setMasterKey(Buffer.alloc(16, 0x11));
    const client = new BankHostClient({
      host: '127.0.0.1',
      port,
      terminalId: 'T0000001',
      merchantId: '898310048160001',
      keys,
      state: new FileTerminalState(join(dir, 'terminal-state.json')),
      connectTimeoutMs: 2000,
      responseTimeoutMs: 2000,
    });
    closers.push(() => client.close());
    const err = await client.networkTest().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).cause).toBeInstanceOf(Iso8583Error);
    const { api } = throughTheCore(err, 'HOST_BAD_FRAME', 'HOST');
    expect(api.messageZh).toBe('银行应答报文格式错误');
  });

  it('a printer that answers status queries with noise: PRINTER_NO_REPLY, PRINTER on the API', async () => {
    // 0xFF is neither a DLE EOT status byte (0xx1xx10) nor a GS r answer (0xx0xx00).
    const port = await peer((chunk, socket) => socket.write(Buffer.alloc(chunk.length, 0xff)));
    const err = await getPrinterStatus(
      { kind: 'tcp', host: '127.0.0.1', port },
      { connectTimeoutMs: 2000, statusTimeoutMs: 200 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrinterError);
    const { api } = throughTheCore(err, 'PRINTER_NO_REPLY', 'PRINTER');
    expect(api.messageZh).toMatch(/^打印机无应答/);
  });

  it('a codec or crypto error that got past its layer still reaches the cashier in words', () => {
    for (const err of [
      new AbecsMessageError('ABECS_BAD_FIELD', 'GPN result is not hexadecimal'),
      new Iso8583Error('ISO_BAD_BALANCE', 'balance entry 1 malformed', 54),
      new CryptoError('CRYPTO_PIN_BLOCK_INVALID', { detail: 'bad fill' }),
    ]) {
      const { api } = throughTheCore(err, err.code, 'FAILED');
      expect(api.messageZh).toMatch(CJK);
    }
    // Only what is not ours is an internal error (and is logged as one).
    expect(failureOf(new TypeError('x')).code).toBe('INTERNAL');
    expect(toApiError(new TypeError('x')).code).toBe('INTERNAL');
  });
});
