// Clean-room peer for the UnionPay-style POS ISO 8583 bank host link: both sides.
export { startPeerBankHost } from './host.js';
export type {
  PeerBankHost,
  PeerBankHostOptions,
  PeerExchange,
  PeerExchangeMessage,
  PeerHostCard,
} from './host.js';
export { PeerPosTerminal } from './terminal.js';
export type { PeerBalanceResult, PeerCard, PeerPosTerminalOptions } from './terminal.js';
