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

function corrupt(file: string, why: string, whyZh: string): StoreError {
  return new StoreError(
    'CORRUPT',
    `${path.basename(file)} is not a usable backup: ${why}`,
    `${path.basename(file)} 不是可用的备份文件：${whyZh}`,
    { file },
  );
}

/**
 * Opens a backup read-only and checks it: a SQLite file, `PRAGMA integrity_check` ok, a
 * schema this app knows, and the store's tables present. Throws CORRUPT (or SCHEMA_TOO_NEW).
 */
export async function checkBackupFile(file: string): Promise<BackupCheck> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new StoreError('NOT_FOUND', `Backup file not found: ${file}`, `未找到备份文件：${file}`);
  }
  let db: SqliteDb;
  try {
    db = await SqliteDb.open(file, { readOnly: true });
  } catch (err) {
    throw corrupt(file, (err as Error).message, '无法打开');
  }
  try {
    let integrity: { integrity_check: string }[];
    try {
      integrity = await db.all<{ integrity_check: string }>('PRAGMA integrity_check');
    } catch (err) {
      throw corrupt(file, (err as Error).message, '文件已损坏或不是数据库');
    }
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') {
      throw corrupt(
        file,
        `integrity check failed (${integrity
          .map((r) => r.integrity_check)
          .slice(0, 3)
          .join('; ')})`,
        '完整性检查未通过',
      );
    }
    const version = (await db.get<{ user_version: number }>('PRAGMA user_version'))!.user_version;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        'SCHEMA_TOO_NEW',
        `The backup was made by a newer version of Cashier Console (schema ${version}); update the app first`,
        `该备份由更新版本的收银台创建（结构版本 ${version}），请先升级程序`,
      );
    }
    const tables = await db.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('operators', 'audit', 'transactions')",
    );
    if (version < 1 || tables.length < Math.min(version + 1, 3)) {
      throw corrupt(file, 'it is not a Cashier Console database', '不是收银台数据库');
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
