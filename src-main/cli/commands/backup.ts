// `cashier backup` and `cashier restore`: online backup of the database to a folder (a USB
// stick, a network share) and restore of a checked backup file.
import { restoreDatabaseFile, StoreError, type Store } from '../../store';
import { defineCommand, required } from '../command';
import {
  DATABASE_HELP,
  DATABASE_OPTIONS,
  databaseFile,
  openExistingStore,
  reportError,
  withExistingStore,
} from './log-shared';

const BACKUP_USAGE = 'backup --to DIR [--db FILE | --data-dir DIR]';
const RESTORE_USAGE = 'restore --from BACKUP.sqlite [--db FILE | --data-dir DIR]';

export const backupCommand = defineCommand({
  summary: '在线备份数据库到指定文件夹 / Back up the database online to a folder',
  usage: BACKUP_USAGE,
  options: { to: { type: 'string' }, ...DATABASE_OPTIONS },
  help: ['--to DIR          the folder the backup file is written to', ...DATABASE_HELP],
  async run(flags) {
    const to = required(flags.to, '--to');
    return withExistingStore(databaseFile(flags), {}, async (store) => {
      const r = await store.backup(to, { source: 'cli' });
      process.stdout.write(
        `备份完成：${r.file}（${r.transactions} 条交易记录，已通过完整性检查）\nBackup written: ${r.file} (${r.bytes} bytes, ${r.transactions} transactions, integrity checked)\n`,
      );
      return 0;
    });
  },
});

export const restoreCommand = defineCommand({
  summary:
    '检查并从备份恢复数据库（请先关闭收银台程序）/ Check a backup and restore the database from it (close the app first)',
  usage: RESTORE_USAGE,
  options: { from: { type: 'string' }, ...DATABASE_OPTIONS },
  help: ['--from FILE       the backup file to check and restore', ...DATABASE_HELP],
  async run(flags) {
    const from = required(flags.from, '--from');
    const file = databaseFile(flags);
    try {
      let store: Store;
      try {
        store = await openExistingStore(file);
      } catch (err) {
        // The database is gone, empty or damaged in a set-up folder: the backup goes in its
        // place, and whatever was there is kept in backups/damaged-….
        // (No database at all, e.g. a new PC taking over a shop's log: the same.)
        const unusable =
          err instanceof StoreError &&
          (err.code === 'DATABASE_MISSING' || err.code === 'CORRUPT' || err.code === 'NOT_FOUND');
        if (!unusable) throw err;
        const r = await restoreDatabaseFile(file, from, { by: { source: 'cli' } });
        const aside = r.setAside.length ? r.setAside.join(', ') : '-';
        process.stdout.write(
          `已从 ${r.restoredFrom} 恢复（${r.transactions} 条交易记录，${r.operators} 名操作员）。原有无法使用的文件已移至：${aside}
Restored from ${r.restoredFrom} (${r.transactions} transactions, ${r.operators} operators). The unusable files that were there were moved to: ${aside}
`,
        );
        return 0;
      }
      try {
        const r = await store.restore(from, { source: 'cli' });
        process.stdout.write(
          `已从 ${r.restoredFrom} 恢复（${r.transactions} 条交易记录，${r.operators} 名操作员）。恢复前的数据库已保存为 ${r.savedCurrentAs}\nRestored from ${r.restoredFrom} (${r.transactions} transactions, ${r.operators} operators). The previous database was saved as ${r.savedCurrentAs}\n`,
        );
        return 0;
      } finally {
        await store.close();
      }
    } catch (err) {
      return reportError(err);
    }
  },
});
