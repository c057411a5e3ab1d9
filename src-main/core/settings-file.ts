// Changes to config.json made from the screens: read the file as it is now (another screen may
// have changed it), apply the change, check the result with the config schema, and only then
// replace the file atomically (temp file, fsync, rename). An invalid result never reaches disk.
import path from 'node:path';
import { writeFileAtomic } from '../system';
import {
  CONFIG_FILE_NAME,
  ConfigError,
  configSchema,
  loadConfig,
  type CashierConfig,
} from './config';

export interface ConfigUpdate {
  before: CashierConfig;
  after: CashierConfig;
  /** Dotted paths of the fields whose value changed, e.g. 'host.port' (names only, no values). */
  changed: string[];
}

// One writer at a time per file within this process, so two saves cannot interleave.
const queues = new Map<string, Promise<unknown>>();

function leafPaths(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      leafPaths(child, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.set(prefix, JSON.stringify(value));
  }
}

/** Dotted paths whose values differ between two configs (added and removed fields included). */
export function changedFields(before: CashierConfig, after: CashierConfig): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  leafPaths(before, '', a);
  leafPaths(after, '', b);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

/** Validates a whole config; throws ConfigError listing every problem. */
export function checkConfig(candidate: unknown, file: string): CashierConfig {
  const parsed = configSchema.safeParse(candidate);
  if (!parsed.success) throw ConfigError.fromIssues(file, parsed.error.issues);
  return parsed.data;
}

/**
 * Reads config.json, applies `change` to a copy, validates and writes it. Throws ConfigError
 * (file untouched) when the changed config is invalid, or when the file on disk already is.
 */
export function updateConfigFile(
  dataDir: string,
  change: (draft: CashierConfig) => void,
): Promise<ConfigUpdate> {
  const file = path.join(dataDir, CONFIG_FILE_NAME);
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async (): Promise<ConfigUpdate> => {
      const before = await loadConfig(dataDir);
      const draft = structuredClone(before);
      change(draft);
      const after = checkConfig(draft, file);
      const changed = changedFields(before, after);
      if (changed.length > 0) await writeFileAtomic(file, `${JSON.stringify(after, null, 2)}\n`);
      return { before, after, changed };
    });
  queues.set(file, next);
  return next;
}
