// `cashier log verify`: runs SQLite's integrity check on the file, checks the hash chains of
// the transaction log and the audit trail, and compares the operators table with the digests
// the audit trail recorded; names every damaged page, edited, deleted or inserted row.
// Exit 0 = intact, 1 = problems found or unreadable.
import { CashierError } from '../../common';
import type { AuditProblem, ChainReport, OperatorsReport, Store } from '../../store';
import { defineCommand } from '../command';
import {
  DATABASE_HELP,
  DATABASE_OPTIONS,
  databaseFile,
  openExistingStore,
  reportError,
} from './log-shared';

const USAGE = 'log verify [--db FILE | --data-dir DIR] [--json]';

/** SQLite's own findings (['ok'] when the file is sound). */
interface IntegrityReport {
  ok: boolean;
  findings: string[];
}

interface AuditReport {
  checked: number;
  problems: AuditProblem[];
}

/** A part that could not be checked at all (a damaged page stopped the walk). */
interface Unreadable {
  part: 'transactions' | 'audit' | 'operators';
  message: string;
  messageZh: string;
}

interface VerifyReport {
  file: string;
  integrity: IntegrityReport;
  transactions: ChainReport | null;
  audit: AuditReport | null;
  operators: OperatorsReport | null;
  unreadable: Unreadable[];
}

function problemCount(r: VerifyReport): number {
  return (
    (r.integrity.ok ? 0 : 1) +
    (r.transactions?.problemCount ?? 0) +
    (r.audit?.problems.length ?? 0) +
    (r.operators?.problems.length ?? 0) +
    r.unreadable.length
  );
}

function describe(r: VerifyReport): string {
  const lines = [`数据库 / Database: ${r.file}`];
  if (r.integrity.ok) {
    lines.push('SQLite 完整性检查 / integrity check: 通过 / ok');
  } else {
    lines.push(
      `SQLite 完整性检查未通过，文件已损坏 / integrity check failed, the file is damaged (${r.integrity.findings.length}):`,
    );
    for (const f of r.integrity.findings.slice(0, 20)) lines.push(`  ✗ ${f}`);
    if (r.integrity.findings.length > 20) lines.push('  …');
  }
  const tx = r.transactions;
  if (tx) {
    lines.push(`交易记录 / Transactions: ${tx.rows}，哈希链条目 / chain entries: ${tx.entries}`);
    for (const p of tx.problems) lines.push(`  ✗ ${p.messageZh} / ${p.message}`);
  }
  if (r.audit) {
    lines.push(`审计记录 / Audit entries: ${r.audit.checked}`);
    for (const p of r.audit.problems) {
      lines.push(
        p.problem === 'edited'
          ? `  ✗ 审计记录 ${p.auditId} 已被篡改 / Audit entry ${p.auditId} was edited`
          : `  ✗ 审计记录 ${p.auditId} 之前的记录已被删除 / Audit entries before ${p.auditId} were deleted`,
      );
    }
  }
  if (r.operators) {
    lines.push(`操作员 / Operators: ${r.operators.checked}`);
    for (const p of r.operators.problems) lines.push(`  ✗ ${p.messageZh} / ${p.message}`);
  }
  for (const u of r.unreadable) lines.push(`  ✗ ${u.messageZh} / ${u.message}`);
  const total = problemCount(r);
  lines.push(
    total === 0
      ? '结果 / Result: 完整，未发现改动 / intact, no changes found'
      : `结果 / Result: 发现 ${total} 处问题 / ${total} problem(s) found`,
  );
  return `${lines.join('\n')}\n`;
}

const PART_WORDS = {
  transactions: ['the transaction log', '交易记录'],
  audit: ['the audit trail', '审计记录'],
  operators: ['the operators table', '操作员表'],
} as const;

/** Runs one check; a damaged page that stops it is reported, and the other checks still run. */
async function attempt<T>(
  part: Unreadable['part'],
  unreadable: Unreadable[],
  check: () => Promise<T>,
): Promise<T | null> {
  try {
    return await check();
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    unreadable.push({
      part,
      message: `Could not check ${PART_WORDS[part][0]}: ${text}`,
      messageZh: `无法检查${PART_WORDS[part][1]}：${err instanceof CashierError ? err.messageZh : text}`,
    });
    return null;
  }
}

export async function verifyStore(store: Store): Promise<VerifyReport> {
  const unreadable: Unreadable[] = [];
  let findings: string[];
  try {
    findings = await store.integrityCheck();
  } catch (err) {
    findings = [err instanceof Error ? err.message : String(err)];
  }
  const integrity = { ok: findings.length === 1 && findings[0] === 'ok', findings };
  const transactions = await attempt('transactions', unreadable, () => store.transactions.verify());
  const audit = await attempt('audit', unreadable, () => store.audit.verify());
  const operators = await attempt('operators', unreadable, () => store.operators.verify());
  return { file: store.file, integrity, transactions, audit, operators, unreadable };
}

export const logVerifyCommand = defineCommand({
  name: ['log', 'verify'],
  summary:
    '检查数据库文件的完整性、交易记录和审计记录的哈希链以及操作员表，指出损坏、被修改或删除的内容 / Check the file (SQLite integrity check), the log hash chains and the operators table; name damaged pages and edited, deleted or inserted rows',
  usage: USAGE,
  options: { json: { type: 'boolean' }, ...DATABASE_OPTIONS },
  help: ['--json            JSON output', ...DATABASE_HELP],
  async run(flags) {
    const file = databaseFile(flags);
    try {
      const store = await openExistingStore(file, { readOnly: true });
      try {
        const report = await verifyStore(store);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        } else {
          process.stdout.write(describe(report));
        }
        return problemCount(report) === 0 ? 0 : 1;
      } finally {
        await store.close();
      }
    } catch (err) {
      return reportError(err);
    }
  },
});
