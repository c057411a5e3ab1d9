// `cashier log verify`: runs SQLite's integrity check on the file, checks the hash chains of
// the transaction log and the audit trail, and compares the operators table with the digests
// the audit trail recorded; names every damaged page, edited, deleted or inserted row.
// Exit 0 = intact, 1 = problems found or unreadable.
import { CashierError } from '../../common';
import type { AuditProblem, ChainReport, OperatorsReport, Store, VerifyOptions } from '../../store';
import { defineCommand } from '../command';
import {
  DATABASE_HELP,
  DATABASE_OPTIONS,
  databaseFile,
  openExistingStore,
  reportError,
} from './log-shared';

const USAGE = 'log verify [--full] [--db FILE | --data-dir DIR] [--json]';

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
    if (tx.mode === 'incremental') {
      lines.push(
        `  自第 ${tx.fromSeq} 条的签名校验点起检查 / checked from the signed checkpoint at entry ${tx.fromSeq} (--full: the whole chain)`,
      );
    }
    for (const p of tx.problems) lines.push(`  ✗ ${p.messageZh} / ${p.message}`);
  }
  if (r.audit) lines.push(...describeAudit(r.audit));
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

/** The audit trail's part of the report: its chain walk and its head (newest entries kept). */
function describeAudit(audit: AuditReport): string[] {
  const lines = [`审计记录 / Audit entries: ${audit.checked}`];
  for (const p of audit.problems) lines.push(`  ✗ ${auditProblemText(p)}`);
  return lines;
}

export function auditProblemText(p: AuditProblem): string {
  switch (p.problem) {
    case 'edited':
      return `审计记录 ${p.auditId} 已被篡改 / Audit entry ${p.auditId} was edited`;
    case 'missing-before':
      return `审计记录 ${p.auditId} 之前的记录已被删除 / Audit entries before ${p.auditId} were deleted`;
    case 'newest-missing':
      return `审计记录丢失了最新的条目：记录止于第 ${p.auditId} 条，但链头记录为第 ${p.headSeq ?? 0} 条（最新的审计记录已被删除） / The audit trail lost its newest entries: it ends at entry ${p.auditId} but its head says ${p.headSeq ?? 0} (the newest audit entries were deleted)`;
  }
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

/**
 * The daily run: SQLite's quick_check and the chains from their signed checkpoints; `full`:
 * integrity_check and every chain entry (README.md, "Verifying the log").
 */
export async function verifyStore(
  store: Store,
  opts: Pick<VerifyOptions, 'full' | 'onProgress'> = {},
): Promise<VerifyReport> {
  const unreadable: Unreadable[] = [];
  let findings: string[];
  try {
    findings = await store.integrityCheck({ quick: !opts.full });
  } catch (err) {
    findings = [err instanceof Error ? err.message : String(err)];
  }
  const integrity = { ok: findings.length === 1 && findings[0] === 'ok', findings };
  const transactions = await attempt('transactions', unreadable, () =>
    store.transactions.verify({
      ...(opts.full ? { full: true } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    }),
  );
  const audit = await attempt('audit', unreadable, () => store.audit.verify());
  const operators = await attempt('operators', unreadable, () => store.operators.verify());
  return { file: store.file, integrity, transactions, audit, operators, unreadable };
}

export const logVerifyCommand = defineCommand({
  summary:
    '检查数据库文件的完整性、交易记录和审计记录的哈希链以及操作员表，指出损坏、被修改或删除的内容 / Check the file (SQLite integrity check), the log hash chains and the operators table; name damaged pages and edited, deleted or inserted rows',
  usage: USAGE,
  options: { json: { type: 'boolean' }, full: { type: 'boolean' }, ...DATABASE_OPTIONS },
  help: [
    '--full            the whole chain and integrity_check (default: from the last signed checkpoint, quick_check)',
    '--json            JSON output',
    ...DATABASE_HELP,
  ],
  async run(flags) {
    const file = databaseFile(flags);
    try {
      const store = await openExistingStore(file, { readOnly: true });
      try {
        const bar = progressBar(process.stderr);
        const report = await verifyStore(store, {
          ...(flags.full ? { full: true } : {}),
          ...(bar ? { onProgress: bar.update } : {}),
        });
        bar?.done();
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

/** A progress bar on stderr, only when it is a terminal (never in a pipe, a log or --json's output). */
function progressBar(stream: NodeJS.WriteStream): {
  update: (p: { done: number; total: number }) => void;
  done: () => void;
} | null {
  if (!stream.isTTY) return null;
  let last = 0;
  let shown = false;
  const draw = (done: number, total: number): void => {
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(share * width);
    stream.write(
      `\r哈希链 / chain [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')}`,
    );
    shown = true;
  };
  return {
    update: ({ done, total }) => {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    done: () => {
      if (shown) stream.write('\n');
    },
  };
}
