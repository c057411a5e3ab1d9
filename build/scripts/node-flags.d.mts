// Types for node-flags.mjs (imported by the benches).
export declare const NODE_FLAGS: string[];
