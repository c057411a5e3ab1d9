// `cashier log export`: the transaction log of a period as CSV for Excel (UTF-8 with BOM).
import { parseFlags, type CliCommand } from '../command';
import { databaseFile, openExistingStore, parseCliDate, reportError } from './log-shared';

const USAGE =
  'log export --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.csv [--db FILE | --data-dir DIR] [--utc-offset MINUTES]';

export const logExportCommand: CliCommand = {
  name: ['log', 'export'],
  summary: '导出交易记录为CSV（Excel可直接打开）/ Export the transaction log as CSV for Excel',
  usage: USAGE,
  async run(args) {
    const flags = parseFlags(args);
    if (
      typeof flags.out !== 'string' ||
      typeof flags.from !== 'string' ||
      typeof flags.to !== 'string'
    ) {
      process.stderr.write(`缺少参数 / Missing arguments\n用法 / Usage: cashier ${USAGE}\n`);
      return 2;
    }
    const offset = flags['utc-offset'];
    if (offset !== undefined && (typeof offset !== 'string' || !/^-?\d+$/.test(offset))) {
      process.stderr.write('--utc-offset 须为分钟数 / --utc-offset must be minutes, e.g. 480\n');
      return 2;
    }
    try {
      const from = parseCliDate(flags.from, false);
      const to = parseCliDate(flags.to, true);
      const store = await openExistingStore(databaseFile(flags));
      try {
        const result = await store.exportCsv({
          out: flags.out,
          from,
          to,
          ...(typeof offset === 'string' ? { utcOffsetMinutes: Number(offset) } : {}),
          source: 'cli',
        });
        process.stdout.write(
          `已导出 ${result.rows} 条记录到 ${result.file}\nExported ${result.rows} rows to ${result.file} (${result.bytes} bytes)\n`,
        );
        return 0;
      } finally {
        await store.close();
      }
    } catch (err) {
      return reportError(err);
    }
  },
};
