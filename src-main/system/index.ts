// Node-only utilities shared by host, store, core and cli: file modes, atomic file writes and
// the operating system's failures in words.
// Imports nothing of ours but common/ (eslint.config.js). See README.md.
export * from './atomic-file';
export * from './errors';
export * from './file-modes';
