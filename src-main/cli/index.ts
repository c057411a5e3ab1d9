// The `cashier` command: dispatches to one subcommand per file in commands/. A command's module
// is loaded only when it runs (or for the help list), so `cashier serve`, the console's own
// start, evaluates what serving needs and not the simulators, the log tools or the key loaders.
import { runCommand, type CliCommand } from './command';

interface CommandEntry {
  /** Words that select it, e.g. ['host-sim'] or ['log', 'verify']. */
  name: string[];
  load(): Promise<CliCommand>;
}

// Add new subcommands here (one entry each).
export const commands: CommandEntry[] = [
  { name: ['start'], load: async () => (await import('./commands/serve')).startCommand },
  { name: ['serve'], load: async () => (await import('./commands/serve')).serveCommand },
  {
    name: ['print-slip'],
    load: async () => (await import('./commands/print-slip')).printSlipCommand,
  },
  {
    name: ['printer-sim'],
    load: async () => (await import('./commands/printer-sim')).printerSimCommand,
  },
  { name: ['host-sim'], load: async () => (await import('./commands/host-sim')).hostSimCommand },
  {
    name: ['log', 'verify'],
    load: async () => (await import('./commands/log-verify')).logVerifyCommand,
  },
  {
    name: ['log', 'export'],
    load: async () => (await import('./commands/log-export')).logExportCommand,
  },
  {
    name: ['log', 'summary'],
    load: async () => (await import('./commands/log-summary')).logSummaryCommand,
  },
  { name: ['backup'], load: async () => (await import('./commands/backup')).backupCommand },
  { name: ['restore'], load: async () => (await import('./commands/backup')).restoreCommand },
  {
    name: ['pinpad-sim'],
    load: async () => (await import('./commands/pinpad-sim')).pinpadSimCommand,
  },
  {
    name: ['pinpad', 'info'],
    load: async () => (await import('./commands/pinpad-info')).pinpadInfoCommand,
  },
  { name: ['inquiry'], load: async () => (await import('./commands/inquiry')).inquiryCommand },
  {
    name: ['keys', 'load-tmk'],
    load: async () => (await import('./commands/keys')).keysLoadTmkCommand,
  },
  {
    name: ['keys', 'load-wallet-key'],
    load: async () => (await import('./commands/keys')).keysLoadWalletKeyCommand,
  },
  {
    name: ['keys', 'status'],
    load: async () => (await import('./commands/keys')).keysStatusCommand,
  },
  {
    name: ['operators', 'unlock'],
    load: async () => (await import('./commands/operators')).operatorsUnlockCommand,
  },
  {
    name: ['operators', 'reset-password'],
    load: async () => (await import('./commands/operators')).operatorsResetPasswordCommand,
  },
];

function findCommand(args: string[]): { entry: CommandEntry; rest: string[] } | undefined {
  // Longest name first, so ['log', 'verify'] wins over ['log'].
  const sorted = [...commands].sort((a, b) => b.name.length - a.name.length);
  for (const entry of sorted) {
    if (entry.name.every((word, i) => args[i] === word)) {
      return { entry, rest: args.slice(entry.name.length) };
    }
  }
  return undefined;
}

async function usage(): Promise<string> {
  const all = await Promise.all(commands.map((c) => c.load()));
  const lines = all.map((c) => `  cashier ${c.usage}\n      ${c.summary}`);
  return `收银台 / Cashier Console\n\nUsage:\n${lines.join('\n')}\n\n  --debug   show the program's own detail of a failure (for support)\n`;
}

/** Finds the command and runs it; each command reports its own failures (see command.ts). */
export async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--debug');
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    process.stdout.write(await usage());
    return 0;
  }
  const found = findCommand(args);
  if (!found) {
    process.stderr.write(`未知命令 / Unknown command: ${args.join(' ')}\n\n${await usage()}`);
    return 2;
  }
  return runCommand(await found.entry.load(), found.rest, argv.includes('--debug'));
}
