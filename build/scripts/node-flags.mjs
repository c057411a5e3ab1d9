// The V8 flags the console's Node process starts with, in one place: the `cashier` command's
// shebang (bundle-main.mjs), `npm start` / `npm run serve` (package.json), and the benches
// (run-benches.mjs), so what is measured is what runs.
//
// --max-semi-space-size=2: V8 grows the young generation from 1 MB up to 2 x 16 MB semi-spaces
// under a steady allocation rate and never gives it back; that, not a leak (the heap in use
// stays flat), was the console's RSS growth over 10,000 inquiries (README.md, "Performance").
// 2 MB semi-spaces keep it at 4 MB, for a few more (cheap) scavenges.
export const NODE_FLAGS = ['--max-semi-space-size=2'];
