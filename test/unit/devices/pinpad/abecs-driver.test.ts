import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinFromFormat0, tdesDecryptEcb, tdesEncryptEcb } from '../../../../src-main/crypto';
import { AbecsPinpad } from '../../../../src-main/devices/pinpad/abecs/driver';
import { decodeEmvTlv } from '../../../../src-main/protocols/abecs';
import type { PtyPair } from '../../../support/pty';
import {
  TRAINING_MASTER_KEY_HEX,
  startPinpadEmulator,
  type PinpadEmulator,
} from '../../../../src-main/sim/pinpad';
import { ptyPair } from './pty-fixture';

const MK = Buffer.from(TRAINING_MASTER_KEY_HEX, 'hex');
const WK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const WK_ENC = tdesEncryptEcb(MK, WK);
const key = {
  scheme: 'mkwk' as const,
  algorithm: '3des' as const,
  masterKeyIndex: 1,
  workingKeyEncrypted: WK_ENC,
};

let pty: PtyPair;
let emulator: PinpadEmulator;
let pad: AbecsPinpad;

beforeAll(async () => {
  pty = await ptyPair('abecs-driver');
  emulator = await startPinpadEmulator({
    protocol: 'abecs',
    path: pty.devicePath,
    cable: pty,
    pin: '123456',
    keyIntervalMs: 5,
  });
  pad = new AbecsPinpad({ path: pty.hostPath, pollMs: 50 });
});

afterAll(async () => {
  await pad?.close().catch(() => undefined);
  await emulator?.close();
  await pty?.close();
});

describe('ABECS driver against the emulator over a pty', () => {
  it('opens (CAN/EOT, OPN) and reads GIN info', async () => {
    const health: string[] = [];
    pad.on('health', (h) => health.push(h.state));
    const info = await pad.open();
    expect(info).toMatchObject({
      protocol: 'abecs',
      maker: 'CASHIER TRAINING',
      model: 'ABECS-EMU',
      serialNumber: 'EMU0000000000001',
    });
    expect(info.capabilities.keyLoading).toBe(false);
    expect(health).toEqual(['connecting', 'connected']);
    expect(pad.health).toBe('connected');
  });

  it('shows a message on the pad display (DSP, Latin-1 only)', async () => {
    await pad.showMessage('BALANCE', '余额');
    expect(emulator.display).toEqual(['BALANCE', '??']);
  });

  it('shows longer text with DEX', async () => {
    await pad.showText('SALDO\nCONSULTA');
    expect(emulator.display).toEqual(['SALDO', 'CONSULTA']);
  });

  it('reads a tapped card through GCX as a tap entry', async () => {
    onCardPrompt(() => emulator.tapCard('debit-chip'));
    const out = await pad.waitForCard({ entries: ['tap'] });
    if (out.outcome !== 'card') throw new Error(out.outcome);
    expect(out.card.entry).toBe('tap');
    expect(out.card.maskedPan).toBe('622848*********8903');
    expect(out.card.expiry).toBe('2912');
  });

  it('reads a swiped card: masked PAN for the screen, track 2 only in memory', async () => {
    onCardPrompt(() => emulator.swipeCard('debit-swipe'));
    const out = await pad.waitForCard({ entries: ['swipe'] });
    expect(out.outcome).toBe('card');
    if (out.outcome !== 'card') return;
    expect(out.card.maskedPan).toBe('622202*********3446');
    expect(out.card.pan).toBe('6222020200112233446');
    expect(out.card.track2).toMatch(/^6222020200112233446=3012101/);
    expect(JSON.stringify(out.card)).not.toContain('6222020200112233446');
    expect(out.card.entry).toBe('swipe');
  });

  it('gets an ISO 9564 format 0 PIN block under the working key, with key-press echo', async () => {
    const card = await swipe();
    const echoes: number[] = [];
    const onKey = (k: { digits: number }) => echoes.push(k.digits);
    pad.on('keypress', onKey);
    const out = await pad.getPin({ card, key });
    pad.off('keypress', onKey);
    expect(out.outcome).toBe('pin');
    if (out.outcome !== 'pin') return;
    expect(out.pinBlock.length).toBe(8);
    expect(out.ksn).toBeUndefined();
    expect(pinFromFormat0(tdesDecryptEcb(WK, out.pinBlock), card.pan)).toBe('123456');
    expect(echoes).toContain(6);
  });

  it('accepts a single-length working key (sign-on scheme 001) as K||K', async () => {
    const single = Buffer.from('0123456789ABCDEF', 'hex');
    const card = await swipe();
    const out = await pad.getPin({
      card,
      key: { ...key, workingKeyEncrypted: tdesEncryptEcb(MK, single) },
    });
    if (out.outcome !== 'pin') throw new Error(out.outcome);
    expect(pinFromFormat0(tdesDecryptEcb(single, out.pinBlock), card.pan)).toBe('123456');
  });

  it('keeps waiting for a card when the cardholder presses ENTER or a digit at the card prompt', async () => {
    onCardPrompt(() => {
      emulator.pressKey('5');
      emulator.pressKey('enter');
      onCardPrompt(() => emulator.swipeCard('debit-swipe'));
    });
    const out = await pad.waitForCard({ entries: ['swipe'] });
    expect(out.outcome).toBe('card');
  });

  it('reports a missing master key as KEY_MISSING and stays usable', async () => {
    const card = await swipe();
    await expect(pad.getPin({ card, key: { ...key, masterKeyIndex: 7 } })).rejects.toMatchObject({
      code: 'KEY_MISSING',
    });
    expect((await pad.info()).model).toBe('ABECS-EMU');
  });

  it('passes a DUKPT request through (the emulator holds no DUKPT key: 042)', async () => {
    const card = await swipe();
    await expect(pad.getPin({ card, key: { scheme: 'dukpt', keyIndex: 2 } })).rejects.toMatchObject(
      { code: 'KEY_MISSING' },
    );
  });

  it('runs the chip flow: CEX insert, GCX, GOX (PIN + F55), FCX', async () => {
    onCardPrompt(() => emulator.insertCard('debit-chip'));
    const read = await pad.waitForCard();
    expect(read.outcome).toBe('card');
    if (read.outcome !== 'card') return;
    expect(read.card.entry).toBe('chip');
    expect(read.card.maskedPan).toBe('622848*********8903');
    expect(read.card.panSequence).toBe('01');
    const online = await pad.chipGoOnline({ card: read.card, key });
    expect(online.outcome).toBe('online');
    if (online.outcome !== 'online') return;
    const tags = decodeEmvTlv(online.emvData).map((t) => t.tag);
    expect(tags).toEqual(
      expect.arrayContaining([
        '9F26',
        '9F27',
        '9F10',
        '9F37',
        '9F36',
        '95',
        '9A',
        '9C',
        '9F02',
        '5F2A',
        '82',
      ]),
    );
    expect(decodeEmvTlv(online.emvData).find((t) => t.tag === '9C')!.value).toEqual(
      Buffer.of(0x31),
    );
    expect(pinFromFormat0(tdesDecryptEcb(WK, online.pinBlock!), read.card.pan)).toBe('123456');
    expect(read.card.emvData).toEqual(online.emvData);
    await pad.chipFinish({ hostResult: 'approved', responseCode: '00' });
    emulator.removeCard();
  });

  it('refuses GOX without GCX with a typed device error', async () => {
    const card = await swipe();
    await expect(pad.chipGoOnline({ card, key })).rejects.toMatchObject({
      code: 'DEVICE_ERROR',
      details: { status: 10 },
    });
  });

  it('loadKeys and computeMac are NOT_SUPPORTED on ABECS', async () => {
    await expect(pad.loadKeys({ algorithm: '3des' })).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
    });
    await expect(
      pad.computeMac({ keyIndex: 1, algorithm: '3des', data: Buffer.alloc(8) }),
    ).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('closes with CLO and reopens', async () => {
    await pad.close();
    expect(pad.health).toBe('disconnected');
    await expect(pad.info()).rejects.toMatchObject({ code: 'NOT_OPEN' });
    await pad.open();
    expect(pad.health).toBe('connected');
  });
});

/** Acts once, at the pad's next card prompt (not at other prompt changes). */
function onCardPrompt(act: () => void): void {
  const listener = ({ kind }: { kind: string }) => {
    if (kind !== 'card') return;
    emulator.off('prompt', listener);
    act();
  };
  emulator.on('prompt', listener);
}

async function swipe() {
  onCardPrompt(() => emulator.swipeCard('debit-swipe'));
  const out = await pad.waitForCard({ entries: ['swipe'] });
  if (out.outcome !== 'card') throw new Error(`no card: ${out.outcome}`);
  return out.card;
}
