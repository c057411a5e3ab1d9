// `cashier log verify`: checks the hash chains of the transaction log and the audit trail and
// names every edited or deleted row. Exit 0 = intact, 1 = problems found or unreadable.
import type { AuditProblem, ChainReport } from '../../store';
import { defineCommand } from '../command';
import {
  DATABASE_HELP,
  DATABASE_OPTIONS,
  databaseFile,
  openExistingStore,
  reportError,
} from './log-shared';

const USAGE = 'log verify [--db FILE | --data-dir DIR] [--json]';

function describe(
  file: string,
  tx: ChainReport,
  audit: { checked: number; problems: AuditProblem[] },
): string {
  const lines = [
    `数据库 / Database: ${file}`,
    `交易记录 / Transactions: ${tx.rows}，哈希链条目 / chain entries: ${tx.entries}`,
  ];
  for (const p of tx.problems) lines.push(`  ✗ ${p.messageZh} / ${p.message}`);
  lines.push(`审计记录 / Audit entries: ${audit.checked}`);
  for (const p of audit.problems) {
    lines.push(
      p.problem === 'edited'
        ? `  ✗ 审计记录 ${p.auditId} 已被篡改 / Audit entry ${p.auditId} was edited`
        : `  ✗ 审计记录 ${p.auditId} 之前的记录已被删除 / Audit entries before ${p.auditId} were deleted`,
    );
  }
  const total = tx.problems.length + audit.problems.length;
  lines.push(
    total === 0
      ? '结果 / Result: 完整，未发现改动 / intact, no changes found'
      : `结果 / Result: 发现 ${total} 处问题 / ${total} problem(s) found`,
  );
  return `${lines.join('\n')}\n`;
}

export const logVerifyCommand = defineCommand({
  name: ['log', 'verify'],
  summary:
    '校验交易记录和审计记录的哈希链，指出被修改或删除的记录 / Verify the log hash chains and name edited or deleted rows',
  usage: USAGE,
  options: { json: { type: 'boolean' }, ...DATABASE_OPTIONS },
  help: ['--json            JSON output', ...DATABASE_HELP],
  async run(flags) {
    const file = databaseFile(flags);
    try {
      const store = await openExistingStore(file, { readOnly: true });
      try {
        const tx = await store.transactions.verify();
        const audit = await store.audit.verify();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ file, transactions: tx, audit }, null, 2)}\n`);
        } else {
          process.stdout.write(describe(file, tx, audit));
        }
        return tx.ok && audit.problems.length === 0 ? 0 : 1;
      } finally {
        await store.close();
      }
    } catch (err) {
      return reportError(err);
    }
  },
});
