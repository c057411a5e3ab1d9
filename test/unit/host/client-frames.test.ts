// What our client puts on the wire, compared with frames written out by hand from the reference
// (shared/reference/cup-pos-8583.md): LEN, TPDU `60 00 03 00 00`, header `60 31 00 31 10 04`, the
// 0800 bitmap `0020000000C00012`, F22 `021` -> `02 10`, F60 left-justified, F49 as ASCII.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BankHostClient } from '../../../src-main/host/client';
import { MemoryTerminalState } from '../../../src-main/host/terminal-state';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A host that records the first request frame and never answers. */
async function silentHost(): Promise<{ port: number; first: Promise<Buffer> }> {
  let got: (b: Buffer) => void = () => undefined;
  const first = new Promise<Buffer>((r) => (got = r));
  server = createServer((s) => {
    s.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) got(buf);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, first };
}

function clientFor(port: number): BankHostClient {
  return new BankHostClient({
    host: '127.0.0.1',
    port,
    terminalId: 'T0000001',
    merchantId: '898310048160001',
    keys: {
      installWorkingKeys: async () => undefined,
      calculateMac: async () => Buffer.from('ABCD1234', 'latin1'),
    },
    state: new MemoryTerminalState(),
    responseTimeoutMs: 300,
  });
}

const spaced = (b: Buffer) => b.toString('hex').toUpperCase().match(/../g)!.join(' ');

describe('request frames byte for byte', () => {
  it('0800 sign-on (operator 01, batch 000001, key scheme 003)', async () => {
    const host = await silentHost();
    const c = clientFor(host.port);
    const done = c.signOn('01').catch(() => undefined);
    expect(spaced(await host.first)).toBe(
      [
        '00 3C', // LEN: 60 bytes follow
        '60 00 03 00 00', // TPDU
        '60 31 00 31 10 04', // header
        '08 00', // MTI
        '00 20 00 00 00 C0 00 12', // bitmap: 11 41 42 60 63
        '00 00 01', // 11
        '54 30 30 30 30 30 30 31', // 41 "T0000001"
        '38 39 38 33 31 30 30 34 38 31 36 30 30 30 31', // 42
        '00 11 00 00 00 01 00 30', // 60: 11 digits "00" "000001" "003", pad nibble 0
        '00 03 30 31 20', // 63: "01 "
      ].join(' '),
    );
    await c.close();
    await done;
  });

  it('0200 balance inquiry, swiped card with PIN', async () => {
    const host = await silentHost();
    const c = clientFor(host.port);
    const done = c
      .balanceInquiry({
        track2: '6222020200112233446=30121010000000000',
        entryMode: '02',
        pinBlock: Buffer.from('0102030405060708', 'hex'),
      })
      .catch(() => undefined);
    expect(spaced(await host.first)).toBe(
      [
        '00 6E', // LEN: 110 bytes follow
        '60 00 03 00 00',
        '60 31 00 31 10 04',
        '02 00',
        '20 20 04 C0 20 C0 98 11', // bitmap: 3 11 22 25 26 35 41 42 49 52 53 60 64
        '31 00 00', // 3
        '00 00 01', // 11
        '02 10', // 22 "021", left-justified
        '00', // 25
        '12', // 26
        '37 62 22 02 02 00 11 22 33 44 6D 30 12 10 10 00 00 00 00 00', // 35: 37 digits, "=" = D
        '54 30 30 30 30 30 30 31', // 41
        '38 39 38 33 31 30 30 34 38 31 36 30 30 30 31', // 42
        '31 35 36', // 49 "156"
        '01 02 03 04 05 06 07 08', // 52
        '26 00 00 00 00 00 00 00', // 53
        '00 13 01 00 00 01 00 06 00', // 60: "01" "000001" "000" "6" "0", pad nibble 0
        '41 42 43 44 31 32 33 34', // 64: the 8 MAC characters
      ].join(' '),
    );
    await c.close();
    await done;
  });
});
