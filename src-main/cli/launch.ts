// Process entry for dist/main/cli.cjs (the `cashier` command): runs a command bundle beside it
// with its V8 code cache (code-cache.ts): cli-serve.cjs for `serve` and `start`, the console's
// own start, which loads cli-bundle.cjs once it listens; cli-bundle.cjs for every other command.
// It is CommonJS: Node starts a CommonJS entry faster than an ES module one (README.md,
// "Performance").
import path from 'node:path';
import { runCommandBundle } from './code-cache';

const argv = process.argv.slice(2);
const bundle = ['serve', 'start'].includes(argv.find((a) => a !== '--debug') ?? '')
  ? 'cli-serve.cjs'
  : 'cli-bundle.cjs';
(runCommandBundle(path.join(__dirname, bundle)) as { run(argv: string[]): void }).run(argv);
