// One CLI subcommand. Each lives in its own file under commands/ and is listed in index.ts.
export interface CliCommand {
  /** Words that select it, e.g. ['host-sim'] or ['log', 'verify']. */
  name: string[];
  summary: string;
  usage: string;
  /** Returns the process exit code. Long-running commands resolve when they stop. */
  run(args: string[]): Promise<number>;
}

/** Parses `--key value` and `--flag` pairs; positional words are kept in `_`. */
export function parseFlags(args: string[]): {
  _: string[];
  [key: string]: string | string[] | true;
} {
  const out: { _: string[]; [key: string]: string | string[] | true } = { _: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      out._.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out[arg.slice(2)] = next;
      i++;
    } else {
      out[arg.slice(2)] = true;
    }
  }
  return out;
}
