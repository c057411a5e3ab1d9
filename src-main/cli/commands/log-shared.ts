// Helpers shared by the log, backup and restore commands: which database file, opening it
// without creating one by accident, and dates given on the command line.
import path from 'node:path';
import { defaultDataDir } from '../../core/data-dir';
import { DEFAULT_DB_FILE, openStore, StoreError, type Store } from '../../store';
import { describeFailure } from '../command';

/** `--db FILE` wins, then `--data-dir DIR`, then the app's data folder. */
export function databaseFile(flags: {
  db?: string | undefined;
  'data-dir'?: string | undefined;
}): string {
  if (flags.db) return path.resolve(flags.db);
  const dir = flags['data-dir'] ?? defaultDataDir();
  return path.resolve(dir, DEFAULT_DB_FILE);
}

/**
 * Opens a database that must already exist: never creates one (a missing file is NOT_FOUND,
 * a missing one in a set-up data folder DATABASE_MISSING, a folder this user cannot read
 * NO_ACCESS; all with the path, in both languages).
 */
export async function openExistingStore(
  file: string,
  opts: { readOnly?: boolean } = {},
): Promise<Store> {
  return openStore(path.dirname(file), {
    fileName: path.basename(file),
    mustExist: true,
    ...opts,
  });
}

/**
 * Opens the existing database, runs `use` with it and closes it; a failure (opening or in
 * `use`) is told in both languages and becomes the exit code.
 */
export async function withExistingStore(
  file: string,
  opts: { readOnly?: boolean },
  use: (store: Store) => Promise<number>,
): Promise<number> {
  try {
    const store = await openExistingStore(file, opts);
    try {
      return await use(store);
    } finally {
      await store.close();
    }
  } catch (err) {
    return reportError(err);
  }
}

/**
 * A command-line date: `YYYY-MM-DD` is local midnight (with `endOfDay`, the next midnight, so
 * `--to 2026-06-30` includes that whole day); anything else is parsed as an ISO date-time.
 */
export function parseCliDate(value: string, endOfDay: boolean): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m
    ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (endOfDay ? 1 : 0))
    : new Date(value);
  if (!Number.isFinite(date.getTime())) {
    throw new StoreError('BAD_DATE', { value });
  }
  return date;
}

/** Prints a typed error in both languages and returns the exit code for it. */
export function reportError(err: unknown): number {
  if (err instanceof StoreError) {
    process.stderr.write(`${err.messageZh}\n${err.message}\n`);
    return err.code === 'BAD_INPUT' ? 2 : 1;
  }
  process.stderr.write(`${describeFailure(err)}\n`);
  return 1;
}

/** The options every log, backup and restore command takes to find the database. */
export const DATABASE_OPTIONS = {
  db: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

export const DATABASE_HELP = [
  '--db FILE         the database file (default: cashier.sqlite in the data folder)',
  "--data-dir DIR    the data folder (default: the console's own)",
];
