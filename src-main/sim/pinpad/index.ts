// startPinpadEmulator: the one entry point for the training mode, the CLI and the tests.
import { createMemoryCablePair, type Cable } from '../../devices/serial/cable';
import { AbecsEmulator } from './abecs-emulator';
import type { CardAction, EmulatorFaults } from './base';
import { CnEppEmulator } from './cn-epp-emulator';
import {
  DEFAULT_CARDS,
  TRAINING_MASTER_KEY_HEX,
  parseCards,
  type EmulatorCardInput,
} from './training';

export type PinpadEmulator = AbecsEmulator | CnEppEmulator;

export interface StartPinpadEmulatorOptions {
  protocol: 'abecs' | 'cn-epp';
  /** The device end of the serial link (e.g. a socat pty link). */
  path: string;
  /** Lets unplug() pull the whole cable (both ends vanish), as with a USB cable: a socat pty
   *  pair (createPtyPair) or an in-memory cable (createMemoryCablePair, training mode). */
  cable?: Cable;
  /** Same as `cable` (a PtyPair is a Cable). */
  pty?: Cable;
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
}

export async function startPinpadEmulator(
  options: StartPinpadEmulatorOptions,
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
  const base = {
    path: options.path,
    cards,
    masterKeys,
    ...((options.cable ?? options.pty) ? { cable: (options.cable ?? options.pty)! } : {}),
    ...(options.pin ? { pin: options.pin } : {}),
    ...(autoCard ? { autoCard } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.keyIntervalMs !== undefined ? { keyIntervalMs: options.keyIntervalMs } : {}),
  };
  const emulator = options.protocol === 'abecs' ? new AbecsEmulator(base) : new CnEppEmulator(base);
  await emulator.start();
  return emulator;
}

export interface TrainingPinpad {
  /** Give this to createPinpad({ protocol, path: hostPath }). */
  hostPath: string;
  emulator: PinpadEmulator;
  cable: Cable;
  close(): Promise<void>;
}

let trainingCount = 0;

/**
 * Training mode: an emulator at the far end of an in-memory cable (no socat, no hardware, any
 * PC). Interactive unless `pin` / `autoCard` are given; the UI drives it with pressKey(),
 * swipeCard(), insertCard(), tapCard() and listens to 'display', 'prompt', 'pinProgress'.
 */
export async function startTrainingPinpad(
  options: Omit<StartPinpadEmulatorOptions, 'path' | 'cable' | 'pty'> & { name?: string },
): Promise<TrainingPinpad> {
  const { name, ...rest } = options;
  const cable = createMemoryCablePair(name ?? `training-pinpad-${process.pid}-${++trainingCount}`);
  try {
    const emulator = await startPinpadEmulator({ ...rest, path: cable.devicePath, cable });
    return {
      hostPath: cable.hostPath,
      emulator,
      cable,
      async close() {
        await emulator.stop();
        await cable.close();
      },
    };
  } catch (err) {
    await cable.close();
    throw err;
  }
}

export { AbecsEmulator, ABECS_EMULATOR_INFO } from './abecs-emulator';
export { CnEppEmulator, CN_EPP_EMULATOR_STATUS } from './cn-epp-emulator';
export { applyPinpadControl, PINPAD_CONTROL_HELP } from './control';
export type { CardAction, EmulatorEvents, EmulatorFaults, EmulatorKey } from './base';
export {
  DEFAULT_CARDS,
  TRAINING_MASTER_KEY_HEX,
  TRAINING_MASTER_KEY_INDEX,
  loadCardsFile,
  parseCards,
  type EmulatorCard,
  type EmulatorCardInput,
} from './training';
