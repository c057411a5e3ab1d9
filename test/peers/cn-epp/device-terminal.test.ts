// The peer EPP and the peer terminal over a real socat pty pair.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from './codec.js';
import { startPeerEpp } from './device.js';
import type { PeerEpp, PeerEppOptions } from './device.js';
import { openPtyPair, RawPort } from './pty.js';
import type { PtyPair } from './pty.js';
import { PeerEppError, PeerEppTerminal } from './terminal.js';

const vectors = JSON.parse(
  readFileSync(new URL('../../fixtures/vectors/cup-pos-crypto.json', import.meta.url), 'utf8'),
) as {
  mac_ecb_des: { mak: string; mab: string; mac_ascii: string };
  working_key_decrypt: { tmk: string; encrypted: string; clear: string };
  signon_response_0810: Record<
    'tmk' | 'pik_clear' | 'pik_check_value' | 'mak_clear' | 'mak_check_value',
    string
  >;
  pin_block_iso0: Record<'pin' | 'pan' | 'clear_block' | 'key' | 'encrypted_3des_ecb', string>;
  sm4_gbt32907: { key: string };
};

// ---- independent crypto for expectations (node:crypto directly, not ./crypto.ts) -------------

const h = (text: string): Buffer => Buffer.from(text, 'hex');
const upper = (b: Buffer): string => b.toString('hex').toUpperCase();

function cipher(name: 'des-ede3-ecb' | 'sm4-ecb', encrypt: boolean, key: Buffer, data: Buffer) {
  const k =
    name === 'sm4-ecb'
      ? key
      : key.length === 8
        ? Buffer.concat([key, key, key])
        : key.length === 16
          ? Buffer.concat([key, key.subarray(0, 8)])
          : key;
  const c = encrypt ? createCipheriv(name, k, null) : createDecipheriv(name, k, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}
const des3 = (key: Buffer, data: Buffer) => cipher('des-ede3-ecb', true, key, data);
const undes3 = (key: Buffer, data: Buffer) => cipher('des-ede3-ecb', false, key, data);
const sm4 = (key: Buffer, data: Buffer) => cipher('sm4-ecb', true, key, data);
const unsm4 = (key: Buffer, data: Buffer) => cipher('sm4-ecb', false, key, data);

function ecbMac(blockSize: 8 | 16, encrypt: (b: Buffer) => Buffer, data: Buffer): string {
  const r = Buffer.alloc(blockSize);
  data.forEach((byte, i) => {
    r[i % blockSize] = (r[i % blockSize] as number) ^ byte;
  });
  const hx = Buffer.from(upper(r), 'ascii');
  const e1 = encrypt(hx.subarray(0, blockSize));
  const t = Buffer.from(e1.map((b, i) => b ^ (hx[blockSize + i] as number)));
  return upper(encrypt(t)).slice(0, 8);
}

function format0(pin: string, pan: string): Buffer {
  const pinField = h(('0' + pin.length.toString(16) + pin).padEnd(16, 'F'));
  const panField = h('0000' + pan.slice(0, -1).slice(-12));
  return Buffer.from(pinField.map((b, i) => b ^ (panField[i] as number)));
}

// ---- harness --------------------------------------------------------------------------------

interface Rig {
  pty: PtyPair;
  epp: PeerEpp;
  terminal: PeerEppTerminal;
}
const cleanups: Array<() => Promise<void>> = [];

async function rig(options: Omit<PeerEppOptions, 'path'> = {}): Promise<Rig> {
  const pty = await openPtyPair();
  cleanups.push(() => pty.close());
  const epp = await startPeerEpp({ keyIntervalMs: 5, ...options, path: pty.devicePath });
  cleanups.push(() => epp.close());
  const terminal = await PeerEppTerminal.open(pty.terminalPath);
  cleanups.push(() => terminal.close());
  return { pty, epp, terminal };
}

async function rawRig(options: Omit<PeerEppOptions, 'path'> = {}) {
  const pty = await openPtyPair();
  cleanups.push(() => pty.close());
  const epp = await startPeerEpp({ keyIntervalMs: 5, ...options, path: pty.devicePath });
  cleanups.push(() => epp.close());
  const raw = await RawPort.open(pty.terminalPath);
  cleanups.push(() => raw.close());
  return { epp, raw };
}

afterEach(async () => {
  // terminal, then device, then socat
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function rtnOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PeerEppError) return err.rtn;
    throw err;
  }
  return 0x60;
}

const ascii = (text: string) => Buffer.from(text, 'latin1');
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// ---- tests ----------------------------------------------------------------------------------

describe('peer EPP <-> peer terminal over socat', () => {
  it('30h status answers maker;model;serial;firmware', async () => {
    const status = { maker: 'ZT', model: 'ZT598', serial: 'SN0001', firmware: 'V1.0' };
    const { epp, terminal } = await rig({ status });
    expect(await terminal.status()).toEqual(status);
    expect(epp.received).toEqual([{ cmd: 0x30, data: Buffer.alloc(0) }]);
    expect(epp.answered).toEqual([{ cmd: 0x30, rtn: 0x60 }]);
  });

  it('31h TMK then 32h PIN and MAC keys of a real sign-on: KCVs match the host check values', async () => {
    const v = vectors.signon_response_0810;
    const { epp, terminal } = await rig();
    const tmkKcv = await terminal.loadMasterKey(1, v.tmk);
    expect(tmkKcv).toBe(upper(des3(h(v.tmk), Buffer.alloc(8))).slice(0, 8));
    const pikKcv = await terminal.loadWorkingKey(1, 2, '3', '46F161A743497B32EAC760DF5EA57DF5');
    const makKcv = await terminal.loadWorkingKey(1, 3, '5', '977731A7EA402DDF');
    expect(pikKcv).toBe(v.pik_check_value);
    expect(makKcv).toBe(v.mak_check_value);
    expect(pikKcv).toBe(upper(des3(h(v.pik_clear), Buffer.alloc(8))).slice(0, 8));
    expect(epp.loadedKeys()).toEqual([
      { kind: 'master', index: 1, algorithm: '3des', kcv: tmkKcv },
      { kind: 'working', index: 2, algorithm: '3des', usage: '3', kcv: v.pik_check_value },
      { kind: 'working', index: 3, algorithm: '3des', usage: '5', kcv: v.mak_check_value },
    ]);
    const listing = JSON.stringify(epp.loadedKeys());
    for (const secret of [v.tmk, v.pik_clear, v.mak_clear]) expect(listing).not.toContain(secret);
    expect(epp.received[0]?.data.toString('latin1')).toBe('0102' + v.tmk);
    expect(epp.received[1]?.data.toString('latin1')).toBe(
      '0102' + '32' + '46F161A743497B32EAC760DF5EA57DF5',
    );
  });

  it('36h with the configured PIN: * bytes then ENTER; 37h decrypts to the format 0 block', async () => {
    const v = vectors.pin_block_iso0;
    const tmk = '00112233445566778899AABBCCDDEEFF';
    const { epp, terminal } = await rig({ pin: v.pin });
    await terminal.loadMasterKey(7, tmk);
    const pikUnderTmk = upper(des3(h(tmk), h(v.key)));
    expect(await terminal.loadWorkingKey(7, 0x12, '3', pikUnderTmk)).toBe(
      upper(des3(h(v.key), Buffer.alloc(8))).slice(0, 8),
    );
    expect(await terminal.enterPin(5000)).toEqual({ outcome: 'entered', digitsSeen: 4 });
    expect(epp.keyBytes).toEqual([0x2a, 0x2a, 0x2a, 0x2a, 0x0d]);
    const block = await terminal.pinBlock(0x12, v.pan);
    expect(upper(block)).toBe(v.encrypted_3des_ecb);
    expect(undes3(h(v.key), block)).toEqual(format0(v.pin, v.pan));
    expect(upper(undes3(h(v.key), block))).toBe(v.clear_block);
    const request = epp.received.at(-1);
    expect(request?.cmd).toBe(0x37);
    expect(request?.data).toEqual(Buffer.concat([ascii('12'), hex('20'), ascii('987654321098')]));
    // the PIN stays usable until the next 36h, cancel or erase
    expect(await terminal.pinBlock(0x12, '6222020000000000018')).toEqual(
      des3(h(v.key), format0(v.pin, '6222020000000000018')),
    );
  });

  it('41h MAC equals the UnionPay ECB MAC of the public vector', async () => {
    const v = vectors.mac_ecb_des;
    const w = vectors.working_key_decrypt;
    const { epp, terminal } = await rig();
    await terminal.loadMasterKey(1, w.tmk);
    expect(await terminal.loadWorkingKey(1, 4, '5', w.encrypted)).toBe(
      upper(des3(h(w.clear), Buffer.alloc(8))).slice(0, 8),
    );
    const mac = await terminal.mac(4, h(v.mab));
    expect(mac.toString('ascii')).toBe(v.mac_ascii);
    expect(mac.toString('ascii')).toBe(ecbMac(8, (b) => des3(h(v.mak), b), h(v.mab)));
    expect(epp.macs).toEqual([{ keyIndex: 4, input: h(v.mab), mac: ascii(v.mac_ascii) }]);
  });

  it('41h over a frame with LEN > 999 (600 input bytes)', async () => {
    const mak = '1C2D3E4F5A6B7C8D9EAFB0C1D2E3F405';
    const { epp, terminal } = await rig({ masterKeys: { 0: { key: mak, algorithm: '3des' } } });
    await terminal.loadWorkingKey(0, 1, '5', upper(des3(h(mak), h(mak))));
    const data = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7) & 0xff));
    const mac = await terminal.mac(1, data);
    expect(mac.toString('ascii')).toBe(ecbMac(8, (b) => des3(h(mak), b), data));
    expect(terminal.sent.at(-1)?.subarray(0, 8).toString('latin1')).toBe('\x020001204');
    expect(epp.macs[0]?.input).toEqual(data);
  });

  it('cardholder CANCEL: 1Bh, then 37h answers E7h', async () => {
    const key = '0123456789ABCDEFFEDCBA9876543210';
    const { epp, terminal } = await rig({
      pin: '12',
      cardholderCancels: true,
      masterKeys: { 1: { key, algorithm: '3des' } },
    });
    await terminal.loadWorkingKey(1, 2, '3', upper(des3(h(key), h(key))));
    expect(await terminal.enterPin(5000)).toEqual({ outcome: 'cancelled', digitsSeen: 2 });
    expect(epp.keyBytes).toEqual([0x2a, 0x2a, 0x1b]);
    expect(await rtnOf(terminal.pinBlock(2, '6222020000000000018'))).toBe(0xe7);
  });

  it('host timeout: nothing typed, the host cancels with 35h 5032; 37h then answers E7h', async () => {
    const key = '0123456789ABCDEFFEDCBA9876543210';
    const { epp, terminal } = await rig({ masterKeys: { 1: { key, algorithm: '3des' } } });
    await terminal.loadWorkingKey(1, 2, '3', upper(des3(h(key), h(key))));
    expect(await terminal.enterPin(300)).toEqual({ outcome: 'timeout', digitsSeen: 0 });
    expect(epp.received.at(-1)).toEqual({ cmd: 0x35, data: ascii('5032') });
    expect(epp.keyBytes).toEqual([]);
    expect(await rtnOf(terminal.pinBlock(2, '6222020000000000018'))).toBe(0xe7);
  });

  it('CLEAR erases the digits; ENTER under the minimum is ignored', async () => {
    const key = '0123456789ABCDEFFEDCBA9876543210';
    const { epp, terminal } = await rig({ masterKeys: { 1: { key, algorithm: '3des' } } });
    await terminal.loadWorkingKey(1, 2, '3', upper(des3(h(key), h(key))));
    const entry = terminal.enterPin(5000);
    await waitFor(() => epp.answered.some((a) => a.cmd === 0x36));
    await epp.pressKeys('12EC9876E');
    expect(await entry).toEqual({ outcome: 'entered', digitsSeen: 4 });
    expect(epp.keyBytes).toEqual([0x2a, 0x2a, 0x08, 0x2a, 0x2a, 0x2a, 0x2a, 0x0d]);
    const block = await terminal.pinBlock(2, '6222020000000000018');
    expect(undes3(h(key), block)).toEqual(format0('9876', '6222020000000000018'));
  });

  it('35h 55nn: digits beyond the maximum are ignored; 54nn: a short PIN never completes', async () => {
    const key = '0123456789ABCDEFFEDCBA9876543210';
    const { epp, terminal } = await rig({
      pin: '12345678',
      masterKeys: { 1: { key, algorithm: '3des' } },
    });
    await terminal.loadWorkingKey(1, 2, '3', upper(des3(h(key), h(key))));
    await terminal.setPinLength('max', 6);
    expect(await terminal.enterPin(5000)).toEqual({ outcome: 'entered', digitsSeen: 6 });
    const block = await terminal.pinBlock(2, '6222020000000000018');
    expect(undes3(h(key), block)).toEqual(format0('123456', '6222020000000000018'));

    await terminal.setPinLength('max', 12);
    await terminal.setPinLength('min', 6);
    epp.setPin('1234');
    expect(await terminal.enterPin(400)).toEqual({ outcome: 'timeout', digitsSeen: 4 });
    expect(await rtnOf(terminal.pinBlock(2, '6222020000000000018'))).toBe(0xe7);
  });

  it('frames and key bytes share the line: 30h during an entry; a new 36h starts afresh', async () => {
    const { epp, terminal } = await rig();
    const entry = terminal.enterPin(5000);
    await waitFor(() => epp.answered.some((a) => a.cmd === 0x36));
    await epp.pressKeys('12');
    expect((await terminal.status()).model).toBe('ZT598');
    await epp.pressKeys('34E');
    expect(await entry).toEqual({ outcome: 'entered', digitsSeen: 4 });
    epp.setPin('5555');
    expect(await terminal.enterPin(5000)).toEqual({ outcome: 'entered', digitsSeen: 4 });
    expect(epp.answered.map((a) => a.cmd)).toEqual([0x36, 0x30, 0x36]);
  });

  it("the EPP's own inactivity timeout ends the entry silently", async () => {
    const { epp, terminal } = await rig({ inactivityTimeoutMs: 150 });
    const entry = terminal.enterPin(1000);
    await waitFor(() => epp.answered.some((a) => a.cmd === 0x36));
    await epp.pressKeys('1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await epp.pressKeys('234E'); // no entry open any more: ignored
    expect(await entry).toEqual({ outcome: 'timeout', digitsSeen: 1 });
    expect(epp.keyBytes).toEqual([0x2a]);
  });

  it('E6h: no master for 32h, no PIN/MAC key of the right kind for 37h/6Fh/41h', async () => {
    const key = '0123456789ABCDEFFEDCBA9876543210';
    const { terminal } = await rig({
      pin: '4321',
      masterKeys: { 1: { key, algorithm: '3des' }, 2: { key, algorithm: 'sm4' } },
    });
    expect(await rtnOf(terminal.loadWorkingKey(9, 2, '3', upper(des3(h(key), h(key)))))).toBe(0xe6);
    // a 3DES working key under an SM4 master, an SM4 working key under a 3DES master
    expect(await rtnOf(terminal.loadWorkingKey(2, 2, '3', upper(des3(h(key), h(key)))))).toBe(0xe6);
    expect(await rtnOf(terminal.loadSm4WorkingKey(1, 2, '3', key))).toBe(0xe6);
    await terminal.loadWorkingKey(1, 2, '3', upper(des3(h(key), h(key))));
    await terminal.loadWorkingKey(1, 3, '5', upper(des3(h(key), h(key))));
    await terminal.enterPin(5000);
    const pan = '6222020000000000018';
    expect(await rtnOf(terminal.pinBlock(5, pan))).toBe(0xe6); // empty slot
    expect(await rtnOf(terminal.pinBlock(3, pan))).toBe(0xe6); // MAC key, not a PIN key
    expect(await rtnOf(terminal.sm4PinBlock(2, pan))).toBe(0xe6); // 3DES PIN key for 6Fh
    expect(await rtnOf(terminal.mac(2, Buffer.from('x')))).toBe(0xe6); // PIN key for 41h
    expect(await rtnOf(terminal.mac(3, Buffer.from('x'), '2'))).toBe(0xe6); // 3DES key, SM4 MAC
    expect(await rtnOf(terminal.pinBlock(2, pan))).toBe(0x60);
  });

  it('E7h: before any 36h, after 35h 5032, after 35h 5031 erase and reload', async () => {
    const key = '0123456789ABCDEFFEDCBA9876543210';
    const { epp, terminal } = await rig({ pin: '2468' });
    const loadKeys = async () => {
      await terminal.loadMasterKey(1, key);
      await terminal.loadWorkingKey(1, 2, '3', upper(des3(h(key), h(key))));
    };
    const pan = '6222020000000000018';
    await loadKeys();
    expect(await rtnOf(terminal.pinBlock(2, pan))).toBe(0xe7);
    await terminal.enterPin(5000);
    await terminal.cancelPinEntry();
    expect(await rtnOf(terminal.pinBlock(2, pan))).toBe(0xe7);
    await terminal.enterPin(5000);
    expect(await rtnOf(terminal.pinBlock(2, pan))).toBe(0x60);
    await terminal.eraseAllKeys();
    expect(epp.loadedKeys()).toEqual([]);
    expect(await rtnOf(terminal.pinBlock(2, pan))).toBe(0xe6);
    await loadKeys();
    expect(await rtnOf(terminal.pinBlock(2, pan))).toBe(0xe7);
  });

  it('E4h unknown command; E5h bad parameters (errors carry no data)', async () => {
    const { epp, terminal } = await rig({
      masterKeys: { 1: { key: '0123456789ABCDEF', algorithm: '3des' } },
    });
    expect(await terminal.request(0x38)).toEqual({ rtn: 0xe4, data: Buffer.alloc(0) });
    expect((await terminal.request(0x99, ascii('00'))).rtn).toBe(0xe4);
    const bad: Array<[number, Buffer]> = [
      [0x30, ascii('X')], // 30h takes no data
      [0x31, ascii('0112' + '0123456789ABCDEFFEDCBA9876543210')], // mode 1
      [0x31, ascii('0104' + '0123456789ABCDEFFEDCBA9876543210')], // length code 4
      [0x31, ascii('0101' + '0123456789ABCDEFFEDCBA9876543210')], // code 1 with 16 bytes
      [0x31, ascii('0102' + '0123456789abcdeffedcba9876543210')], // lowercase hex
      [0x31, ascii('G102' + '0123456789ABCDEFFEDCBA9876543210')], // key number not hex
      [0x32, ascii('010271' + '0123456789ABCDEF')], // usage 7
      [0x35, ascii('5403')], // minimum under 04
      [0x35, ascii('5513')], // maximum over 12
      [0x35, ascii('5033')],
      [0x36, ascii('0001')],
      [0x37, Buffer.concat([ascii('02'), hex('21'), ascii('987654321098')])], // ISO format 1
      [0x37, Buffer.concat([ascii('02'), hex('20'), ascii('98765432109')])], // 11 PAN digits
      [0x41, ascii('023ABCD')], // algorithm 3
      [0x41, ascii('021ABC')], // odd hex
      [0x62, ascii('0101' + '0123456789ABCDEF')], // SM4 master: length code 2 only
      [0x63, ascii('3101' + '02' + '0123456789ABCDEFFEDCBA9876543210')], // not 0 after usage
      [0x63, ascii('30010201234567')], // short key
      [0x6f, Buffer.concat([ascii('02'), hex('30'), ascii('987654321098')])], // IBM 3624
    ];
    for (const [cmd, data] of bad) {
      expect({ cmd, answer: await terminal.request(cmd, data) }).toEqual({
        cmd,
        answer: { rtn: 0xe5, data: Buffer.alloc(0) },
      });
    }
    expect(epp.loadedKeys()).toHaveLength(1);
  });

  it('a damaged request gets E3h and the terminal resends it', async () => {
    const { epp, terminal } = await rig();
    terminal.damageNextFrames(1);
    expect((await terminal.status()).model).toBe('ZT598');
    expect(epp.answered).toEqual([
      { cmd: 0x30, rtn: 0xe3 },
      { cmd: 0x30, rtn: 0x60 },
    ]);
    expect(epp.received).toHaveLength(1);
    expect(terminal.resends).toBe(1);
    expect(terminal.sent[0]).not.toEqual(terminal.sent[1]);
    expect(terminal.sent[1]).toEqual(hex('02 30 30 31 30 03 30 32'));

    terminal.damageNextFrames(10);
    expect(await terminal.request(0x30)).toEqual({ rtn: 0xe3, data: Buffer.alloc(0) });
    expect(epp.answered.slice(2).map((a) => a.rtn)).toEqual([0xe3, 0xe3, 0xe3, 0xe3]);
  });

  it('SM4: 62h master, 63h PIN and MAC keys, 6Fh PIN block, 41h algorithm 2', async () => {
    const tmk = vectors.sm4_gbt32907.key;
    const pik = 'A0A1A2A3A4A5A6A7A8A9AAABACADAEAF';
    const mak = '00112233445566778899AABBCCDDEEFF';
    const { epp, terminal } = await rig({ pin: '135790' });
    expect(await terminal.loadSm4MasterKey(2, tmk)).toBe(
      upper(sm4(h(tmk), Buffer.alloc(16))).slice(0, 8),
    );
    expect(await terminal.loadSm4WorkingKey(2, 5, '3', upper(sm4(h(tmk), h(pik))))).toBe(
      upper(sm4(h(pik), Buffer.alloc(16))).slice(0, 8),
    );
    expect(await terminal.loadSm4WorkingKey(2, 6, '5', upper(sm4(h(tmk), h(mak))))).toBe(
      upper(sm4(h(mak), Buffer.alloc(16))).slice(0, 8),
    );
    expect(epp.received[1]?.data.toString('latin1').slice(0, 6)).toBe('300205');
    expect(await terminal.enterPin(5000)).toEqual({ outcome: 'entered', digitsSeen: 6 });
    const pan = '6217000010000000003';
    const block = await terminal.sm4PinBlock(5, pan);
    expect(block).toHaveLength(16);
    expect(unsm4(h(pik), block)).toEqual(
      Buffer.concat([format0('135790', pan), Buffer.alloc(8, 0xff)]),
    );
    expect(await rtnOf(terminal.pinBlock(5, pan))).toBe(0xe6); // SM4 key for 37h
    const data = Buffer.from('0200 a message of some length for the SM4 MAC', 'ascii');
    const mac = await terminal.mac(6, data, '2');
    expect(mac.toString('ascii')).toBe(ecbMac(16, (b) => sm4(h(mak), b), data));
    expect(epp.loadedKeys().map((k) => [k.kind, k.index, k.algorithm, k.usage])).toEqual([
      ['master', 2, 'sm4', undefined],
      ['working', 5, 'sm4', '3'],
      ['working', 6, 'sm4', '5'],
    ]);
  });
});

describe('hand-written frames against the peer EPP (raw bytes on the wire)', () => {
  it('the reference example 37h frame, after 31h/32h/36h written by hand', async () => {
    const key = '0123456789ABCDEFFEDCBA9876543210';
    const { raw } = await rawRig({ pin: '1234' });
    // 31h load master key 01 (hand-written, see codec.test.ts)
    await raw.write(
      hex(
        '02 30 33 37 31 30 31 30 32 30 31 32 33 34 35 36 37 38 39 41 42 43 44 45 46 46 45 44 43' +
          ' 42 41 39 38 37 36 35 34 33 32 31 30 03 30 35',
      ),
    );
    expect(await raw.read(16)).toEqual(hex('02 30 30 39 60 30 38 44 37 42 34 46 42 03 35 33'));
    // 32h: working key 31h (the example's key number), PIN usage, under master 01 (encoder-built)
    const load = encodeFrame(0x32, ascii('0131' + '32' + upper(des3(h(key), h(key)))));
    await raw.write(load);
    expect((await raw.read(16)).subarray(0, 14)).toEqual(
      Buffer.concat([hex('02 30 30 39 60'), ascii('08D7B4FB'), hex('03')]),
    );
    // 36h 00012, then 60h and four * and ENTER
    await raw.write(hex('02 30 30 36 36 30 30 30 31 32 03 33 30'));
    expect(await raw.read(8 + 5)).toEqual(hex('02 30 30 31 60 03 35 32  2A 2A 2A 2A 0D'));
    // the reference example: 37h, key 31h, ISO 0, PAN digits 400000123456
    await raw.write(hex('02 30 31 36 37 33 31 20 34 30 30 30 30 30 31 32 33 34 35 36 03 32 32'));
    const answer = await raw.read(1 + 3 + 1 + 20 + 1 + 2);
    expect(answer.subarray(0, 9)).toEqual(hex('02 30 32 31 60 33 31 32 30'));
    expect(answer[25]).toBe(0x03);
    const block = h(answer.subarray(9, 25).toString('ascii'));
    expect(upper(undes3(h(key), block))).toBe(upper(format0('1234', '4000001234567')));
  });

  it('missing ETX and bad LEN get E3h; an unknown command gets E4h', async () => {
    const { epp, raw } = await rawRig();
    await raw.write(hex('02 30 30 31 30 04 30 32'));
    expect(await raw.read(8)).toEqual(hex('02 30 30 31 E3 03 44 31'));
    await raw.write(hex('02 30 3A 31 30 03 30 32'));
    expect(await raw.read(8)).toEqual(hex('02 30 30 31 E3 03 44 31'));
    // 38h: unknown (LRC 30^30^31^38^03 = 0A)
    await raw.write(hex('02 30 30 31 38 03 30 41'));
    expect(await raw.read(8)).toEqual(hex('02 30 30 31 E4 03 44 36'));
    expect(epp.received).toEqual([{ cmd: 0x38, data: Buffer.alloc(0) }]);
  });

  it('an incomplete frame is discarded 1.5 s after its STX, without an answer', async () => {
    const { epp, raw } = await rawRig();
    await raw.write(hex('02 30 30 31 30'));
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect(raw.take()).toHaveLength(0);
    await raw.write(hex('02 30 30 31 30 03 30 32'));
    const answer = await raw.read(8);
    expect(answer.subarray(0, 5)).toEqual(hex('02 30 32 39 60'));
    expect(epp.answered).toEqual([{ cmd: 0x30, rtn: 0x60 }]);
  });
});
