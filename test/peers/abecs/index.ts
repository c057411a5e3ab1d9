// Clean-room ABECS 2.12 peer (see README.md): device side, terminal side, codec and helpers.
export * from './codec.js';
export * from './crypto.js';
export * from './device.js';
export * from './ids.js';
export * from './secure.js';
export * from './socat.js';
export * from './terminal.js';
export * from './tracks.js';
