// Online backup with the SQLite backup API, and restore of a checked backup file.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from './errors';
import { SCHEMA_VERSION } from './migrations';
import { SqliteDb } from './sqlite';

/** `cashier-20260601-153000.sqlite` (UTC), sortable, safe on Windows. */
export function backupFileName(at: Date): string {
  const s = at.toISOString();
  return `cashier-${s.slice(0, 10).replace(/-/g, '')}-${s.slice(11, 19).replace(/:/g, '')}.sqlite`;
}

export interface BackupCheck {
  schemaVersion: number;
  transactions: number;
  operators: number;
}

function corrupt(
  file: string,
  why: 'unreadable' | 'damaged' | 'integrity' | 'not-ours',
  detail?: string,
): StoreError {
  return new StoreError(
    'BACKUP_UNUSABLE',
    { name: path.basename(file), why },
    { ...(detail ? { detail } : {}), details: { file } },
  );
}

/**
 * Opens a backup read-only and checks it: a SQLite file, `PRAGMA integrity_check` ok, a
 * schema this app knows, and the store's tables present. Throws CORRUPT (or SCHEMA_TOO_NEW).
 */
export async function checkBackupFile(file: string): Promise<BackupCheck> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new StoreError('BACKUP_NOT_FOUND', { file });
  }
  let db: SqliteDb;
  try {
    db = await SqliteDb.open(file, { readOnly: true });
  } catch (err) {
    throw corrupt(file, 'unreadable', (err as Error).message);
  }
  try {
    let integrity: { integrity_check: string }[];
    try {
      integrity = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
    } catch (err) {
      throw corrupt(file, 'damaged', (err as Error).message);
    }
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') {
      throw corrupt(
        file,
        'integrity',
        integrity
          .map((r) => r.integrity_check)
          .slice(0, 3)
          .join('; '),
      );
    }
    const version = (await db.get<{ user_version: number }>('PRAGMA user_version'))!.user_version;
    if (version > SCHEMA_VERSION) {
      throw new StoreError('BACKUP_SCHEMA_TOO_NEW', { version });
    }
    const tables = await db.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('operators', 'audit', 'transactions')",
    );
    if (version < 1 || tables.length < Math.min(version + 1, 3)) {
      throw corrupt(file, 'not-ours');
    }
    const count = async (table: string): Promise<number> =>
      tables.some((t) => t.name === table)
        ? ((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0)
        : 0;
    return {
      schemaVersion: version,
      transactions: await count('transactions'),
      operators: await count('operators'),
    };
  } finally {
    await db.close();
  }
}
