// PIN pad drivers behind one interface: createPinpad() is what the core calls; the registry
// (registry.ts) lists the protocols and derives everything protocol-specific from that list.
export {
  PINPAD_DRIVERS,
  PINPAD_PROTOCOL_IDS,
  PINPAD_PROTOCOL_LABELS,
  createPinpad,
  detectPinpadProtocol,
  isPinpadProtocol,
  pinpadDriver,
  type DetectOptions,
  type PinpadConfig,
} from './registry';
export type { PinpadCommonOptions, PinpadDriver } from './driver';
export * from './types';
export * from './errors';
export { CardData, type CardEntry, type CardSecrets } from './card';
export { AbecsPinpad, DEFAULT_F55_TAGS, abecsDriver, type AbecsPinpadOptions } from './abecs';
export {
  CnEppPinpad,
  cnEppDriver,
  EppKeyStore,
  DEFAULT_EPP_KEY_SLOTS,
  type CnEppPinpadOptions,
  type EppKeySlots,
  type EppWorkingKeyBundle,
} from './cn-epp';
