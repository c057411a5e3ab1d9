// Bank host link: the API the core calls.
export * from './errors';
export * from './response-codes';
export * from './terminal-state';
export * from './key-store';
export * from './channel';
export * from './client';
export * from './cert-expiry';
