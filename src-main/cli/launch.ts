// Process entry for dist/main/cli.mjs (the `cashier` command): runs the command bundle beside it
// (cli-bundle.cjs, built from entry.ts) with its V8 code cache (code-cache.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommandBundle } from './code-cache';

runCommandBundle(path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli-bundle.cjs'));
