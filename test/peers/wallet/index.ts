// Clean-room peer for the wallet host protocol v1 (src-main/host/wallet/PROTOCOL.md).
export {
  startPeerWalletHost,
  WALLET_TIMING,
  type PeerWalletAccount,
  type PeerWalletHost,
  type PeerWalletHostOptions,
  type PeerWalletRequestRecord,
  type PeerWalletTerminal,
} from './host.js';
export {
  PeerWalletClient,
  PeerWalletError,
  type PeerWalletClientOptions,
  type PeerWalletErrorCode,
  type PeerWalletResult,
  type RawOverrides,
  type RawReply,
} from './client.js';
export * from './protocol.js';
