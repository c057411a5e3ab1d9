// The `cashier` command: dispatches to one subcommand per file in commands/.
import { commandHelp, type CliCommand } from './command';
import { serveCommand, startCommand } from './commands/serve';
import { printSlipCommand } from './commands/print-slip';
import { printerSimCommand } from './commands/printer-sim';
import { hostSimCommand } from './commands/host-sim';
import { logVerifyCommand } from './commands/log-verify';
import { logExportCommand } from './commands/log-export';
import { logSummaryCommand } from './commands/log-summary';
import { backupCommand, restoreCommand } from './commands/backup';
import { pinpadSimCommand } from './commands/pinpad-sim';
import { pinpadInfoCommand } from './commands/pinpad-info';
import { inquiryCommand } from './commands/inquiry';
import { keysLoadTmkCommand, keysLoadWalletKeyCommand, keysStatusCommand } from './commands/keys';
import { operatorsResetPasswordCommand, operatorsUnlockCommand } from './commands/operators';

// Add new subcommands here (one import and one entry each).
export const commands: CliCommand[] = [
  startCommand,
  serveCommand,
  printSlipCommand,
  printerSimCommand,
  hostSimCommand,
  logVerifyCommand,
  logExportCommand,
  logSummaryCommand,
  backupCommand,
  restoreCommand,
  pinpadSimCommand,
  pinpadInfoCommand,
  inquiryCommand,
  keysLoadTmkCommand,
  keysLoadWalletKeyCommand,
  keysStatusCommand,
  operatorsUnlockCommand,
  operatorsResetPasswordCommand,
];

function findCommand(args: string[]): { command: CliCommand; rest: string[] } | undefined {
  // Longest name first, so ['log', 'verify'] wins over ['log'].
  const sorted = [...commands].sort((a, b) => b.name.length - a.name.length);
  for (const command of sorted) {
    if (command.name.every((word, i) => args[i] === word)) {
      return { command, rest: args.slice(command.name.length) };
    }
  }
  return undefined;
}

function usage(): string {
  const lines = commands.map((c) => `  cashier ${c.usage}\n      ${c.summary}`);
  return `收银台 / Cashier Console\n\nUsage:\n${lines.join('\n')}\n\n  --debug   show the program's own detail of a failure (for support)\n`;
}

/** Finds the command and runs it; each command reports its own failures (see command.ts). */
export async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--debug');
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const found = findCommand(args);
  if (!found) {
    process.stderr.write(`未知命令 / Unknown command: ${args.join(' ')}\n\n${usage()}`);
    return 2;
  }
  const { command } = found;
  const rest = found.rest;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  return command.run(argv.includes('--debug') ? [...rest, '--debug'] : rest);
}
