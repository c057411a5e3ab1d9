// A device-neutral PIN pad, in the spirit of the UnifiedPOS PINPad category: the core talks to
// this interface and never to a protocol. Every call takes a timeout and an AbortSignal.
import type { EventEmitter } from 'node:events';
import type { CardData, CardEntry } from './card';
import type { PinpadError } from './errors';

/**
 * The registered protocols, id → that driver's own options. Each protocol folder adds itself
 * (`declare module '../types' { interface PinpadProtocols { abecs: ... } }` in its index.ts),
 * so this file knows no protocol and imports no driver; registry.ts checks that the list of
 * drivers and this interface name the same protocols.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the driver folders
export interface PinpadProtocols {}

/** A registered protocol id: 'abecs' | 'cn-epp'. */
export type PinpadProtocol = keyof PinpadProtocols & string;

/** Odoo-IoT-style device status, shown in the status bar. */
export type PinpadHealth = 'connecting' | 'connected' | 'error' | 'disconnected';

export interface CallOptions {
  /** Overall limit for the call in ms; each method documents its default. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PinpadCapabilities {
  magstripe: boolean;
  chip: boolean;
  contactless: boolean;
  /** Keys can be loaded from the PC (ABECS: no, master keys are injected at the factory). */
  keyLoading: boolean;
  sm4: boolean;
  /** The pad computes a MAC over host messages. */
  mac: boolean;
  /** The pad shows Chinese text; otherwise prompts belong on the PC screen. */
  chineseDisplay: boolean;
  /** The pad reports each key press, so the PC can show how many digits were typed. */
  keyEcho: boolean;
}

export interface PinpadInfo {
  protocol: PinpadProtocol;
  maker: string;
  model: string;
  serialNumber: string;
  firmware: string;
  capabilities: PinpadCapabilities;
}

export type Cancelled = { outcome: 'cancelled'; by: 'cardholder' | 'operator' };
export type TimedOut = { outcome: 'timeout' };

export interface WaitForCardOptions extends CallOptions {
  /** Default: every entry the pad supports. */
  entries?: CardEntry[];
  /** Short Latin-1 prompt for the pad display (Chinese prompts belong on the PC screen). */
  message?: string;
}

export type CardOutcome = { outcome: 'card'; card: CardData } | Cancelled | TimedOut;

/** Which key encrypts the PIN block (ISO 9564 format 0). */
export type PinKey =
  /** Master key / working key: ABECS passes the encrypted working key with each GPN; the EPP
   *  uses a working key loaded earlier with loadKeys(). */
  | {
      scheme: 'mkwk';
      algorithm: '3des' | 'sm4';
      masterKeyIndex: number;
      /** Working PIN key encrypted under the master key (ABECS). */
      workingKeyEncrypted?: Buffer;
      /** Working key slot (EPP). */
      workingKeyIndex?: number;
    }
  /** DUKPT 3DES (ABECS): the KSN comes back with the PIN block. */
  | { scheme: 'dukpt'; keyIndex: number };

export interface GetPinOptions extends CallOptions {
  card: CardData;
  key: PinKey;
  minLength?: number;
  maxLength?: number;
  message?: string;
}

export type PinOutcome =
  | {
      outcome: 'pin';
      /** Encrypted ISO 9564 format 0 PIN block (8 bytes for 3DES, 16 for SM4). */
      pinBlock: Buffer;
      /** DUKPT key serial number, hex; absent for MK/WK. */
      ksn?: string;
    }
  | Cancelled
  | TimedOut;

export interface ChipOnlineOptions extends CallOptions {
  card: CardData;
  key: PinKey;
  /** Amount in cents (0 for a balance inquiry). */
  amountCents?: number;
  /** ISO 4217 numeric currency (default 156, CNY). */
  currency?: string;
  /** EMV tags wanted in field 55. */
  tags?: string[];
  message?: string;
}

export type ChipOnlineOutcome =
  | {
      outcome: 'online';
      /** Field 55 data (EMV TLV), also stored in card.emvData. */
      emvData: Buffer;
      pinBlock?: Buffer;
      ksn?: string;
    }
  | { outcome: 'declined-offline' }
  | Cancelled
  | TimedOut;

export interface ChipFinishOptions extends CallOptions {
  /** Host answered: approved (00), declined, or no answer. */
  hostResult: 'approved' | 'declined' | 'unreachable';
  responseCode: string;
  issuerData?: Buffer;
}

export interface KeyLoad extends CallOptions {
  algorithm: '3des' | 'sm4';
  /** Clear master key: only in a secure room / training; live shops get factory-injected keys. */
  master?: { index: number; key: Buffer; expectedKcv?: Buffer };
  working?: Array<{
    masterIndex: number;
    index: number;
    usage: 'pin' | 'mac' | 'data';
    /** Encrypted under the master key, as the host sends it at sign-on. */
    encryptedKey: Buffer;
    /** KCV from the host; a mismatch throws KCV_MISMATCH. */
    expectedKcv?: Buffer;
  }>;
}

export interface KeyLoadResult {
  masterKcv?: Buffer;
  workingKcvs: Buffer[];
}

export interface MacOptions extends CallOptions {
  keyIndex: number;
  algorithm: '3des' | 'sm4';
  data: Buffer;
}

export interface PinpadEvents {
  health: [{ state: PinpadHealth; error?: PinpadError }];
  /** Digits typed so far during PIN entry (never the digits). */
  keypress: [{ digits: number }];
  /** Text the pad asks the PC to show (ABECS NTM) or shows itself. */
  notification: [{ text: string }];
  /** Who answered, each time the pad's info is read: at open, info() and after a replug. */
  info: [PinpadInfo];
}

export interface Pinpad extends EventEmitter<PinpadEvents> {
  readonly protocol: PinpadProtocol;
  readonly path: string;
  readonly health: PinpadHealth;
  /** Opens the port, aborts whatever the pad was doing, reads its info. Default timeout 10 s. */
  open(options?: CallOptions): Promise<PinpadInfo>;
  close(options?: CallOptions): Promise<void>;
  info(options?: CallOptions): Promise<PinpadInfo>;
  showMessage(line1: string, line2?: string, options?: CallOptions): Promise<void>;
  /** Default timeout 60 s. */
  waitForCard(options?: WaitForCardOptions): Promise<CardOutcome>;
  /** Default timeout 60 s. */
  getPin(options: GetPinOptions): Promise<PinOutcome>;
  /** Chip cards: PIN + first generate AC, producing field 55. NOT_SUPPORTED where absent. */
  chipGoOnline(options: ChipOnlineOptions): Promise<ChipOnlineOutcome>;
  chipFinish(options: ChipFinishOptions): Promise<void>;
  /** Stops a running waitForCard / getPin (they resolve with cancelled by operator). */
  cancel(options?: CallOptions): Promise<void>;
  loadKeys(options: KeyLoad): Promise<KeyLoadResult>;
  computeMac(options: MacOptions): Promise<Buffer>;
}
