// `verify()`: walks the transaction chain in seq order, joined to the rows as they are now, in a
// read snapshot of its own (the app keeps logging meanwhile), and reports what no longer fits
// (README.md, "The transaction log and its hash chain").
import { readCheckpoint, writeCheckpoint, type ChainCheckpoint } from '../checkpoints';
import { ChainWalker, type ChainLink } from '../hash-chain';
import type { SqlConn, SqliteDb } from '../sqlite';
import {
  CHAIN_KINDS,
  CONTENT_BY_KIND_SQL,
  PART_NAMES,
  chainValues,
  readChainHead,
  type ChainKind,
} from './chain';
import type { ChainProblem, ChainProblemKind, ChainReport, VerifyOptions } from './types';

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
 * Recomputes the chain entries from the rows as they are now: from the last signed checkpoint
 * (checkpoints.ts) on, or with `full` from the start. Reports: rows whose begin or completion
 * fields were edited, rows deleted (chain entries with no row, or a gap in the row ids), chain
 * entries deleted (gap in seq), rows that were never chained (inserted behind the app's back),
 * reprint counts that do not match, a chain head that does not match the last entry (entries cut
 * off at the end), and a checkpoint that was edited, removed, or no longer matches the chain
 * (the chain before it rewritten, or rows or entries before it deleted). A clean run moves the
 * checkpoint to where it ended.
 */
export async function verifyChain(db: SqliteDb, opts: VerifyOptions = {}): Promise<ChainReport> {
  const state = await readCheckpoint(db.fileName);
  const { report, next } = await db.readSnapshot((conn) =>
    new Verification(conn, opts, state).run(),
  );
  // A missing or edited checkpoint fails every daily run until someone runs `--full` on
  // purpose: that run reports it once more and, if the chain itself is intact, signs anew.
  const onlyCheckpoint = report.problems.every(
    (p) => p.kind === 'checkpoint-missing' || p.kind === 'checkpoint-invalid',
  );
  const clean = report.ok || (opts.full === true && onlyCheckpoint && report.problemCount > 0);
  if (clean && opts.checkpoint !== false && next.seq > 0) {
    await writeCheckpoint(db.fileName, 'tx', next, new Date());
  }
  return report;
}

/** The transaction chain's checkpoint marks. */
interface TxMarks {
  /** The highest row id with a begin entry up to the checkpoint. */
  lastBeginTx: number;
  /** How many rows had ids up to lastBeginTx (rows deleted before the checkpoint change it). */
  rowsUpTo: number;
}

class Verification {
  private readonly problems: ChainProblem[] = [];
  /** Rows already reported deleted, so each is reported once. */
  private readonly deleted = new Set<number>();
  /** Print entries per row: how many, and the time of the last. */
  private readonly prints = new Map<number, { count: number; last: number }>();
  private readonly walker: ChainWalker;
  /** The highest row id a begin entry has been seen for. */
  private lastBeginTx = 0;
  /** The checkpoint this run starts from (incremental), or checks on the way (full). */
  private readonly checkpoint: (ChainLink & TxMarks) | undefined;
  private readonly incremental: boolean;

  constructor(
    private readonly conn: SqlConn,
    private readonly opts: VerifyOptions,
    state: Awaited<ReturnType<typeof readCheckpoint>>,
  ) {
    const tx = state.kind === 'valid' ? state.file.chains.tx : undefined;
    this.checkpoint = tx && {
      seq: tx.seq,
      hash: Buffer.from(tx.hash, 'hex'),
      lastBeginTx: tx.marks.lastBeginTx ?? 0,
      rowsUpTo: tx.marks.rowsUpTo ?? 0,
    };
    this.incremental = !opts.full && this.checkpoint !== undefined;
    this.walker = new ChainWalker(this.incremental ? this.checkpoint : undefined);
    if (this.incremental) this.lastBeginTx = this.checkpoint!.lastBeginTx;
    if (state.kind === 'invalid') {
      this.problems.push(
        state.reason === 'no-key'
          ? problem(
              'checkpoint-invalid',
              {},
              'The verification checkpoint cannot be checked: its key file was removed',
              '无法核对校验点：其密钥文件已被删除',
            )
          : problem(
              'checkpoint-invalid',
              {},
              'The verification checkpoint was edited (its signature does not match); the whole chain was walked',
              '校验点已被篡改（签名不符），已改为检查整条哈希链',
            ),
      );
    } else if (state.kind === 'missing') {
      this.problems.push(
        problem(
          'checkpoint-missing',
          {},
          'The verification checkpoint was removed; the whole chain was walked',
          '校验点已被删除，已改为检查整条哈希链',
        ),
      );
    }
  }

  async run(): Promise<{ report: ChainReport; next: ChainCheckpoint }> {
    // The whole table counted once (SQLite counts the smallest index); the counts "up to" an id
    // are this minus a count over the newest rows only, never a scan of the old ones.
    const count = await this.conn.get<{ n: number }>('SELECT COUNT(*) AS n FROM transactions');
    const rows = count?.n ?? 0;
    if (this.incremental) await this.checkBeforeCheckpoint(rows);
    const fromSeq = this.walker.last.seq;
    const entries = await this.walkEntries();
    await this.checkIssuedIds();
    await this.checkHead();
    await this.checkUnchained();
    await this.checkPrintCounts();
    const last = this.walker.last;
    const report: ChainReport = {
      ok: this.problems.length === 0,
      rows,
      entries,
      mode: this.incremental ? 'incremental' : 'full',
      fromSeq,
      problemCount: this.problems.length,
      problems: this.problems.slice(0, MAX_PROBLEMS),
    };
    const next: ChainCheckpoint = {
      seq: last.seq,
      hash: last.hash.toString('hex'),
      marks: {
        lastBeginTx: this.lastBeginTx,
        rowsUpTo: rows - (await this.rowsAfter(this.lastBeginTx)),
      },
    };
    return { report, next };
  }

  /**
   * What an incremental run can check of the part before the checkpoint without reading it:
   * the entry at the checkpoint still has the signed hash (else the chain was rewritten or cut
   * there), and no row or entry before it is gone (whole counts less the newest part).
   */
  private async rowsAfter(id: number): Promise<number> {
    const after = await this.conn.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM transactions WHERE id > ?',
      [id],
    );
    return after?.n ?? 0;
  }

  private async checkBeforeCheckpoint(totalRows: number): Promise<void> {
    const cp = this.checkpoint!;
    const at = await this.conn.get<{ hash: Buffer }>('SELECT hash FROM tx_chain WHERE seq = ?', [
      cp.seq,
    ]);
    if (cp.seq > 0 && (!at || !Buffer.from(at.hash).equals(cp.hash))) {
      this.problems.push(
        problem(
          'checkpoint-mismatch',
          { seqFrom: cp.seq, seqTo: cp.seq },
          `The chain no longer matches the signed checkpoint at entry ${cp.seq}: entries before it were rewritten or deleted (run verify --full)`,
          `哈希链与第 ${cp.seq} 条的签名校验点不符：之前的条目已被改写或删除（请运行 verify --full）`,
        ),
      );
    }
    const allEntries = await this.conn.get<{ n: number }>('SELECT COUNT(*) AS n FROM tx_chain');
    const entriesAfter = await this.conn.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM tx_chain WHERE seq > ?',
      [cp.seq],
    );
    const entries = { n: (allEntries?.n ?? 0) - (entriesAfter?.n ?? 0) };
    const rows = { n: totalRows - (await this.rowsAfter(cp.lastBeginTx)) };
    if (entries.n !== cp.seq || rows.n !== cp.rowsUpTo) {
      this.problems.push(
        problem(
          'deleted',
          { seqFrom: 1, seqTo: cp.seq },
          `Rows or chain entries before the checkpoint (entry ${cp.seq}) were deleted: ${cp.rowsUpTo - rows.n} rows, ${cp.seq - entries.n} entries (run verify --full to name them)`,
          `校验点（第 ${cp.seq} 条）之前的记录或哈希链条目已被删除：${cp.rowsUpTo - rows.n} 条记录，${cp.seq - entries.n} 个条目（请运行 verify --full 查明）`,
        ),
      );
    }
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

  /** Every chain entry after the start in seq order, in pages (one native call each). */
  private async walkEntries(): Promise<number> {
    const walkSql = `SELECT c.seq, c.tx_id, c.kind, c.at, c.hash, t.id AS row_id, ${CONTENT_BY_KIND_SQL} AS content
       FROM tx_chain c LEFT JOIN transactions t ON t.id = c.tx_id WHERE c.seq > ? ORDER BY c.seq LIMIT 5000`;
    const head = await readChainHead(this.conn);
    const total = Math.max(0, (head?.seq ?? 0) - this.walker.last.seq);
    const cp = this.incremental ? undefined : this.checkpoint;
    let entries = 0;
    this.opts.onProgress?.({ done: 0, total });
    for (;;) {
      const page = await this.conn.all<ChainWalkRow>(walkSql, [this.walker.last.seq]);
      if (page.length === 0) break;
      for (const e of page) {
        this.checkEntry(e);
        // A full walk passes the checkpoint: the chain there must still be the one signed.
        if (cp && e.seq === cp.seq && !Buffer.from(e.hash).equals(cp.hash)) {
          this.problems.push(
            problem(
              'checkpoint-mismatch',
              { seqFrom: cp.seq, seqTo: cp.seq },
              `The chain no longer matches the signed checkpoint at entry ${cp.seq}: it was rewritten up to there`,
              `哈希链与第 ${cp.seq} 条的签名校验点不符：此前的链已被改写`,
            ),
          );
        }
      }
      entries += page.length;
      this.opts.onProgress?.({ done: Math.min(entries, total), total });
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
    // Incremental: the rows after the checkpoint (those before it were checked then).
    const after = this.incremental ? this.checkpoint!.lastBeginTx : 0;
    const unchained = await this.conn.all<{ id: number; part: 'begin' | 'complete' }>(
      `SELECT t.id, 'begin' AS part FROM transactions t
         WHERE t.id > ?1 AND NOT EXISTS (SELECT 1 FROM tx_chain c WHERE c.tx_id = t.id AND c.kind = ${CHAIN_KINDS.begin})
       UNION ALL
       SELECT t.id, 'complete' AS part FROM transactions t
         WHERE t.id > ?1 AND t.completed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM tx_chain c WHERE c.tx_id = t.id AND c.kind = ${CHAIN_KINDS.complete})
       ORDER BY 1`,
      [after],
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
    if (this.incremental) return this.checkNewPrintCounts();
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

  /**
   * Incremental: the rows reprinted since the checkpoint, each against all its print entries
   * (found by the tx_chain_tx index, not by a walk).
   */
  private async checkNewPrintCounts(): Promise<void> {
    for (const id of this.prints.keys()) {
      if (this.deleted.has(id)) continue;
      const row = await this.conn.get<{ printed_count: number; last_printed_at: number | null }>(
        'SELECT printed_count, last_printed_at FROM transactions WHERE id = ?',
        [id],
      );
      const chain = await this.conn.get<{ n: number; last: number | null }>(
        `SELECT COUNT(*) AS n, MAX(at) AS last FROM tx_chain WHERE tx_id = ? AND kind = ${CHAIN_KINDS.print}`,
        [id],
      );
      if (!row) continue;
      const count = chain?.n ?? 0;
      if (row.printed_count !== count || (row.last_printed_at ?? 0) !== (chain?.last ?? 0)) {
        this.problems.push(
          problem(
            'print-count',
            { txId: id, part: 'print' },
            `Transaction ${id} says printed ${row.printed_count} times, the chain says ${count}`,
            `交易记录 ${id} 显示打印 ${row.printed_count} 次，哈希链记录为 ${count} 次`,
          ),
        );
      }
    }
  }
}
