// The EPP as the terminal's key store: working keys from sign-on go into the EPP (checked
// against the host's check values) and MACs are computed inside it, so the PC never holds a
// clear working key. Structurally matches host/key-store.ts (WorkingKeyInstaller & MacProvider)
// without importing it (devices and host are sibling layers).
import type { PinKey, Pinpad } from '../types';

/** The sign-on bundle as host/key-store.ts defines it (keys still under the TMK). */
export interface EppWorkingKeyBundle {
  pikUnderTmk: Buffer;
  makUnderTmk: Buffer;
  checkValues: { pik: Buffer; mak: Buffer };
}

export interface EppKeySlots {
  /** Slot of the TMK inside the EPP (loaded at installation). */
  masterIndex: number;
  pinKeyIndex: number;
  macKeyIndex: number;
  /** Slot of the wallet master key, and the working slot of the payment-password PIN key. */
  walletMasterIndex: number;
  walletPinKeyIndex: number;
  algorithm: '3des' | 'sm4';
}

export const DEFAULT_EPP_KEY_SLOTS: EppKeySlots = {
  masterIndex: 1,
  pinKeyIndex: 2,
  macKeyIndex: 3,
  walletMasterIndex: 2,
  walletPinKeyIndex: 4,
  algorithm: '3des',
};

export class EppKeyStore {
  constructor(
    private readonly pad: Pinpad,
    private readonly slots: EppKeySlots = DEFAULT_EPP_KEY_SLOTS,
  ) {}

  /** Loads PIK and MAK under the TMK slot; a check value mismatch rejects with KCV_MISMATCH. */
  async installWorkingKeys(keys: EppWorkingKeyBundle): Promise<void> {
    const { masterIndex, pinKeyIndex, macKeyIndex, algorithm } = this.slots;
    await this.ready();
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
  async calculateMac(mab: Buffer): Promise<Buffer> {
    await this.ready();
    return this.pad.computeMac({
      keyIndex: this.slots.macKeyIndex,
      algorithm: this.slots.algorithm,
      data: mab,
    });
  }

  /** The key to pass to getPin() for a card PIN. */
  pinKey(): PinKey {
    const { masterIndex, pinKeyIndex, algorithm } = this.slots;
    return { scheme: 'mkwk', algorithm, masterKeyIndex: masterIndex, workingKeyIndex: pinKeyIndex };
  }

  /**
   * Loads the payment-password PIN key the wallet host sent (under the wallet master key) and
   * checks its check value; returns the key to pass to getPin().
   */
  async installWalletPinKey(keyUnderMasterKey: Buffer, checkValue: Buffer): Promise<PinKey> {
    const { walletMasterIndex, walletPinKeyIndex } = this.slots;
    await this.ready();
    await this.pad.loadKeys({
      algorithm: '3des',
      working: [
        {
          masterIndex: walletMasterIndex,
          index: walletPinKeyIndex,
          usage: 'pin',
          encryptedKey: keyUnderMasterKey,
          expectedKcv: checkValue,
        },
      ],
    });
    return {
      scheme: 'mkwk',
      algorithm: '3des',
      masterKeyIndex: walletMasterIndex,
      workingKeyIndex: walletPinKeyIndex,
    };
  }

  /** Sign-on may come before any PIN prompt has opened the pad. */
  private async ready(): Promise<void> {
    if (this.pad.health !== 'connected') await this.pad.open();
  }
}
