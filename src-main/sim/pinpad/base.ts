// What both emulators share: the serial end, the fault plan, the cardholder (keys, cards, the
// automatic PIN), the interactive controls the training UI drives, and unplug / replug. An
// emulator is shaped like every simulator (../simulator.ts): { address, faults, close() }.
import { EventEmitter } from 'node:events';
import type { KeypadKey } from '../../common';
import { SerialLink } from '../../devices/serial/link';
import type { Cable } from '../../devices/serial/cable';
import { FaultPlan, type FaultControl, type SerialAddress, type Simulator } from '../simulator';
import type { EmulatorCard } from './training';

export type EmulatorKey = KeypadKey;
export type CardAction = 'swipe' | 'insert' | 'tap';

export interface EmulatorFaults {
  /** Damage the check (CRC / LRC) of the next N frames the pad sends. */
  corruptCheck?: number;
  /** Ignore the next N command frames completely (ABECS: no ACK; EPP: no answer). */
  noAck?: number;
  /** Acknowledge but never answer the next N commands (ABECS; the EPP just stays silent). */
  noResponse?: number;
  /** Delay between bytes the pad sends, in ms. */
  slowBytesMs?: number;
  /** Unplug when this command arrives (ABECS id like 'GPN', EPP code like '37'), after its ACK. */
  unplugOn?: string;
  /** At the next card or PIN prompt the cardholder presses CANCEL. */
  cardholderCancel?: boolean;
  /** The cardholder never acts: card and PIN prompts end with the pad's timeout. */
  timeout?: boolean;
  /** How long a cardholder prompt waits before the pad gives up (ABECS answers 012). */
  promptTimeoutMs?: number;
}

export interface EmulatorEvents {
  /** What the pad's own display shows. */
  display: [{ lines: [string, string] }];
  /** What the pad is waiting for from the cardholder. */
  prompt: [{ kind: 'card' | 'pin' | 'none' }];
  /** Digits typed so far at the PIN prompt. */
  pinProgress: [{ digits: number }];
  /** A command arrived (name only; never data). */
  command: [{ name: string }];
  plugged: [{ plugged: boolean }];
  /** Link-level happenings, for tests and the training UI's "what the wire did" view. */
  link: [
    { kind: 'nak-sent' | 'nak-received' | 'can-received' | 'resent' | 'frame-error' | 'ignored' },
  ];
}

export interface EmulatorOptionsBase {
  path: string;
  /** When given, unplug() pulls this cable (socat pair or memory cable: both ends vanish). */
  cable?: Cable;
  /** The emulator made the cable (training): close() closes it too. */
  ownsCable?: boolean;
  /** Typed at every PIN prompt (then ENTER); interactive when absent. */
  pin?: string;
  /** Presented automatically at every card prompt; interactive when absent. */
  autoCard?: { id: string; action: CardAction };
  cards: EmulatorCard[];
  /** Master keys by slot, clear (training only). */
  masterKeys: Map<number, Buffer>;
  faults?: EmulatorFaults;
  /** Pause between automatic key presses, ms (default 20). */
  keyIntervalMs?: number;
  /** The serial number the pad reports (default: the emulator's own), e.g. to play another pad. */
  serialNumber?: string;
}

/** A serial number the emulated pads can report: 1-20 letters, digits or dashes (ABECS GIN
 *  has 20 characters for it). */
export const EMULATOR_SERIAL_PATTERN = /^[0-9A-Za-z-]{1,20}$/;

export function checkedSerialNumber(serial: string): string {
  if (!EMULATOR_SERIAL_PATTERN.test(serial)) {
    throw new Error(`serial number must be 1-20 letters, digits or dashes: "${serial}"`);
  }
  return serial;
}

type Waiter = { kind: 'card' | 'pin'; wake: () => void };

export abstract class EmulatorBase
  extends EventEmitter<EmulatorEvents>
  implements Simulator<EmulatorFaults, SerialAddress>
{
  readonly path: string;
  readonly faults: FaultControl<EmulatorFaults>;
  /** The same plan as `faults`, with what the emulator uses up recorded on it. */
  private readonly plan: FaultPlan<EmulatorFaults>;
  protected readonly cards: Map<string, EmulatorCard>;
  protected readonly masterKeys: Map<number, Buffer>;
  protected link: SerialLink;
  protected lines: [string, string] = ['', ''];
  /** Card the cardholder presented and how, until a command consumes it. */
  protected presented: { card: EmulatorCard; action: CardAction } | undefined;
  /** Keys pressed and not yet consumed by a prompt. */
  protected keys: EmulatorKey[] = [];
  private waiter: Waiter | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly cable: Cable | undefined;
  private readonly ownsCable: boolean;
  private readonly autoPin: string | undefined;
  private readonly autoCard: EmulatorOptionsBase['autoCard'];
  private readonly keyIntervalMs: number;
  private stopped = false;
  private readonly baudRate: number;
  /** Reported by the pad's info answer; undefined: the emulator's default. */
  protected serialNumber: string | undefined;

  constructor(options: EmulatorOptionsBase, baudRate: number) {
    super();
    this.baudRate = baudRate;
    this.path = options.path;
    this.cable = options.cable;
    this.ownsCable = options.ownsCable ?? false;
    this.cards = new Map(options.cards.map((c) => [c.id, c]));
    this.masterKeys = new Map(options.masterKeys);
    this.plan = new FaultPlan(options.faults);
    this.faults = this.plan;
    this.autoPin = options.pin;
    this.autoCard = options.autoCard;
    this.keyIntervalMs = options.keyIntervalMs ?? 20;
    this.serialNumber =
      options.serialNumber === undefined ? undefined : checkedSerialNumber(options.serialNumber);
    if (options.autoCard && !this.cards.has(options.autoCard.id))
      throw new Error(`no card "${options.autoCard.id}"`);
    this.link = new SerialLink({ path: options.path, baudRate, reopen: false });
    this.link.on('data', (chunk) => this.onBytes(chunk));
  }

  get address(): SerialAddress {
    return this.cable
      ? { kind: 'serial', path: this.path, hostPath: this.cable.hostPath }
      : { kind: 'serial', path: this.path };
  }

  /** Opens the serial end; startPinpadEmulator() does this. */
  async open(): Promise<void> {
    await this.link.open();
    this.emit('plugged', { plugged: true });
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.abortPrompt();
    await this.writing.catch(() => undefined);
    await this.link.close();
    if (this.ownsCable) await this.cable?.close();
  }

  // --- interactive controls (training UI) ----------------------------------------------------

  get display(): [string, string] {
    return [...this.lines];
  }

  get plugged(): boolean {
    return this.link.isOpen;
  }

  /** Card ids with masked numbers, for pick lists (never the full PAN). */
  get cardList(): Array<{
    id: string;
    kinds: EmulatorCard['kinds'];
    maskedPan: string;
    label: string;
  }> {
    return [...this.cards.values()].map((c) => ({
      id: c.id,
      kinds: c.kinds,
      maskedPan: c.pan.slice(0, 6) + '*'.repeat(c.pan.length - 10) + c.pan.slice(-4),
      label: c.label,
    }));
  }

  pressKey(key: EmulatorKey): void {
    this.keys.push(key);
    this.poke();
  }

  /** The cardholder swipes, inserts or taps a configured card. */
  presentCard(cardId: string, action: CardAction): void {
    const card = this.cards.get(cardId);
    if (!card) throw new Error(`no card "${cardId}"`);
    const needs = action === 'swipe' ? 'magstripe' : action === 'insert' ? 'chip' : 'contactless';
    if (!card.kinds.includes(needs)) throw new Error(`card "${cardId}" cannot ${action}`);
    this.presented = { card, action };
    this.poke();
  }

  insertCard(cardId: string): void {
    this.presentCard(cardId, 'insert');
  }

  swipeCard(cardId: string): void {
    this.presentCard(cardId, 'swipe');
  }

  tapCard(cardId: string): void {
    this.presentCard(cardId, 'tap');
  }

  removeCard(): void {
    this.presented = undefined;
    this.poke();
  }

  /** Pulls the cable: with a cable both ends vanish; otherwise the pad just goes silent. */
  async unplug(): Promise<void> {
    this.abortPrompt();
    await this.link.close();
    if (this.cable) await this.cable.unplug();
    this.emit('plugged', { plugged: false });
  }

  /** Another pad takes this one's place: the cable is pulled, and the pad plugged in reports
   *  `serialNumber` (the trusted-device check must notice). */
  async replace(serialNumber: string): Promise<void> {
    const serial = checkedSerialNumber(serialNumber);
    await this.unplug();
    this.serialNumber = serial;
    await this.replug();
  }

  async replug(): Promise<void> {
    if (this.cable) await this.cable.replug();
    this.link = new SerialLink({ path: this.path, baudRate: this.baudRate, reopen: false });
    this.link.on('data', (chunk) => this.onBytes(chunk));
    await this.link.open();
    this.resetProtocol();
    this.emit('plugged', { plugged: true });
  }

  // --- for the protocol subclasses ------------------------------------------------------------

  protected abstract onBytes(chunk: Buffer): void;
  protected abstract resetProtocol(): void;

  protected setDisplay(line1: string, line2: string): void {
    this.lines = [line1, line2];
    this.emit('display', { lines: this.display });
  }

  /** Writes bytes, honouring the slow-bytes fault; writes never interleave. */
  protected send(bytes: Buffer): Promise<void> {
    const delay = this.plan.active.slowBytesMs ?? 0;
    const job = this.writing.then(async () => {
      if (!this.link.isOpen) return;
      if (delay <= 0) {
        await this.link.write(bytes).catch(() => undefined);
        return;
      }
      for (const b of bytes) {
        if (!this.link.isOpen) return;
        await this.link.write(Buffer.of(b)).catch(() => undefined);
        await this.link.drain();
        await new Promise((r) => setTimeout(r, delay));
      }
    });
    this.writing = job.catch(() => undefined);
    return job;
  }

  /** Consumes one from a fault counter; true when the fault applies now. */
  protected takeFault(name: 'corruptCheck' | 'noAck' | 'noResponse'): boolean {
    const left = this.plan.active[name] ?? 0;
    if (left <= 0) return false;
    this.plan.record({ [name]: left > 1 ? left - 1 : undefined });
    return true;
  }

  /** Unplug-on-command fault; true when the command must not be answered. */
  protected unplugIfAsked(name: string): boolean {
    if (this.plan.active.unplugOn !== name) return false;
    this.plan.record({ unplugOn: undefined });
    void this.unplug();
    return true;
  }

  /** Aborts a pending prompt (CAN, new command, unplug): its waiter resolves as 'aborted'. */
  protected abortPrompt(): void {
    this.promptGeneration++;
    const w = this.waiter;
    this.waiter = undefined;
    w?.wake();
    this.emit('prompt', { kind: 'none' });
  }

  protected promptGeneration = 0;

  /**
   * Waits for a card the predicate accepts, a cancel key, or the prompt timeout.
   * 'aborted' when a newer command or CAN took over.
   */
  protected async waitCard(
    accept: (p: { card: EmulatorCard; action: CardAction }) => boolean,
    timeoutMs: number,
    acceptKeys: boolean,
    /** Which presentations this prompt uses up: a swipe always; a tap once the card is read (GCX). */
    consumes: ReadonlySet<CardAction> = new Set(['swipe']),
  ): Promise<
    | { kind: 'card'; card: EmulatorCard; action: CardAction }
    | { kind: 'key'; key: EmulatorKey }
    | { kind: 'timeout' }
    | { kind: 'aborted' }
  > {
    const generation = ++this.promptGeneration;
    this.keys = [];
    this.emit('prompt', { kind: 'card' });
    if (this.plan.active.cardholderCancel) {
      this.plan.record({ cardholderCancel: undefined });
      setTimeout(() => this.pressKey('cancel'), this.keyIntervalMs);
    } else if (!this.plan.active.timeout && this.autoCard && !this.presented) {
      const auto = this.autoCard;
      setTimeout(() => {
        if (generation === this.promptGeneration) this.presentCard(auto.id, auto.action);
      }, this.keyIntervalMs);
    }
    const deadline = Date.now() + this.promptWait(timeoutMs);
    for (;;) {
      if (generation !== this.promptGeneration || this.stopped) return { kind: 'aborted' };
      if (this.presented && accept(this.presented)) {
        const p = this.presented;
        // A swipe is a single event; a tapped card stays in the field until it is read; an
        // inserted chip stays until removed.
        if (consumes.has(p.action)) this.presented = undefined;
        this.emit('prompt', { kind: 'none' });
        return { kind: 'card', ...p };
      }
      const key = this.keys.shift();
      // Card prompts report only ENTER / CLEAR / CANCEL; digits mean nothing there.
      if (key === 'cancel' || (acceptKeys && (key === 'enter' || key === 'clear'))) {
        this.emit('prompt', { kind: 'none' });
        return { kind: 'key', key };
      }
      if (key !== undefined) continue; // ignored key: look at the next one before sleeping
      const left = deadline - Date.now();
      if (left <= 0) {
        this.emit('prompt', { kind: 'none' });
        return { kind: 'timeout' };
      }
      await this.sleepUntilPoke('card', left);
    }
  }

  /**
   * PIN entry: digits until ENTER with a length in [min, max]; CLEAR erases. `echo` runs after
   * each change. The automatic PIN (--pin) is typed here when configured.
   */
  protected async collectPin(
    min: number,
    max: number,
    timeoutMs: number,
    echo: (digits: number) => void,
  ): Promise<
    { kind: 'pin'; pin: string } | { kind: 'cancel' } | { kind: 'timeout' } | { kind: 'aborted' }
  > {
    const generation = ++this.promptGeneration;
    this.keys = [];
    this.emit('prompt', { kind: 'pin' });
    if (this.plan.active.cardholderCancel) {
      this.plan.record({ cardholderCancel: undefined });
      void this.typeKeys(['cancel'], generation);
    } else if (!this.plan.active.timeout && this.autoPin) {
      void this.typeKeys([...(this.autoPin.split('') as EmulatorKey[]), 'enter'], generation);
    }
    let pin = '';
    let deadline = Date.now() + this.promptWait(timeoutMs);
    for (;;) {
      if (generation !== this.promptGeneration || this.stopped) return { kind: 'aborted' };
      const key = this.keys.shift();
      if (key !== undefined) {
        deadline = Date.now() + this.promptWait(timeoutMs);
        if (key === 'cancel') {
          this.emit('prompt', { kind: 'none' });
          return { kind: 'cancel' };
        }
        if (key === 'enter') {
          if (pin.length >= min && pin.length <= max) {
            this.emit('prompt', { kind: 'none' });
            return { kind: 'pin', pin };
          }
          continue;
        }
        if (key === 'clear') pin = '';
        else if (pin.length < max) pin += key;
        this.emit('pinProgress', { digits: pin.length });
        echo(pin.length);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.emit('prompt', { kind: 'none' });
        return { kind: 'timeout' };
      }
      await this.sleepUntilPoke('pin', left);
    }
  }

  /** How long a cardholder prompt waits: the pad's own limit, or the timeout fault's. */
  private promptWait(timeoutMs: number): number {
    const f = this.plan.active;
    return f.timeout ? (f.promptTimeoutMs ?? 60_000) : timeoutMs;
  }

  private async typeKeys(keys: EmulatorKey[], generation: number): Promise<void> {
    for (const key of keys) {
      await new Promise((r) => setTimeout(r, this.keyIntervalMs));
      if (generation !== this.promptGeneration) return;
      this.pressKey(key);
    }
  }

  private sleepUntilPoke(kind: 'card' | 'pin', ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        if (this.waiter === waiter) this.waiter = undefined;
        resolve();
      };
      const waiter: Waiter = { kind, wake: done };
      this.waiter = waiter;
    });
  }

  private poke(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.wake();
  }
}
