// The `cashier` command as a library (dist/main/cli-lib.mjs), for the Electron shell's
// `收银台 --cli ...`: key commands then run with the operating system's key sealing.
export { main } from './index';
export { useKeyProtection } from './commands/keys';
