// startPinpadEmulator: the one entry point for the training mode, the CLI and the tests.
// Shaped like every simulator (../simulator.ts): it resolves once the emulator is on its port,
// and the emulator is { address, faults, close() } plus the cardholder's controls.
import { createMemoryCablePair, type Cable } from '../../devices/serial/cable';
import type { PinpadProtocol } from '../../devices/pinpad';
import { AbecsEmulator } from './abecs-emulator';
import type { CardAction, EmulatorFaults, EmulatorOptionsBase } from './base';
import { CnEppEmulator } from './cn-epp-emulator';
import {
  DEFAULT_CARDS,
  TRAINING_MASTER_KEY_HEX,
  parseCards,
  type EmulatorCardInput,
} from './training';

/**
 * The device side of every protocol in the PIN pad registry (devices/pinpad/registry.ts), so
 * training mode can run whichever one is configured. A new protocol needs its emulator here.
 */
const EMULATORS = {
  abecs: (options) => new AbecsEmulator(options),
  'cn-epp': (options) => new CnEppEmulator(options),
} satisfies Record<PinpadProtocol, (options: EmulatorOptionsBase) => unknown>;

export type PinpadEmulator = ReturnType<(typeof EMULATORS)[PinpadProtocol]>;

export interface StartPinpadEmulatorOptions {
  protocol: PinpadProtocol;
  /** The device end of the serial link (e.g. a socat pty link). */
  path: string;
  /** Lets unplug() pull the whole cable (both ends vanish), as with a USB cable: a socat pty
   *  pair (the tests' createPtyPair) or an in-memory cable (createMemoryCablePair). */
  cable?: Cable;
  /** Typed at every PIN prompt, then ENTER. Interactive when absent. */
  pin?: string;
  /** Master keys by slot as hex; default: the training master key in slots 0 and 1. */
  masterKeys?: Record<number, string>;
  /** Default: DEFAULT_CARDS (the host simulator's training cards). */
  cards?: EmulatorCardInput[];
  /** Presented automatically at every card prompt (by id; action defaults to the card's first kind). */
  autoCard?: string | { id: string; action: CardAction };
  faults?: EmulatorFaults;
  keyIntervalMs?: number;
  /** The serial number the pad reports (default EMU0000000000001 / EPP0000000000001). */
  serialNumber?: string;
}

async function start(
  options: StartPinpadEmulatorOptions,
  ownsCable: boolean,
): Promise<PinpadEmulator> {
  if (options.pin !== undefined && !/^\d{4,12}$/.test(options.pin))
    throw new Error('--pin must be 4-12 digits');
  const cards = parseCards(options.cards ?? DEFAULT_CARDS);
  const masterKeys = new Map<number, Buffer>();
  const source = options.masterKeys ?? { 0: TRAINING_MASTER_KEY_HEX, 1: TRAINING_MASTER_KEY_HEX };
  for (const [slot, hex] of Object.entries(source)) {
    if (!/^([0-9A-Fa-f]{16}){1,3}$/.test(hex) || !/^\d{1,2}$/.test(slot))
      throw new Error(`bad master key ${slot}`);
    masterKeys.set(Number(slot), Buffer.from(hex, 'hex'));
  }
  let autoCard: { id: string; action: CardAction } | undefined;
  if (typeof options.autoCard === 'string') {
    const card = cards.find((c) => c.id === options.autoCard);
    if (!card) throw new Error(`no card "${options.autoCard}"`);
    const kind = card.kinds[0]!;
    autoCard = {
      id: card.id,
      action: kind === 'magstripe' ? 'swipe' : kind === 'chip' ? 'insert' : 'tap',
    };
  } else if (options.autoCard) {
    autoCard = options.autoCard;
  }
  const emulator = EMULATORS[options.protocol]({
    path: options.path,
    cards,
    masterKeys,
    ...(options.cable ? { cable: options.cable, ownsCable } : {}),
    ...(options.pin ? { pin: options.pin } : {}),
    ...(autoCard ? { autoCard } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.keyIntervalMs !== undefined ? { keyIntervalMs: options.keyIntervalMs } : {}),
    ...(options.serialNumber !== undefined ? { serialNumber: options.serialNumber } : {}),
  });
  await emulator.open();
  return emulator;
}

/** An emulator on `path`; `close()` it (a cable given in the options stays the caller's). */
export function startPinpadEmulator(options: StartPinpadEmulatorOptions): Promise<PinpadEmulator> {
  return start(options, false);
}

let trainingCount = 0;

/**
 * Training mode: an emulator at the far end of a new in-memory cable (no socat, no hardware,
 * any PC). The driver opens `address.hostPath`; `close()` removes the cable too. Interactive
 * unless `pin` / `autoCard` are given; the UI drives it with pressKey(), swipeCard(),
 * insertCard(), tapCard() and listens to 'display', 'prompt', 'pinProgress'.
 */
export async function startTrainingPinpad(
  options: Omit<StartPinpadEmulatorOptions, 'path' | 'cable'> & { name?: string },
): Promise<PinpadEmulator & { readonly address: { hostPath: string } }> {
  const { name, ...rest } = options;
  const cable = createMemoryCablePair(name ?? `training-pinpad-${process.pid}-${++trainingCount}`);
  try {
    const emulator = await start({ ...rest, path: cable.devicePath, cable }, true);
    return emulator as PinpadEmulator & { readonly address: { hostPath: string } };
  } catch (err) {
    await cable.close();
    throw err;
  }
}
