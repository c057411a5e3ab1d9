// PIN pad emulators (ABECS, Chinese EPP): training mode, the tests and `cashier pinpad-sim`.
export {
  startPinpadEmulator,
  startTrainingPinpad,
  type PinpadEmulator,
  type StartPinpadEmulatorOptions,
} from './emulators';
export { AbecsEmulator, ABECS_EMULATOR_INFO } from './abecs-emulator';
export { CnEppEmulator, CN_EPP_EMULATOR_STATUS } from './cn-epp-emulator';
export { applyPinpadControl, PINPAD_CONTROL_HELP } from './control';
export type { CardAction, EmulatorEvents, EmulatorFaults, EmulatorKey } from './base';
export { EMULATOR_SERIAL_PATTERN } from './base';
export {
  DEFAULT_CARDS,
  TRAINING_MASTER_KEY_HEX,
  TRAINING_MASTER_KEY_INDEX,
  loadCardsFile,
  parseCards,
  type EmulatorCard,
  type EmulatorCardInput,
} from './training';
