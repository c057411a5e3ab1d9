// `cashier log export`: the transaction log of a period as CSV for Excel (UTF-8 with BOM).
import { defineCommand, required } from '../command';
import {
  DATABASE_HELP,
  DATABASE_OPTIONS,
  databaseFile,
  openExistingStore,
  parseCliDate,
  reportError,
} from './log-shared';

const USAGE =
  'log export --from YYYY-MM-DD --to YYYY-MM-DD --out FILE.csv [--db FILE | --data-dir DIR] [--utc-offset MINUTES]';

export const logExportCommand = defineCommand({
  summary: '导出交易记录为CSV（Excel可直接打开）/ Export the transaction log as CSV for Excel',
  usage: USAGE,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    'utc-offset': { type: 'string' },
    ...DATABASE_OPTIONS,
  },
  help: [
    '--from YYYY-MM-DD first day (local time)',
    '--to YYYY-MM-DD   last day, included',
    '--out FILE.csv    where to write the CSV (UTF-8 with BOM, for Excel)',
    '--utc-offset MIN  time zone of the dates, in minutes east of UTC (e.g. 480)',
    ...DATABASE_HELP,
  ],
  async run(flags) {
    const out = required(flags.out, '--out');
    const fromText = required(flags.from, '--from');
    const toText = required(flags.to, '--to');
    const offset = flags['utc-offset'];
    if (offset !== undefined && !/^-?\d+$/.test(offset)) {
      process.stderr.write('--utc-offset 须为分钟数 / --utc-offset must be minutes, e.g. 480\n');
      return 2;
    }
    try {
      const from = parseCliDate(fromText, false);
      const to = parseCliDate(toText, true);
      const store = await openExistingStore(databaseFile(flags));
      try {
        const result = await store.exportCsv({
          out,
          from,
          to,
          ...(offset !== undefined ? { utcOffsetMinutes: Number(offset) } : {}),
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
});
