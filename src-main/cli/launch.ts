// Process entry for dist/main/cli.cjs (the `cashier` command): runs the command bundle beside it
// (cli-bundle.cjs, built from entry.ts) with its V8 code cache (code-cache.ts). It is CommonJS:
// Node starts a CommonJS entry faster than an ES module one (README.md, "Performance").
import path from 'node:path';
import { runCommandBundle } from './code-cache';

runCommandBundle(path.join(__dirname, 'cli-bundle.cjs'));
