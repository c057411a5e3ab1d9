// Card data as the drivers hand it up. Only the masked PAN is meant for screens and logs;
// the full PAN, track 2 and chip data sit in private fields, invisible to JSON.stringify and
// console.log, and are read on purpose by the code that builds the host message.
import { inspect } from 'node:util';
import { maskPan } from '../../common';

export type CardEntry = 'swipe' | 'chip' | 'tap';

export interface CardSecrets {
  pan: string;
  track2?: string;
  /** Chip data (EMV TLV) for field 55, after the pad ran the online part of the EMV flow. */
  emvData?: Buffer;
  panSequence?: string;
}

export class CardData {
  readonly entry: CardEntry;
  readonly maskedPan: string;
  /** YYMM when known. */
  readonly expiry: string | undefined;
  #secrets: CardSecrets;

  constructor(entry: CardEntry, secrets: CardSecrets, expiry?: string) {
    this.entry = entry;
    this.maskedPan = maskPan(secrets.pan);
    this.expiry = expiry;
    this.#secrets = { ...secrets };
  }

  /** Full PAN: for the host message, the PIN block and the log review's keyed hash only. */
  get pan(): string {
    return this.#secrets.pan;
  }

  get track2(): string | undefined {
    return this.#secrets.track2;
  }

  get panSequence(): string | undefined {
    return this.#secrets.panSequence;
  }

  get emvData(): Buffer | undefined {
    return this.#secrets.emvData;
  }

  /** Called by the chip flow once GOX produced the online data. */
  setEmvData(data: Buffer): void {
    this.#secrets.emvData = data;
  }

  /** Overwrites the secrets once the inquiry is over. */
  wipe(): void {
    this.#secrets.emvData?.fill(0);
    this.#secrets = { pan: '' };
  }

  toJSON(): { entry: CardEntry; maskedPan: string; expiry?: string } {
    return this.expiry
      ? { entry: this.entry, maskedPan: this.maskedPan, expiry: this.expiry }
      : { entry: this.entry, maskedPan: this.maskedPan };
  }

  [inspect.custom](): string {
    return `CardData(${this.entry} ${this.maskedPan})`;
  }
}
