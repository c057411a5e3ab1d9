// Vocabulary shared by every layer and by the renderer: pure TypeScript, no `node:` modules, no
// DOM, no I/O, imports nothing outside this folder (eslint.config.js). See README.md.
export * from './call';
export * from './datetime';
export * from './errors';
export * from './inquiry';
export * from './keypad';
export * from './masking';
export * from './money';
export * from './passwords';
export * from './mac';
