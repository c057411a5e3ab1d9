// The ABECS 2.12 protocol as the registry sees it (see ../driver.ts).
import { AbecsFrameParser, CAN, encodeCommand, encodeFrame } from '../../../protocols/abecs';
import type { PinpadDriver } from '../driver';
import {
  ABECS_BAUD_RATE,
  ABECS_CAPABILITIES,
  AbecsPinpad,
  type AbecsPinpadOptions,
} from './driver';

declare module '../types' {
  interface PinpadProtocols {
    abecs: Omit<AbecsPinpadOptions, 'path'>;
  }
}

export const abecsDriver: PinpadDriver<'abecs'> = {
  id: 'abecs',
  labels: { en: 'ABECS', zh: 'ABECS' },
  baudRate: ABECS_BAUD_RATE,
  capabilities: ABECS_CAPABILITIES,
  // Asked first: its first question, CAN, must be answered with EOT in any state and leaves
  // a pad as it was.
  priority: 20,
  /** CAN must get EOT, then OPN must be ACKed. */
  async probe(line) {
    const parser = new AbecsFrameParser();
    const eot = await line.ask(Buffer.of(CAN), (c) => parser.push(c).some((e) => e.type === 'eot'));
    if (!eot) return 0;
    parser.reset();
    const ack = await line.ask(encodeFrame(encodeCommand('OPN')), (c) =>
      parser.push(c).some((e) => e.type === 'ack'),
    );
    return ack ? 1 : 0;
  },
  create: (path, options = {}) => new AbecsPinpad({ ...options, path }),
};

export { ABECS_BAUD_RATE, AbecsPinpad, DEFAULT_F55_TAGS, type AbecsPinpadOptions } from './driver';
