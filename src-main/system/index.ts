// Node-only utilities shared by host, store, core and cli: file modes and atomic file writes.
// Imports nothing of ours but common/ (eslint.config.js). See README.md.
export * from './atomic-file';
export * from './file-modes';
