// ABECS PIN pad driver: the device-neutral Pinpad interface over the ABECS 2.12 command set.
import {
  AbecsMessageError,
  AbecsStatus,
  BLOCKING_COMMANDS,
  CardType,
  CexEvent,
  Pp,
  TRNTYPE_BALANCE_INQUIRY,
  cexParams,
  decodeFcxResult,
  decodeGcxResult,
  decodeGinInfo,
  decodeGoxResult,
  decodeGpnResult,
  decodeGtkResult,
  dexBlock,
  displayBlock,
  encodeCommand,
  encodeTagList,
  fcxParams,
  gcxParams,
  ginRequestBlocks,
  goxParams,
  gpnBlock,
  gtkParams,
  PAN_AND_TRACK2,
  TRACK2_ONLY,
  tlvBlocks,
  tlvFromBlocks,
  type AbecsResponse,
  type TrackRequest,
} from '../../../protocols/abecs';
import { PinpadBase } from '../base';
import { CardData, type CardEntry } from '../card';
import type { CallScope } from '../call';
import { PinpadError } from '../errors';
import type {
  CallOptions,
  CardOutcome,
  ChipFinishOptions,
  ChipOnlineOptions,
  ChipOnlineOutcome,
  GetPinOptions,
  KeyLoad,
  KeyLoadResult,
  MacOptions,
  PinOutcome,
  Pinpad,
  PinpadCapabilities,
  PinpadInfo,
  WaitForCardOptions,
} from '../types';
import { AbecsLink, type LinkTimings } from './link';

export const ABECS_BAUD_RATE = 19200;
/** What an ABECS pad can do at most; whether it has the contactless antenna it says in GIN. */
export const ABECS_CAPABILITIES: Readonly<PinpadCapabilities> = {
  magstripe: true,
  chip: true,
  contactless: true,
  // Master keys are injected at the factory.
  keyLoading: false,
  sm4: false,
  mac: false,
  chineseDisplay: false,
  keyEcho: true,
};

/** Tags a UnionPay-style host expects in field 55 for an ARQC. */
export const DEFAULT_F55_TAGS = [
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
  '9F1A',
  '9F03',
  '9F33',
  '9F34',
  '9F35',
  '9F1E',
  '84',
  '9F09',
  '9F41',
];

export interface AbecsPinpadOptions {
  path: string;
  /** Acquirer index for the pad's EMV tables (SPE_ACQREF). */
  acquirer?: string;
  /** Shown by CLO when the session ends. */
  idleMessage?: [string, string];
  timings?: LinkTimings;
  pollMs?: number;
}

export class AbecsPinpad extends PinpadBase implements Pinpad {
  readonly protocol = 'abecs' as const;
  private readonly link: AbecsLink;
  private readonly acquirer: string;
  private readonly idleMessage: [string, string];
  private cachedInfo: PinpadInfo | undefined;

  constructor(options: AbecsPinpadOptions) {
    super(options.path, ABECS_BAUD_RATE, options.pollMs);
    this.link = new AbecsLink(this.serial, options.timings);
    this.acquirer = options.acquirer ?? '01';
    this.idleMessage = options.idleMessage ?? ['', ''];
  }

  async close(options?: CallOptions): Promise<void> {
    if (!this.opened) return;
    try {
      if (this.serial.isOpen) {
        await this.run(options, 5000, (scope) =>
          this.command(scope, 'CLO', [displayBlock(this.idleMessage[0], this.idleMessage[1])]),
        );
      }
    } finally {
      this.opened = false;
      await this.serial.close();
      this.setHealth('disconnected');
    }
  }

  info(options?: CallOptions): Promise<PinpadInfo> {
    return this.run(options, 10_000, (scope) => this.identify(scope));
  }

  async showMessage(line1: string, line2 = '', options?: CallOptions): Promise<void> {
    await this.run(options, 10_000, (scope) =>
      this.command(scope, 'DSP', [displayBlock(line1, line2)]),
    );
  }

  /** DEX: up to 160 Latin-1 characters, lines separated by \n, wrapped by the pad. */
  async showText(text: string, options?: CallOptions): Promise<void> {
    await this.run(options, 10_000, (scope) => this.command(scope, 'DEX', [dexBlock(text)]));
  }

  waitForCard(options: WaitForCardOptions = {}): Promise<CardOutcome> {
    const entries = new Set<CardEntry>(options.entries ?? ['swipe', 'chip', 'tap']);
    return this.run<CardOutcome>(
      options,
      60_000,
      async (scope) => {
        await this.command(scope, 'DSP', [
          displayBlock(options.message ?? 'INSERT OR SWIPE', 'CARD'),
        ]);
        // Keys other than CANCEL (ENTER, CLEAR, function keys) do not end the wait: ask again.
        for (;;) {
          const cex = await this.command(
            scope,
            'CEX',
            tlvBlocks(
              cexParams({
                keys: true,
                magstripe: entries.has('swipe'),
                chip: entries.has('chip') ? 'insert' : 'ignore',
                contactless: entries.has('tap'),
              }),
            ),
            [AbecsStatus.CANCELLED, AbecsStatus.TIMEOUT],
          );
          const early = cardholderStatus(cex.status);
          if (early) return early;
          const event = tlvFromBlocks(cex.blocks).get(Pp.EVENT)?.toString('latin1');
          switch (event) {
            case CexEvent.SWIPED:
              return { outcome: 'card', card: await this.readTracks(scope) };
            case CexEvent.ICC_INSERTED:
            case CexEvent.CTLS_DETECTED:
              return this.readChip(
                scope,
                event === CexEvent.CTLS_DETECTED ? 'tap' : 'chip',
                entries.has('tap'),
              );
            case CexEvent.CANCEL:
              return { outcome: 'cancelled', by: 'cardholder' };
            case CexEvent.CTLS_TIMEOUT:
              return { outcome: 'timeout' };
            default:
              if (event !== undefined && /^0[0-8]$/.test(event)) continue;
              throw new PinpadError('PROTOCOL', `unexpected CEX event ${event ?? '(none)'}`);
          }
        }
      },
      (reason) => this.stopOutcome(reason),
    );
  }

  getPin(options: GetPinOptions): Promise<PinOutcome> {
    const key = options.key;
    if (
      key.scheme === 'mkwk' &&
      (key.algorithm !== '3des' ||
        !key.workingKeyEncrypted ||
        (key.workingKeyEncrypted.length !== 16 && key.workingKeyEncrypted.length !== 8))
    ) {
      return Promise.reject(
        new PinpadError(
          'BAD_ARGUMENT',
          'ABECS GPN needs an 8- or 16-byte 3DES working key encrypted under the master key',
        ),
      );
    }
    return this.run<PinOutcome>(
      options,
      60_000,
      async (scope) => {
        const block = encoded(() =>
          gpnBlock({
            method: key.scheme === 'mkwk' ? 1 : 3,
            keyIndex: key.scheme === 'mkwk' ? key.masterKeyIndex : key.keyIndex,
            workingKeyHex:
              key.scheme === 'mkwk'
                ? doubleLength(key.workingKeyEncrypted!).toString('hex')
                : '0'.repeat(32),
            pan: options.card.pan,
            minDigits: options.minLength ?? 4,
            maxDigits: options.maxLength ?? 12,
            message: options.message ?? 'PIN:',
          }),
        );
        const response = await this.command(
          scope,
          'GPN',
          [block],
          [AbecsStatus.CANCELLED, AbecsStatus.TIMEOUT],
        );
        const early = cardholderStatus(response.status);
        if (early) return early;
        const result = decoded('GPN', () => decodeGpnResult(firstBlock(response)));
        const out: PinOutcome = {
          outcome: 'pin',
          pinBlock: Buffer.from(result.pinBlockHex, 'hex'),
        };
        if (key.scheme === 'dukpt') out.ksn = result.ksnHex;
        return out;
      },
      (reason) => this.stopOutcome(reason),
    );
  }

  chipGoOnline(options: ChipOnlineOptions): Promise<ChipOnlineOutcome> {
    const key = options.key;
    return this.run<ChipOnlineOutcome>(
      options,
      60_000,
      async (scope) => {
        const response = await this.command(
          scope,
          'GOX',
          tlvBlocks(
            goxParams({
              transactionType: TRNTYPE_BALANCE_INQUIRY,
              acquirer: this.acquirer,
              amountCents: options.amountCents ?? 0,
              currency: options.currency ?? '156',
              method: key.scheme === 'mkwk' ? 1 : 3,
              keyIndex: key.scheme === 'mkwk' ? key.masterKeyIndex : key.keyIndex,
              ...(key.scheme === 'mkwk' && key.workingKeyEncrypted
                ? { workingKey: doubleLength(key.workingKeyEncrypted) }
                : {}),
              message: options.message ?? 'PIN:',
              tagList: encodeTagList(options.tags ?? DEFAULT_F55_TAGS),
            }),
          ),
          [AbecsStatus.CANCELLED, AbecsStatus.TIMEOUT],
        );
        const early = cardholderStatus(response.status);
        if (early) return early;
        const result = decoded('GOX', () => decodeGoxResult(response.blocks));
        if (result.result.startsWith('1')) return { outcome: 'declined-offline' };
        options.card.setEmvData(result.emvData);
        const out: ChipOnlineOutcome = { outcome: 'online', emvData: result.emvData };
        if (result.pinBlock) out.pinBlock = result.pinBlock;
        if (result.ksn && key.scheme === 'dukpt')
          out.ksn = result.ksn.toString('hex').toUpperCase();
        return out;
      },
      (reason) => this.stopOutcome(reason),
    );
  }

  async chipFinish(options: ChipFinishOptions): Promise<void> {
    await this.run(options, 20_000, (scope) =>
      this.command(
        scope,
        'FCX',
        tlvBlocks(
          fcxParams({
            outcome:
              options.hostResult === 'approved'
                ? '0'
                : options.hostResult === 'declined'
                  ? '1'
                  : '2',
            arc: options.responseCode,
            issuerData: options.issuerData ?? Buffer.alloc(0),
            tagList: encodeTagList(['95', '9B']),
          }),
        ),
      ).then((response) => decoded('FCX', () => decodeFcxResult(response.blocks))),
    );
  }

  loadKeys(options: KeyLoad): Promise<KeyLoadResult> {
    return Promise.reject(
      new PinpadError(
        'NOT_SUPPORTED',
        `ABECS cannot load ${options.algorithm} keys: master keys are injected at the factory`,
      ),
    );
  }

  computeMac(options: MacOptions): Promise<Buffer> {
    return Promise.reject(
      new PinpadError('NOT_SUPPORTED', `ABECS has no MAC command (${options.algorithm})`),
    );
  }

  // --- internals ---------------------------------------------------------------------------

  protected async restartSession(signal: AbortSignal): Promise<void> {
    await this.link.abort();
    const response = await this.link.exchange(encodeCommand('OPN'), { blocking: false, signal });
    if (response.status !== AbecsStatus.OK) throw statusError('OPN', response.status);
  }

  protected async abortDevice(): Promise<void> {
    await this.link.abort();
  }

  protected async readInfo(scope: CallScope): Promise<PinpadInfo> {
    const response = await this.command(scope, 'GIN', ginRequestBlocks());
    const gin = decoded('GIN', () => decodeGinInfo(firstBlock(response)));
    this.cachedInfo = {
      protocol: 'abecs',
      maker: gin.maker,
      model: gin.model,
      serialNumber: gin.serialNumber,
      firmware: gin.osVersion + (gin.managerVersion ? ` / ${gin.managerVersion}` : ''),
      capabilities: { ...ABECS_CAPABILITIES, contactless: gin.contactless },
    };
    return this.cachedInfo;
  }

  /** After a swipe at CEX: GTK "0010", the full track 2 (PP_TRK2INC lacks what the host checks). */
  private async readTracks(scope: CallScope): Promise<CardData> {
    const { track2 } = await this.gtk(scope, TRACK2_ONLY);
    const match = track2 ? TRACK2_PAN.exec(track2) : null;
    if (!track2 || !match) throw new PinpadError('PROTOCOL', 'track 2 missing or unreadable');
    return new CardData('swipe', { pan: match[1]!, track2 }, match[2]);
  }

  /** GTK is allowed once after CEX or GCX (§3.3.12); the pad wipes the tracks afterwards. */
  private async gtk(
    scope: CallScope,
    want: TrackRequest,
  ): Promise<{ pan?: string; track2?: string }> {
    const response = await this.command(scope, 'GTK', tlvBlocks(gtkParams(want)));
    return decoded('GTK', () => decodeGtkResult(response.blocks));
  }

  /**
   * GCX after CEX saw a chip (or a tap), then GTK "1010" once: GCX's PP_PAN is masked by our
   * SPE_PANMASK and GCX returns only the incomplete track 2 (§3.7.1, §5.4.1), so the card number
   * comes from PP_ENCPAN (chip) or PP_TRACK2 (a swipe taken by GCX), and track 2 from PP_TRACK2.
   */
  private async readChip(
    scope: CallScope,
    entry: 'chip' | 'tap',
    contactless: boolean,
  ): Promise<CardOutcome> {
    const now = new Date();
    const two = (n: number) => String(n).padStart(2, '0');
    const response = await this.command(
      scope,
      'GCX',
      tlvBlocks(
        gcxParams({
          transactionType: TRNTYPE_BALANCE_INQUIRY,
          acquirer: this.acquirer,
          amountCents: 0,
          currency: '156',
          date: two(now.getFullYear() % 100) + two(now.getMonth() + 1) + two(now.getDate()),
          time: two(now.getHours()) + two(now.getMinutes()) + two(now.getSeconds()),
          contactless: contactless || entry === 'tap',
        }),
      ),
      [AbecsStatus.CANCELLED, AbecsStatus.TIMEOUT],
    );
    const early = cardholderStatus(response.status);
    if (early) return early;
    const gcx = decoded('GCX', () => decodeGcxResult(response.blocks));
    // GCX may take a swipe (a chip card's magstripe, or a plain card): then it was a swipe.
    const kind: CardEntry = gcx.cardType === CardType.MAGNETIC ? 'swipe' : entry;
    const { pan: chipPan, track2 } = await this.gtk(scope, PAN_AND_TRACK2);
    const fromTrack = track2 ? TRACK2_PAN.exec(track2) : null;
    const pan = chipPan ?? fromTrack?.[1];
    if (!pan)
      throw new PinpadError('PROTOCOL', `GTK after GCX (card type ${gcx.cardType}) gave no PAN`);
    const secrets: { pan: string; track2?: string; panSequence?: string } = { pan };
    if (track2) secrets.track2 = track2;
    if (gcx.panSequence) secrets.panSequence = gcx.panSequence;
    const expiry = gcx.expiry?.slice(0, 4) ?? fromTrack?.[2];
    return { outcome: 'card', card: new CardData(kind, secrets, expiry) };
  }

  /**
   * One command/response. Statuses in `allowed` come back to the caller; any other non-zero
   * status becomes a typed error.
   */
  private async command(
    scope: CallScope,
    id: string,
    blocks: Buffer[],
    allowed: number[] = [],
  ): Promise<AbecsResponse> {
    const response = await this.link.exchange(encodeCommand(id, blocks), {
      blocking: BLOCKING_COMMANDS.has(id),
      signal: scope.signal,
      onNotification: (ntm) => this.notify(ntm),
    });
    if (response.id === 'ERR') throw statusError(id, response.status);
    if (response.status !== AbecsStatus.OK && !allowed.includes(response.status)) {
      throw statusError(id, response.status);
    }
    return response;
  }

  private notify(ntm: AbecsResponse): void {
    const text = Buffer.concat(ntm.blocks).toString('latin1').replace(/\s+/g, ' ').trim();
    this.emit('notification', { text });
    // Pads echo PIN digits as asterisks in the notification text.
    const stars = /\*+/.exec(text);
    if (stars || /PIN/i.test(text)) this.emit('keypress', { digits: stars ? stars[0].length : 0 });
  }
}

/**
 * GPN carries a double-length key. A single-length key K (sign-on key scheme 001) is K||K,
 * whose ECB encryption is E(K)||E(K): the encrypted half is simply repeated.
 */
function doubleLength(encrypted: Buffer): Buffer {
  return encrypted.length === 8 ? Buffer.concat([encrypted, encrypted]) : encrypted;
}

/** Track 2 as the host needs it: PAN, "=", then YYMM. */
const TRACK2_PAN = /^(\d{12,19})=(\d{4})/;

/** A pad answer the codec cannot read is a PROTOCOL error the cashier can read, not a crash. */
function decoded<T>(id: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof AbecsMessageError) {
      throw new PinpadError('PROTOCOL', {
        detail: `${id} response: ${err.message}`,
        details: { command: id },
        cause: err,
      });
    }
    throw err;
  }
}

/** A value the pad's command cannot carry (e.g. a PAN of 20 digits) is a BAD_ARGUMENT. */
function encoded<T>(encode: () => T): T {
  try {
    return encode();
  } catch (err) {
    if (err instanceof AbecsMessageError) {
      throw new PinpadError('BAD_ARGUMENT', { detail: err.message, cause: err });
    }
    throw err;
  }
}

function firstBlock(response: AbecsResponse): Buffer {
  const block = response.blocks[0];
  if (!block) throw new PinpadError('PROTOCOL', `${response.id} response without data`);
  return block;
}

function cardholderStatus(
  status: number,
): { outcome: 'cancelled'; by: 'cardholder' } | { outcome: 'timeout' } | undefined {
  if (status === AbecsStatus.CANCELLED) return { outcome: 'cancelled', by: 'cardholder' };
  if (status === AbecsStatus.TIMEOUT) return { outcome: 'timeout' };
  return undefined;
}

/**
 * A status the caller did not ask for, as a typed error with words for the cashier (§3.1.1).
 * Statuses this table does not know stay DEVICE_ERROR: never an internal error.
 */
function statusError(id: string, status: number): PinpadError {
  const code = String(status).padStart(3, '0');
  const details = { command: id, status };
  if (status === AbecsStatus.KEY_MISSING)
    return new PinpadError('KEY_MISSING', { detail: `${id} status ${code}`, details });
  if (status === AbecsStatus.PIN_BUSY)
    return new PinpadError('BUSY', {
      detail: `${id} status ${code}: PIN entry held back by the pad`,
      details,
    });
  if (status === AbecsStatus.CARD_APP_NOT_AVAILABLE) {
    // What a pad answers when no AID table record matches, e.g. with no EMV tables loaded.
    return new PinpadError('CARD_ERROR', {
      detail: `${id} status ${code}: no chip application the pad can use (EMV tables loaded?)`,
      details,
    });
  }
  if (
    status === AbecsStatus.MAGSTRIPE_ERROR ||
    status === AbecsStatus.NO_CARD ||
    (status >= AbecsStatus.DUMB_CARD && status <= AbecsStatus.CTLS_INTERFACE_CHANGE)
  ) {
    return new PinpadError('CARD_ERROR', { detail: `${id} status ${code}`, details });
  }
  return new PinpadError('DEVICE_ERROR', { detail: `${id} status ${code}`, details });
}
