import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  keyCheckValue,
  pinFromFormat0,
  sm4DecryptEcb,
  sm4EncryptEcb,
  tdesDecryptEcb,
  tdesEncryptEcb,
  unionPayEcbMac,
  unionPayEcbMacSm4,
} from '../../../../src-main/crypto';
import { CardData } from '../../../../src-main/devices/pinpad/card';
import { CnEppPinpad } from '../../../../src-main/devices/pinpad/cn-epp/driver';
import type { PinpadHealth } from '../../../../src-main/devices/pinpad/types';
import type { PtyPair } from '../../../support/pty';
import { startPinpadEmulator, type PinpadEmulator } from '../../../../src-main/sim/pinpad';
import { ptyPair, waitForEvent } from './pty-fixture';

const MK = Buffer.from('00112233445566778899AABBCCDDEEFF', 'hex');
const PIK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const MAK = Buffer.from('89ABCDEF01234567FEDCBA9876543210', 'hex');
const card = new CardData('swipe', { pan: '6222020200112233446' });
const tdesKey = {
  scheme: 'mkwk' as const,
  algorithm: '3des' as const,
  masterKeyIndex: 2,
  workingKeyIndex: 3,
};
const sm4Key = {
  scheme: 'mkwk' as const,
  algorithm: 'sm4' as const,
  masterKeyIndex: 5,
  workingKeyIndex: 6,
};

let pty: PtyPair;
let emulator: PinpadEmulator;
let pad: CnEppPinpad;
const link: string[] = [];
const commands: string[] = [];

beforeAll(async () => {
  pty = await ptyPair('cn-epp-driver');
  emulator = await startPinpadEmulator({
    protocol: 'cn-epp',
    path: pty.devicePath,
    cable: pty,
    pin: '246810',
    keyIntervalMs: 5,
  });
  emulator.on('link', (e) => link.push(e.kind));
  emulator.on('command', (c) => commands.push(c.name));
  pad = new CnEppPinpad({ path: pty.hostPath, pollMs: 50, responseTimeoutMs: 400 });
});

beforeEach(() => {
  link.length = 0;
  commands.length = 0;
  emulator.faults.set({});
});

afterAll(async () => {
  await pad?.close().catch(() => undefined);
  await emulator?.close();
  await pty?.close();
});

describe('Chinese EPP driver against the emulator over a pty', () => {
  it('opens and reads the status / version', async () => {
    const info = await pad.open();
    expect(info).toMatchObject({
      protocol: 'cn-epp',
      model: 'ZT598-EMU',
      serialNumber: 'EPP0000000000001',
      firmware: 'EMU 1.00',
    });
    expect(info.capabilities).toMatchObject({
      keyLoading: true,
      sm4: true,
      mac: true,
      magstripe: false,
    });
    expect(pad.health).toBe('connected');
  });

  it('loads 3DES master and working keys, checking the check values', async () => {
    const result = await pad.loadKeys({
      algorithm: '3des',
      master: { index: 2, key: MK, expectedKcv: keyCheckValue(MK, '3des') },
      working: [
        {
          masterIndex: 2,
          index: 3,
          usage: 'pin',
          encryptedKey: tdesEncryptEcb(MK, PIK),
          expectedKcv: keyCheckValue(PIK, '3des'),
        },
        {
          masterIndex: 2,
          index: 4,
          usage: 'mac',
          encryptedKey: tdesEncryptEcb(MK, MAK),
          expectedKcv: keyCheckValue(MAK, '3des'),
        },
      ],
    });
    expect(result.masterKcv).toEqual(keyCheckValue(MK, '3des'));
    expect(result.workingKcvs).toEqual([keyCheckValue(PIK, '3des'), keyCheckValue(MAK, '3des')]);
  });

  it('rejects a working key whose check value does not match', async () => {
    await expect(
      pad.loadKeys({
        algorithm: '3des',
        working: [
          {
            masterIndex: 2,
            index: 9,
            usage: 'pin',
            encryptedKey: tdesEncryptEcb(MK, PIK),
            expectedKcv: Buffer.from('00000000', 'hex'),
          },
        ],
      }),
    ).rejects.toMatchObject({ code: 'KCV_MISMATCH', messageZh: '密钥校验值不符，密钥未生效' });
  });

  it('a working key under a missing master key is KEY_MISSING', async () => {
    await expect(
      pad.loadKeys({
        algorithm: '3des',
        working: [{ masterIndex: 40, index: 9, usage: 'pin', encryptedKey: PIK }],
      }),
    ).rejects.toMatchObject({ code: 'KEY_MISSING' });
  });

  it('gets a 3DES ISO 0 PIN block with key-press echo (digit count only)', async () => {
    const echoes: number[] = [];
    const onKey = (k: { digits: number }) => echoes.push(k.digits);
    pad.on('keypress', onKey);
    const out = await pad.getPin({ card, key: tdesKey });
    pad.off('keypress', onKey);
    expect(out.outcome).toBe('pin');
    if (out.outcome !== 'pin') return;
    expect(out.pinBlock.length).toBe(8);
    expect(pinFromFormat0(tdesDecryptEcb(PIK, out.pinBlock), card.pan)).toBe('246810');
    expect(echoes).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(commands).toEqual(['35', '35', '36', '37']);
  });

  it('loads SM4 keys and gets a 16-byte SM4 PIN block', async () => {
    const result = await pad.loadKeys({
      algorithm: 'sm4',
      master: { index: 5, key: MK, expectedKcv: keyCheckValue(MK, 'sm4') },
      working: [
        {
          masterIndex: 5,
          index: 6,
          usage: 'pin',
          encryptedKey: sm4EncryptEcb(MK, PIK),
          expectedKcv: keyCheckValue(PIK, 'sm4'),
        },
        { masterIndex: 5, index: 7, usage: 'mac', encryptedKey: sm4EncryptEcb(MK, MAK) },
      ],
    });
    expect(result.workingKcvs[0]).toEqual(keyCheckValue(PIK, 'sm4'));
    const out = await pad.getPin({ card, key: sm4Key });
    expect(out.outcome).toBe('pin');
    if (out.outcome !== 'pin') return;
    expect(out.pinBlock.length).toBe(16);
    const clear = sm4DecryptEcb(PIK, out.pinBlock);
    expect(pinFromFormat0(clear.subarray(0, 8), card.pan)).toBe('246810');
    expect(clear.subarray(8).toString('hex')).toBe('ffffffffffffffff');
    expect(commands).toContain('6F');
  });

  it('computes the UnionPay ECB MAC inside the EPP (3DES and SM4)', async () => {
    const mab = Buffer.from(
      '0200702406C020C09811166222020200112233446310000000000000000001',
      'latin1',
    );
    expect(await pad.computeMac({ keyIndex: 4, algorithm: '3des', data: mab })).toEqual(
      unionPayEcbMac(MAK, mab),
    );
    expect(await pad.computeMac({ keyIndex: 7, algorithm: 'sm4', data: mab })).toEqual(
      unionPayEcbMacSm4(MAK, mab),
    );
  });

  it('has no card reader: waitForCard is NOT_SUPPORTED', async () => {
    await expect(pad.waitForCard()).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});

describe('Chinese EPP fault knobs', () => {
  it('damaged answer once: the driver asks again', async () => {
    emulator.faults.set({ corruptCheck: 1 });
    expect((await pad.info()).model).toBe('ZT598-EMU');
    expect(commands).toEqual(['30', '30']);
  });

  it('damaged answers every time: PROTOCOL error, then usable', async () => {
    emulator.faults.set({ corruptCheck: 5 });
    await expect(pad.info()).rejects.toMatchObject({ code: 'PROTOCOL' });
    emulator.faults.set({});
    expect((await pad.info()).model).toBe('ZT598-EMU');
  });

  it('no answer once: retried; no answer 3 times: NO_RESPONSE, then usable', async () => {
    emulator.faults.set({ noAck: 1 });
    expect((await pad.info()).model).toBe('ZT598-EMU');
    emulator.faults.set({ noAck: 3 });
    await expect(pad.info()).rejects.toMatchObject({ code: 'NO_RESPONSE' });
    expect((await pad.info()).model).toBe('ZT598-EMU');
  });

  it('slow bytes still make a whole answer', async () => {
    emulator.faults.set({ slowBytesMs: 3 });
    expect((await pad.info()).serialNumber).toBe('EPP0000000000001');
  });

  it('cardholder cancel at the PIN prompt', async () => {
    emulator.faults.set({ cardholderCancel: true });
    expect(await pad.getPin({ card, key: tdesKey })).toEqual({
      outcome: 'cancelled',
      by: 'cardholder',
    });
  });

  it('timeout: the driver cancels the input on the EPP and reports timeout', async () => {
    emulator.faults.set({ timeout: true, promptTimeoutMs: 30_000 });
    expect(await pad.getPin({ card, key: tdesKey, timeoutMs: 300 })).toEqual({
      outcome: 'timeout',
    });
    expect(commands.at(-1)).toBe('35');
    emulator.faults.set({});
    expect((await pad.getPin({ card, key: tdesKey })).outcome).toBe('pin');
  });

  it('operator cancel stops PIN entry', async () => {
    emulator.faults.set({ timeout: true, promptTimeoutMs: 30_000 });
    const pending = pad.getPin({ card, key: tdesKey });
    await waitForEvent<{ kind: string }>(
      (cb) => emulator.on('prompt', cb),
      (p) => p.kind === 'pin',
    );
    await pad.cancel();
    expect(await pending).toEqual({ outcome: 'cancelled', by: 'operator' });
  });

  it('unplug mid-command: NOT_CONNECTED, then reopens on replug', async () => {
    const states: PinpadHealth[] = [];
    pad.on('health', (h) => states.push(h.state));
    emulator.faults.set({ unplugOn: '37' });
    await expect(pad.getPin({ card, key: tdesKey })).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
    });
    expect(pad.health).toBe('disconnected');
    const back = waitForEvent<{ state: PinpadHealth }>(
      (cb) => pad.on('health', cb),
      (h) => h.state === 'connected',
    );
    await emulator.replug();
    await back;
    expect(states).toEqual(['disconnected', 'connecting', 'connected']);
    // Keys live in the (emulated) EPP's memory across the replug.
    expect((await pad.getPin({ card, key: tdesKey })).outcome).toBe('pin');
  });

  it('a pad that stays silent after a replug is health error, until it answers again', async () => {
    const events: Array<{ state: PinpadHealth; error?: { code: string } }> = [];
    pad.on('health', (h) => events.push(h));
    const gone = waitForEvent<{ state: PinpadHealth }>(
      (cb) => pad.on('health', cb),
      (h) => h.state === 'disconnected',
    );
    await emulator.unplug();
    await gone;
    emulator.faults.set({ noAck: 3 });
    const failed = waitForEvent<{ state: PinpadHealth }>(
      (cb) => pad.on('health', cb),
      (h) => h.state === 'error',
    );
    await emulator.replug();
    await failed;
    expect(events.map((e) => e.state)).toEqual(['disconnected', 'connecting', 'error']);
    expect(events.at(-1)?.error?.code).toBe('NO_RESPONSE');
    expect((await pad.info()).model).toBe('ZT598-EMU');
    expect(pad.health).toBe('connected');
  });
});
