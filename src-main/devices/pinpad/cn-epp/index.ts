// The Chinese ZT598-family EPP as the registry sees it (see ../driver.ts).
import { EppCommand, EppFrameParser, encodeEppFrame } from '../../../protocols/cn-epp';
import type { PinpadDriver } from '../driver';
import {
  CN_EPP_BAUD_RATE,
  CN_EPP_CAPABILITIES,
  CnEppPinpad,
  type CnEppPinpadOptions,
} from './driver';

declare module '../types' {
  interface PinpadProtocols {
    'cn-epp': Omit<CnEppPinpadOptions, 'path'>;
  }
}

export const cnEppDriver: PinpadDriver<'cn-epp'> = {
  id: 'cn-epp',
  labels: { en: 'Chinese EPP (ZT598)', zh: '国密 EPP（ZT598）' },
  baudRate: CN_EPP_BAUD_RATE,
  capabilities: CN_EPP_CAPABILITIES,
  priority: 10,
  /** The status command (30h) must get a well-formed answer frame. */
  async probe(line) {
    const parser = new EppFrameParser();
    const answered = await line.ask(encodeEppFrame(EppCommand.STATUS), (c) =>
      parser.push(c).some((e) => e.type === 'frame'),
    );
    return answered ? 1 : 0;
  },
  create: (path, options = {}) => new CnEppPinpad({ ...options, path }),
};

export { CN_EPP_BAUD_RATE, CnEppPinpad, type CnEppPinpadOptions } from './driver';
export {
  EppKeyStore,
  DEFAULT_EPP_KEY_SLOTS,
  type EppKeySlots,
  type EppWorkingKeyBundle,
} from './key-store';
