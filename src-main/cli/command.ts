// One CLI subcommand, with its options declared for node:util parseArgs in strict mode: an
// unknown flag, a missing value or a stray word is refused with the command's usage, and every
// command answers --help. Each command lives in its own file under commands/, selected by its
// words in index.ts.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CashierError } from '../common';
import { ConfigError } from '../core/config-error';
import { systemErrorFrom } from '../system';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;

type Parsed<O extends CliOptions> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>;

export interface CliCommand {
  summary: string;
  /** Synopsis after `cashier`, e.g. 'log verify [--db FILE] [--json]'. */
  usage: string;
  /** One line per option for --help. */
  help: string[];
  /** Parses `args` strictly and runs; returns the process exit code and never throws. */
  run(args: string[]): Promise<number>;
}

/** A usage mistake: printed with the command's usage, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  constructor(
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}

export function defineCommand<const O extends CliOptions>(spec: {
  summary: string;
  usage: string;
  options: O;
  help?: string[];
  /** Number of positional words the command takes (default none). */
  positionals?: number;
  run(values: Parsed<O>['values'], positionals: string[]): Promise<number>;
}): CliCommand {
  return {
    summary: spec.summary,
    usage: spec.usage,
    help: spec.help ?? [],
    async run(argv) {
      // A failure is printed for a person, in Chinese and English, never as a stack trace
      // (unless --debug): exit 2 for a usage mistake, 1 for anything else.
      const debug = argv.includes('--debug');
      const args = argv.filter((a) => a !== '--debug');
      try {
        let parsed: Parsed<O>;
        try {
          parsed = parseArgs({ args, options: spec.options, strict: true, allowPositionals: true });
        } catch (err) {
          const text = (err as Error).message.replace(/\. To specify .*$/s, '');
          throw new CliUsageError(text, `参数有误：${text}`);
        }
        if (parsed.positionals.length > (spec.positionals ?? 0)) {
          const extra = parsed.positionals.slice(spec.positionals ?? 0).join(' ');
          throw new CliUsageError(`Unexpected argument: ${extra}`, `多余的参数：${extra}`);
        }
        return await spec.run(parsed.values, parsed.positionals);
      } catch (err) {
        if (err instanceof CliUsageError) {
          process.stderr.write(`${err.messageZh}\n${err.message}\n\n${commandHelp(this)}`);
          return 2;
        }
        process.stderr.write(`${describeFailure(err)}\n`);
        if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
        return 1;
      }
    },
  };
}

/** Runs a command on the words after its name: its --help, or its options (with --debug). */
export function runCommand(command: CliCommand, rest: string[], debug: boolean): Promise<number> {
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return Promise.resolve(0);
  }
  return command.run(debug ? [...rest, '--debug'] : rest);
}

/** Sets the process's exit code from a run; a failure the run could not report is reported. */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${describeFailure(err)}\n`);
      if (process.argv.includes('--debug') && err instanceof Error) {
        process.stderr.write(`${err.stack ?? ''}\n`);
      }
      process.exitCode = 1;
    },
  );
}

/** The --help text of a command. */
export function commandHelp(command: CliCommand): string {
  const options = command.help.map((line) => `  ${line}`);
  return [`Usage: cashier ${command.usage}`, '', command.summary, '', ...options, ''].join('\n');
}

/** A required string option, or a usage error naming it. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') {
    throw new CliUsageError(`Missing ${flag}`, `缺少 ${flag}`);
  }
  return value;
}

/** An integer option within bounds, or a usage error naming it. */
export function integer(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new CliUsageError(
      `${flag} must be a whole number from ${min} to ${max}`,
      `${flag} 须为 ${min} 到 ${max} 的整数`,
    );
  }
  return n;
}

/** A failure in words: our typed errors carry both languages; OS errors are named. */
export function describeFailure(err: unknown): string {
  if (err instanceof ConfigError) return err.describe();
  const known = err instanceof CashierError ? err : systemErrorFrom(err);
  if (known) return `${known.messageZh}\n${known.message}`;
  const text = err instanceof Error ? err.message : String(err);
  return `操作失败：${text}\nFailed: ${text}\n（加 --debug 可查看详细信息 / add --debug for details）`;
}
