// `cashier log summary`: counts of one day's inquiries by outcome and operator.
import { formatLocalDate } from '../../common';
import type { DailySummary } from '../../store';
import { defineCommand } from '../command';
import { DATABASE_HELP, DATABASE_OPTIONS, databaseFile, withExistingStore } from './log-shared';

const USAGE = 'log summary [--day YYYY-MM-DD] [--db FILE | --data-dir DIR] [--json]';

function describe(s: DailySummary): string {
  const counts = (c: DailySummary['byOutcome']): string =>
    `成功 approved ${c.approved}, 拒绝 declined ${c.declined}, 失败 failed ${c.failed}, 取消 cancelled ${c.cancelled}, 结果未知 unknown ${c.unknown}`;
  const lines = [
    `${s.day}: 共 ${s.total} 笔 / ${s.total} inquiries (培训 training ${s.training})`,
    `  ${counts(s.byOutcome)}`,
  ];
  for (const op of s.byOperator)
    lines.push(`  操作员 operator ${op.operatorNo}: ${op.total} — ${counts(op.byOutcome)}`);
  return `${lines.join('\n')}\n`;
}

export const logSummaryCommand = defineCommand({
  summary: '某日交易汇总（按结果和操作员）/ Daily summary by outcome and operator',
  usage: USAGE,
  options: { day: { type: 'string' }, json: { type: 'boolean' }, ...DATABASE_OPTIONS },
  help: [
    '--day YYYY-MM-DD  the day (default: today)',
    '--json            JSON output',
    ...DATABASE_HELP,
  ],
  async run(flags) {
    const day = flags.day ?? formatLocalDate(new Date());
    return withExistingStore(databaseFile(flags), { readOnly: true }, async (store) => {
      const summary = await store.transactions.dailySummary(day);
      process.stdout.write(
        flags.json ? `${JSON.stringify(summary, null, 2)}\n` : describe(summary),
      );
      return 0;
    });
  },
});
