// The clean-room EPP peer: device side, terminal side, codec, crypto and test helpers.
export { startPeerEpp } from './device.js';
export type {
  EppAlgorithm,
  LoadedKey,
  PeerEpp,
  PeerEppOptions,
  WorkingKeyUsage,
} from './device.js';
export { PeerEppError, PeerEppTerminal } from './terminal.js';
export { openPtyPair, RawPort } from './pty.js';
export type { PtyPair } from './pty.js';
export * from './codec.js';
export * from './crypto.js';
