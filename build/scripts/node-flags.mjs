// The V8 flags the console's Node process starts with, in one place: the `cashier` command's
// shebang (bundle-main.mjs), `npm start` / `npm run serve` (package.json), and the benches
// (run-benches.mjs), so what is measured is what runs. The Electron main process gets the same
// as `--js-flags` (ELECTRON_FLAGS).
//
// --max-semi-space-size=2: V8 grows the young generation from 1 MB up to 2 x 16 MB semi-spaces
// under a steady allocation rate and never gives it back; that, not a leak (the heap in use
// stays flat), was the console's RSS growth over 10,000 inquiries (README.md, "Performance").
// 2 MB semi-spaces keep it at 4 MB, for a few more (cheap) scavenges.
export const NODE_FLAGS = ['--max-semi-space-size=2'];

// An Electron main process takes V8 flags only from its command line: V8 sizes the heap when it
// starts, so `v8.setFlagsFromString` in main.ts would come too late (test/unit/build/
// electron-flags.test.ts shows it changes nothing), and `app.commandLine.appendSwitch('js-flags')`
// reaches the renderers only. So the launchers pass it: the Linux desktop entry
// (electron-builder.yml, linux.executableArgs), the Windows shortcuts (build/installer.nsh) and
// `cashier start` (src-main/cli/commands/serve.ts); the test checks all three against this.
export const ELECTRON_FLAGS = [`--js-flags=${NODE_FLAGS.join(' ')}`];
