// The `cashier` command's bundle (dist/main/cli-bundle.cjs), run by the launcher (launch.ts):
// every command; and, for the first half of `cashier serve` and `start` (cli-serve.cjs, built
// from serve-entry.ts), the opening of the console itself.
import { exitWith } from './command';
import { main } from './index';

export { runServedConsole } from './serve-console';

export function run(argv: string[]): void {
  exitWith(main(argv));
}
