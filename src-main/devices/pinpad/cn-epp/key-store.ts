// The EPP as the terminal's key store: working keys from sign-on go into the EPP (checked
// against the host's check values) and MACs are computed inside it, so the PC never holds a
// clear working key. Structurally matches host/key-store.ts (WorkingKeyInstaller & MacProvider)
// without importing it (devices and host are sibling layers).
import type { CnEppPinpad } from './driver';
import type { PinKey } from '../types';

/** The sign-on bundle as host/key-store.ts defines it (keys still under the TMK). */
export interface EppWorkingKeyBundle {
  pikUnderTmk: Buffer;
  makUnderTmk: Buffer;
  checkValues: { pik: Buffer; mak: Buffer };
}

export interface EppKeySlots {
  /** Slot of the TMK inside the EPP (injected at installation). */
  masterIndex: number;
  pinKeyIndex: number;
  macKeyIndex: number;
  algorithm: '3des' | 'sm4';
}

export const DEFAULT_EPP_KEY_SLOTS: EppKeySlots = {
  masterIndex: 1,
  pinKeyIndex: 2,
  macKeyIndex: 3,
  algorithm: '3des',
};

export class EppKeyStore {
  constructor(
    private readonly pad: CnEppPinpad,
    private readonly slots: EppKeySlots = DEFAULT_EPP_KEY_SLOTS,
  ) {}

  /** Loads PIK and MAK under the TMK slot; a check value mismatch rejects with KCV_MISMATCH. */
  async installWorkingKeys(keys: EppWorkingKeyBundle): Promise<void> {
    const { masterIndex, pinKeyIndex, macKeyIndex, algorithm } = this.slots;
    await this.pad.loadKeys({
      algorithm,
      working: [
        {
          masterIndex,
          index: pinKeyIndex,
          usage: 'pin',
          encryptedKey: keys.pikUnderTmk,
          expectedKcv: keys.checkValues.pik,
        },
        {
          masterIndex,
          index: macKeyIndex,
          usage: 'mac',
          encryptedKey: keys.makUnderTmk,
          expectedKcv: keys.checkValues.mak,
        },
      ],
    });
  }

  /** UnionPay ECB MAC of `mab` with the MAK inside the EPP (8 ASCII bytes for F64). */
  calculateMac(mab: Buffer): Promise<Buffer> {
    return this.pad.computeMac({
      keyIndex: this.slots.macKeyIndex,
      algorithm: this.slots.algorithm,
      data: mab,
    });
  }

  /** The key to pass to getPin(). */
  pinKey(): PinKey {
    const { masterIndex, pinKeyIndex, algorithm } = this.slots;
    return { scheme: 'mkwk', algorithm, masterKeyIndex: masterIndex, workingKeyIndex: pinKeyIndex };
  }
}
