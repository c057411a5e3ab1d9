// Types for node-flags.mjs (imported by the benches, the tests and the CLI).
export declare const NODE_FLAGS: string[];
export declare const ELECTRON_FLAGS: string[];
