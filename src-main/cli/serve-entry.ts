// `cashier serve` and `cashier start` as a bundle of their own (dist/main/cli-serve.cjs), run by
// the launcher (launch.ts) for those two words: what the browser shell needs to listen and
// serve the page, without the console, its schema library or the other commands, which come
// after from cli-bundle.cjs (commands/serve.ts).
import { exitWith, runCommand } from './command';
import { serveCommand, startCommand } from './commands/serve';

export function run(argv: string[]): void {
  const [word, ...rest] = argv.filter((a) => a !== '--debug');
  const command = word === 'start' ? startCommand : serveCommand;
  exitWith(runCommand(command, rest, argv.includes('--debug')));
}
