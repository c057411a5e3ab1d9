export * from './account';
export * from './client';
export * from './errors';
export {
  WALLET_HEADERS,
  WALLET_MAX_SKEW_MS,
  bodyDigest,
  requestCanonicalText,
  responseCanonicalText,
  signRequest,
  signResponse,
  sm3Available,
  type WalletSignAlgorithm,
} from './signing';
export { normalizeFingerprint, type TlsTrust } from './transport';
export * from './log-fields';
export * from './settings';
export * from './types';
