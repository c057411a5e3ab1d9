// Everything the Electron main process needs from the plain-Node side, in one module. The
// build bundles it on its own (dist/main/electron-core.cjs), so the shell bundle stays small:
// only Electron wiring, which is what the security scan must read.
export { CashierError } from '../../common';
export { apiEventNames, apiMethodNames } from '../../contract';
export { CashierCore, type Session } from '../../core/cashier-core';
export { ConfigError } from '../../core/config';
export { defaultDataDir } from '../../core/data-dir';
export type { FileKeyProtection } from '../../host';
