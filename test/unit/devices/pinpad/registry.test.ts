// The driver registry: every protocol-specific list in the console derives from it.
import { afterAll, describe, expect, it } from 'vitest';
import {
  AbecsPinpad,
  CnEppPinpad,
  PINPAD_DRIVERS,
  PINPAD_PROTOCOL_IDS,
  PINPAD_PROTOCOL_LABELS,
  createPinpad,
  detectPinpadProtocol,
  isPinpadProtocol,
  pinpadDriver,
} from '../../../../src-main/devices/pinpad';
import { startTrainingPinpad, type PinpadEmulator } from '../../../../src-main/sim/pinpad';

const started: PinpadEmulator[] = [];
afterAll(async () => {
  for (const e of started) await e.close();
});

describe('PIN pad driver registry', () => {
  it('lists the protocols once, with their labels, speeds and capabilities', () => {
    expect(PINPAD_PROTOCOL_IDS).toEqual(['abecs', 'cn-epp']);
    expect(PINPAD_DRIVERS.map((d) => d.id)).toEqual(PINPAD_PROTOCOL_IDS);
    expect(PINPAD_PROTOCOL_LABELS['cn-epp']).toEqual({
      en: 'Chinese EPP (ZT598)',
      zh: '国密 EPP（ZT598）',
    });
    expect(pinpadDriver('abecs').baudRate).toBe(19200);
    expect(pinpadDriver('cn-epp').baudRate).toBe(9600);
    expect(pinpadDriver('cn-epp').capabilities).toMatchObject({ chip: false, keyLoading: true });
    expect(isPinpadProtocol('cn-epp')).toBe(true);
    expect(isPinpadProtocol('toString')).toBe(false);
    expect(() => pinpadDriver('nope' as 'abecs')).toThrow('unknown PIN pad protocol');
  });

  it('createPinpad makes the registered driver, closed', () => {
    const a = createPinpad({ protocol: 'abecs', path: '/dev/null', acquirer: '02' });
    const e = createPinpad({ protocol: 'cn-epp', path: '/dev/null' });
    expect(a).toBeInstanceOf(AbecsPinpad);
    expect(e).toBeInstanceOf(CnEppPinpad);
    expect([a.protocol, e.protocol, e.health]).toEqual(['abecs', 'cn-epp', 'disconnected']);
  });

  it('detection asks ABECS first, then the EPP, over training’s in-memory cable too', async () => {
    const epp = await startTrainingPinpad({ protocol: 'cn-epp' });
    started.push(epp);
    expect(await detectPinpadProtocol(epp.address.hostPath, { timeoutMs: 300 })).toBe('cn-epp');
    const abecs = await startTrainingPinpad({ protocol: 'abecs' });
    started.push(abecs);
    expect(await detectPinpadProtocol(abecs.address.hostPath, { timeoutMs: 300 })).toBe('abecs');
  });

  it('detection stops asking when the caller gives up', async () => {
    const epp = await startTrainingPinpad({ protocol: 'cn-epp' });
    started.push(epp);
    const gaveUp = new AbortController();
    gaveUp.abort();
    const found = await detectPinpadProtocol(epp.address.hostPath, {
      timeoutMs: 300,
      signal: gaveUp.signal,
    });
    expect(found).toBeUndefined();
  });
});
