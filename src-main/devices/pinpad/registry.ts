// Every PIN pad protocol the console speaks, in one list. Adding one (a third vendor's pad, a
// card reader) is a folder beside abecs/ and cn-epp/ whose index.ts exports a PinpadDriver
// (driver.ts) and declares its id in PinpadProtocols (types.ts), plus its line in DRIVERS
// below. Everything else derives from that: the protocol ids (config schema, API), their labels
// (Devices screen, CLI), createPinpad() and protocol detection.
import type { Bilingual } from '../../contract';
import type { PortDescriptor } from '../serial/discovery';
import { withProbeLine } from '../serial/probe';
import { abecsDriver } from './abecs';
import { cnEppDriver } from './cn-epp';
import type { PinpadCommonOptions, PinpadDriver } from './driver';
import type { Pinpad, PinpadProtocol, PinpadProtocols } from './types';

/** The compiler checks that every declared protocol has its driver here, and nothing else. */
const DRIVERS = {
  abecs: abecsDriver,
  'cn-epp': cnEppDriver,
} satisfies { [P in PinpadProtocol]: PinpadDriver<P> };

/** The drivers in registration order. */
export const PINPAD_DRIVERS: readonly PinpadDriver[] = Object.values(DRIVERS);

/** The ids in registration order, as `z.enum` wants them. */
export const PINPAD_PROTOCOL_IDS = Object.keys(DRIVERS) as [PinpadProtocol, ...PinpadProtocol[]];

/** Each protocol's name in both languages. */
export const PINPAD_PROTOCOL_LABELS = Object.fromEntries(
  PINPAD_DRIVERS.map((d) => [d.id, d.labels]),
) as Readonly<Record<PinpadProtocol, Bilingual>>;

export function isPinpadProtocol(value: unknown): value is PinpadProtocol {
  return typeof value === 'string' && Object.hasOwn(DRIVERS, value);
}

export function pinpadDriver<P extends PinpadProtocol>(protocol: P): PinpadDriver<P> {
  if (!isPinpadProtocol(protocol)) throw new Error(`unknown PIN pad protocol "${protocol}"`);
  return DRIVERS[protocol] as PinpadDriver<P>;
}

/** Which driver, on which port, with that driver's own options. */
export type PinpadConfig = {
  [P in PinpadProtocol]: { protocol: P; path: string } & PinpadProtocols[P] & PinpadCommonOptions;
}[PinpadProtocol];

/** The driver for `config.protocol`, closed; `open()` it. */
export function createPinpad(config: PinpadConfig): Pinpad {
  const { protocol, path, ...options } = config;
  return (pinpadDriver(protocol) as PinpadDriver).create(path, options);
}

export interface DetectOptions {
  /** How long each question of a probe waits for its answer, ms (default 1500). */
  timeoutMs?: number;
  /** Gives up: the probe running answers "no" and no other driver is asked. */
  signal?: AbortSignal;
}

/**
 * Which protocol the pad on `port` speaks: the drivers that `supports()` the port are asked in
 * priority order, each on the port opened at its own speed; the first sure answer wins,
 * otherwise the most confident one. Undefined when none answered. Throws the binding's own
 * error when the port cannot be opened (missing, no permission, in use).
 */
export async function detectPinpadProtocol(
  port: string | PortDescriptor,
  options: DetectOptions = {},
): Promise<PinpadProtocol | undefined> {
  const info: PortDescriptor = typeof port === 'string' ? { path: port, source: 'extra' } : port;
  const probe = {
    timeoutMs: options.timeoutMs ?? 1500,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // Array.prototype.sort is stable: equal priorities keep registration order.
  const drivers = [...PINPAD_DRIVERS].sort((a, b) => b.priority - a.priority);
  let best: { protocol: PinpadProtocol; confidence: number } | undefined;
  for (const driver of drivers) {
    if (options.signal?.aborted) break;
    if (driver.supports && !driver.supports(info)) continue;
    const confidence = await withProbeLine(info.path, driver.baudRate, probe, (line) =>
      driver.probe(line),
    );
    if (confidence >= 1) return driver.id;
    if (confidence > 0 && (!best || confidence > best.confidence)) {
      best = { protocol: driver.id, confidence };
    }
  }
  return best?.protocol;
}
