// The EPP as the terminal's key store, fed the way sign-on feeds host/key-store.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  keyCheckValue,
  pinFromFormat0,
  tdesDecryptEcb,
  tdesEncryptEcb,
  unionPayEcbMac,
} from '../../../../src-main/crypto';
import { CardData, CnEppPinpad, EppKeyStore } from '../../../../src-main/devices/pinpad';
import type { HostKeyStore, WorkingKeyBundle } from '../../../../src-main/host/key-store';
import type { PtyPair } from '../../../support/pty';
import {
  TRAINING_MASTER_KEY_HEX,
  startPinpadEmulator,
  type PinpadEmulator,
} from '../../../../src-main/sim/pinpad';
import { ptyPair } from './pty-fixture';

const TMK = Buffer.from(TRAINING_MASTER_KEY_HEX, 'hex');
const PIK = Buffer.from('1F2E3D4C5B6A79880123456789ABCDEF', 'hex');
const MAK = Buffer.from('A1B2C3D4E5F60718293A4B5C6D7E8F90', 'hex');

let pty: PtyPair;
let emulator: PinpadEmulator;
let pad: CnEppPinpad;

beforeAll(async () => {
  pty = await ptyPair('cn-epp-keystore');
  emulator = await startPinpadEmulator({
    protocol: 'cn-epp',
    path: pty.devicePath,
    pin: '8888',
    keyIntervalMs: 5,
  });
  pad = new CnEppPinpad({ path: pty.hostPath });
  await pad.open();
});

afterAll(async () => {
  await pad?.close();
  await emulator?.close();
  await pty?.close();
});

describe('EppKeyStore', () => {
  it('installs sign-on working keys, computes MACs and PIN blocks inside the EPP', async () => {
    const bundle: WorkingKeyBundle = {
      scheme: '003',
      pikUnderTmk: tdesEncryptEcb(TMK, PIK),
      makUnderTmk: tdesEncryptEcb(TMK, MAK),
      checkValues: { pik: keyCheckValue(PIK, '3des'), mak: keyCheckValue(MAK, '3des') },
    };
    const store = new EppKeyStore(pad);
    // Usable wherever the host client wants its key store.
    const asHostStore: HostKeyStore = store;
    await asHostStore.installWorkingKeys(bundle);
    const mab = Buffer.from('0200 balance inquiry MAB', 'latin1');
    expect(await asHostStore.calculateMac(mab)).toEqual(unionPayEcbMac(MAK, mab));
    const card = new CardData('swipe', { pan: '6222020200112233446' });
    const out = await pad.getPin({ card, key: store.pinKey() });
    if (out.outcome !== 'pin') throw new Error(out.outcome);
    expect(pinFromFormat0(tdesDecryptEcb(PIK, out.pinBlock), card.pan)).toBe('8888');
  });

  it('refuses working keys whose check value does not match', async () => {
    const store = new EppKeyStore(pad);
    await expect(
      store.installWorkingKeys({
        pikUnderTmk: tdesEncryptEcb(TMK, PIK),
        makUnderTmk: tdesEncryptEcb(TMK, MAK),
        checkValues: { pik: keyCheckValue(MAK, '3des'), mak: keyCheckValue(MAK, '3des') },
      }),
    ).rejects.toMatchObject({ code: 'KCV_MISMATCH' });
  });
});
