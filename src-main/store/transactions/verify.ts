// `verify()`: walks the transaction chain in seq order, joined to the rows as they are now, in a
// read snapshot of its own (the app keeps logging meanwhile), and reports what no longer fits
// (README.md, "The transaction log and its hash chain").
import { ChainWalker } from '../hash-chain';
import type { SqlConn, SqliteDb } from '../sqlite';
import {
  CHAIN_KINDS,
  CONTENT_BY_KIND_SQL,
  PART_NAMES,
  chainValues,
  readChainHead,
  type ChainKind,
} from './chain';
import type { ChainProblem, ChainProblemKind, ChainReport } from './types';

/** Keeps the first problems in full and counts the rest, so a wrecked file gives a usable report. */
const MAX_PROBLEMS = 1000;

const PART_ZH = { begin: '开始', complete: '结果', print: '打印' } as const;

interface ChainWalkRow {
  seq: number;
  tx_id: number;
  kind: number;
  at: number;
  hash: Buffer;
  row_id: number | null;
  content: string | null;
}

function problem(
  kind: ChainProblemKind,
  fields: Omit<ChainProblem, 'kind' | 'message' | 'messageZh'>,
  message: string,
  messageZh: string,
): ChainProblem {
  return { kind, ...fields, message, messageZh };
}

/**
 * Recomputes every chain entry from the rows as they are now. Reports: rows whose begin or
 * completion fields were edited, rows deleted (chain entries with no row, or a gap in the
 * row ids), chain entries deleted (gap in seq), rows that were never chained (inserted
 * behind the app's back), reprint counts that do not match, and a chain head that does not
 * match the last entry (entries cut off at the end).
 */
export function verifyChain(db: SqliteDb): Promise<ChainReport> {
  return db.readSnapshot((conn) => new Verification(conn).run());
}

class Verification {
  private readonly problems: ChainProblem[] = [];
  /** Rows already reported deleted, so each is reported once. */
  private readonly deleted = new Set<number>();
  /** Print entries per row: how many, and the time of the last. */
  private readonly prints = new Map<number, { count: number; last: number }>();
  private readonly walker = new ChainWalker();
  /** The highest row id a begin entry has been seen for. */
  private lastBeginTx = 0;

  constructor(private readonly conn: SqlConn) {}

  async run(): Promise<ChainReport> {
    const entries = await this.walkEntries();
    await this.checkIssuedIds();
    await this.checkHead();
    await this.checkUnchained();
    await this.checkPrintCounts();
    const count = await this.conn.get<{ n: number }>('SELECT COUNT(*) AS n FROM transactions');
    return {
      ok: this.problems.length === 0,
      rows: count?.n ?? 0,
      entries,
      problemCount: this.problems.length,
      problems: this.problems.slice(0, MAX_PROBLEMS),
    };
  }

  private reportDeleted(txId: number, withEntries: boolean): void {
    if (this.deleted.has(txId)) return;
    this.deleted.add(txId);
    this.problems.push(
      withEntries
        ? problem(
            'deleted',
            { txId },
            `Transaction ${txId} was deleted (row and chain entries)`,
            `交易记录 ${txId} 已被删除（记录及其哈希链条目）`,
          )
        : problem(
            'deleted',
            { txId },
            `Transaction ${txId} was deleted`,
            `交易记录 ${txId} 已被删除`,
          ),
    );
  }

  /** Every chain entry in seq order, in pages (one native call each: several times faster). */
  private async walkEntries(): Promise<number> {
    const walkSql = `SELECT c.seq, c.tx_id, c.kind, c.at, c.hash, t.id AS row_id, ${CONTENT_BY_KIND_SQL} AS content
       FROM tx_chain c LEFT JOIN transactions t ON t.id = c.tx_id WHERE c.seq > ? ORDER BY c.seq LIMIT 5000`;
    let entries = 0;
    for (;;) {
      const page = await this.conn.all<ChainWalkRow>(walkSql, [this.walker.last.seq]);
      if (page.length === 0) break;
      for (const e of page) this.checkEntry(e);
      entries += page.length;
    }
    return entries;
  }

  private checkEntry(e: ChainWalkRow): void {
    const rowGone = e.row_id === null;
    const { missing, edited } = this.walker.check(
      e.seq,
      e.hash,
      rowGone ? undefined : chainValues(e.tx_id, e.kind, e.at, e.content ?? ''),
    );
    if (missing) {
      this.problems.push(
        problem(
          'entries-missing',
          { seqFrom: missing.from, seqTo: missing.to },
          `Chain entries ${missing.from}..${missing.to} were deleted`,
          `哈希链条目 ${missing.from}..${missing.to} 已被删除`,
        ),
      );
    }
    if (e.kind === CHAIN_KINDS.begin) {
      // Begin entries come in row id order: a skipped id is a row deleted with its entries.
      for (let id = this.lastBeginTx + 1; id < e.tx_id; id++) this.reportDeleted(id, true);
      this.lastBeginTx = Math.max(this.lastBeginTx, e.tx_id);
    }
    if (rowGone) {
      this.reportDeleted(e.tx_id, false);
      return;
    }
    if (edited) {
      const part = PART_NAMES[e.kind as ChainKind] ?? 'begin';
      this.problems.push(
        problem(
          'edited',
          { txId: e.tx_id, part },
          `Transaction ${e.tx_id} was edited (${part} fields no longer match the chain)`,
          `交易记录 ${e.tx_id} 已被篡改（${PART_ZH[part]}字段与哈希链不符）`,
        ),
      );
    }
    if (e.kind === CHAIN_KINDS.print) {
      const p = this.prints.get(e.tx_id) ?? { count: 0, last: 0 };
      p.count++;
      p.last = e.at;
      this.prints.set(e.tx_id, p);
    }
  }

  /**
   * AUTOINCREMENT remembers the highest id ever issued, so the newest rows deleted together
   * with their chain entries still show up.
   */
  private async checkIssuedIds(): Promise<void> {
    const issued = await this.conn.get<{ seq: number }>(
      "SELECT seq FROM sqlite_sequence WHERE name = 'transactions'",
    );
    for (let id = this.lastBeginTx + 1; id <= (issued?.seq ?? 0); id++) {
      this.reportDeleted(id, true);
    }
  }

  /** The chain must end where chain_head says it does: else its newest entries were cut off. */
  private async checkHead(): Promise<void> {
    const head = await readChainHead(this.conn);
    if (this.walker.endsAt(head)) return;
    const lastSeq = this.walker.last.seq;
    this.problems.push(
      problem(
        'head-mismatch',
        { seqFrom: lastSeq + 1, seqTo: head?.seq ?? 0 },
        `The chain ends at entry ${lastSeq} but its head says ${head?.seq ?? 0}: the newest entries were deleted`,
        `哈希链止于第 ${lastSeq} 条，但链头记录为第 ${head?.seq ?? 0} 条：最新的记录已被删除`,
      ),
    );
  }

  /** Rows whose begin or completion never made it into the chain. */
  private async checkUnchained(): Promise<void> {
    const unchained = await this.conn.all<{ id: number; part: 'begin' | 'complete' }>(
      `SELECT t.id, 'begin' AS part FROM transactions t
         WHERE NOT EXISTS (SELECT 1 FROM tx_chain c WHERE c.tx_id = t.id AND c.kind = ${CHAIN_KINDS.begin})
       UNION ALL
       SELECT t.id, 'complete' AS part FROM transactions t
         WHERE t.completed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM tx_chain c WHERE c.tx_id = t.id AND c.kind = ${CHAIN_KINDS.complete})
       ORDER BY 1`,
    );
    for (const u of unchained) {
      this.problems.push(
        problem(
          'unchained',
          { txId: u.id, part: u.part },
          `Transaction ${u.id} has ${u.part} fields that are not in the chain (added or edited outside the app)`,
          `交易记录 ${u.id} 的${PART_ZH[u.part]}字段不在哈希链中（在程序之外被添加或修改）`,
        ),
      );
    }
  }

  /** A row's printed_count / last_printed_at must match the count / time of its print entries. */
  private async checkPrintCounts(): Promise<void> {
    const printedRows = await this.conn.all<{
      id: number;
      printed_count: number;
      last_printed_at: number | null;
    }>(
      'SELECT id, printed_count, last_printed_at FROM transactions WHERE printed_count > 0 OR last_printed_at IS NOT NULL',
    );
    const printedById = new Map(printedRows.map((r) => [r.id, r]));
    const prints = this.prints;
    for (const r of printedRows) prints.set(r.id, prints.get(r.id) ?? { count: 0, last: 0 });
    for (const [id, p] of prints) {
      const row = printedById.get(id);
      if (!row) {
        if (this.deleted.has(id)) continue;
        this.problems.push(
          problem(
            'print-count',
            { txId: id, part: 'print' },
            `Transaction ${id} lost its print count`,
            `交易记录 ${id} 的打印次数被改动`,
          ),
        );
        continue;
      }
      if (row.printed_count !== p.count || (row.last_printed_at ?? 0) !== p.last) {
        this.problems.push(
          problem(
            'print-count',
            { txId: id, part: 'print' },
            `Transaction ${id} says printed ${row.printed_count} times, the chain says ${p.count}`,
            `交易记录 ${id} 显示打印 ${row.printed_count} 次，哈希链记录为 ${p.count} 次`,
          ),
        );
      }
    }
  }
}
