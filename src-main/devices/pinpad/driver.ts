// What a PIN pad protocol says about itself to the rest of the console, in the spirit of Odoo's
// IoT drivers: a name for the pick list, the speed to open the port at, what it can do, whether
// a port could be one of its pads and how to tell by asking, and how to make the driver. Each
// protocol folder (abecs/, cn-epp/) exports one of these; registry.ts lists them.
import type { Bilingual } from '../../contract';
import type { PortDescriptor } from '../serial/discovery';
import type { ProbeLine } from '../serial/probe';
import type { Pinpad, PinpadCapabilities, PinpadProtocol, PinpadProtocols } from './types';

/** Options every driver takes besides its path. */
export interface PinpadCommonOptions {
  /** How often the port is checked for an unplug / replug, ms. */
  pollMs?: number;
}

export interface PinpadDriver<Id extends PinpadProtocol = PinpadProtocol> {
  /** The protocol id in config.json (`pinpad.protocol`) and on the wire of the API. */
  readonly id: Id;
  /** What the Devices screen and the CLI call it. */
  readonly labels: Bilingual;
  /** Serial speed of the protocol; detection opens the port at it. */
  readonly baudRate: number;
  /** What pads of this protocol can do at most (a pad reports its own in `info()`). */
  readonly capabilities: Readonly<PinpadCapabilities>;
  /** Detection asks drivers with a higher priority first (ties: registration order). */
  readonly priority: number;
  /**
   * Whether a port could be one of this protocol's pads, from what the system says about it
   * (vendor id, maker); no I/O. Absent: any port.
   */
  supports?(port: PortDescriptor): boolean;
  /**
   * Asks the pad on `line` who it is: 1 when it answered as this protocol, 0 when it did not,
   * in between when the answer only looks like it. Must leave the pad in its idle state.
   */
  probe(line: ProbeLine): Promise<number>;
  /** A closed driver for the pad on `path`, with the protocol's own options; `open()` it. */
  create(path: string, options?: PinpadProtocols[Id] & PinpadCommonOptions): Pinpad;
}
