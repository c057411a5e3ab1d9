// PIN pad drivers behind one interface: createPinpad() is what the core calls.
import { AbecsPinpad, type AbecsPinpadOptions } from './abecs/driver';
import { CnEppPinpad, type CnEppPinpadOptions } from './cn-epp/driver';
import type { Pinpad, PinpadProtocol } from './types';

export type PinpadConfig =
  ({ protocol: 'abecs' } & AbecsPinpadOptions) | ({ protocol: 'cn-epp' } & CnEppPinpadOptions);

export function createPinpad(config: PinpadConfig): Pinpad {
  return config.protocol === 'abecs' ? new AbecsPinpad(config) : new CnEppPinpad(config);
}

export const PINPAD_PROTOCOLS: readonly PinpadProtocol[] = ['abecs', 'cn-epp'];

export * from './types';
export * from './errors';
export { CardData, maskPan, type CardEntry, type CardSecrets } from './card';
export { AbecsPinpad, DEFAULT_F55_TAGS, type AbecsPinpadOptions } from './abecs/driver';
export { CnEppPinpad, type CnEppPinpadOptions } from './cn-epp/driver';
export {
  EppKeyStore,
  DEFAULT_EPP_KEY_SLOTS,
  type EppKeySlots,
  type EppWorkingKeyBundle,
} from './cn-epp/key-store';
export { PinpadFinder, type FoundPinpad, type PinpadFinderOptions } from './finder';
