// The PIN pad protocols the console speaks (devices/pinpad, protocols/abecs, protocols/cn-epp).

export const PINPAD_PROTOCOLS = ['abecs', 'cn-epp'] as const;
export type PinpadProtocol = (typeof PINPAD_PROTOCOLS)[number];

export function isPinpadProtocol(value: unknown): value is PinpadProtocol {
  return typeof value === 'string' && (PINPAD_PROTOCOLS as readonly string[]).includes(value);
}
