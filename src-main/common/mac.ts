// The host MAC algorithms an acquirer may ask for, by name (the host setting `host.macAlgorithm`):
// the UnionPay POS "ECB" MAC (the reference's default), ANSI X9.9 and ANSI X9.19.
export const HOST_MAC_ALGORITHMS = ['ecb', 'x9.9', 'x9.19'] as const;
export type HostMacAlgorithm = (typeof HOST_MAC_ALGORITHMS)[number];
