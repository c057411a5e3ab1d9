// Store benchmark: insert latency with synchronous=FULL, search latency at 1M and 10M rows for
// each search kind, database bytes per row. Prints figures; no pass/fail.
//
//   node build/scripts/run-benches.mjs store            (1M and 10M rows)
//   STORE_BENCH_ROWS=1000000 node build/scripts/run-benches.mjs store   (1M only)
//
// Large tables are generated in SQL (a recursive CTE) with the indexes dropped, then indexed,
// so 10M rows take a few minutes, not hours. The generated rows have random chain hashes:
// search does not read the chain, and verify() is timed on a real chain separately.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openStore, type InquiryQuery, type Store } from '../src-main/store';
import { GENESIS_HASH } from '../src-main/store/hash-chain';
import { MIGRATIONS } from '../src-main/store/migrations';
import { SqliteDb } from '../src-main/store/sqlite';
import { CHAIN_KINDS, CONTENT_SQL, chainHash } from '../src-main/store/transactions/chain';
import { writeCheckpoint } from '../src-main/store/checkpoints';
import { percentile as pct, recordFigure } from './figures';

const SIZES = (process.env.STORE_BENCH_ROWS ?? '1000000,10000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const INSERTS = Number(process.env.STORE_BENCH_INSERTS ?? 1000);
const SEARCHES = Number(process.env.STORE_BENCH_SEARCHES ?? 300);
const OPERATORS = 20;
const VERIFY_ROWS = Number(process.env.STORE_BENCH_VERIFY_ROWS ?? 200_000);
/** The generated log spans two years, newest row now. */
const SPAN_MS = 2 * 365 * 24 * 3600 * 1000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(label: string, samples: number[], extra = ''): void {
  const s = [...samples].sort((a, b) => a - b);
  const f = (n: number): string => n.toFixed(2).padStart(8);
  console.log(
    `${label.padEnd(44)} p50 ${f(percentile(s, 50))} ms  p99 ${f(percentile(s, 99))} ms  max ${f(s[s.length - 1]!)} ms  (n=${s.length})${extra}`,
  );
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const result = await fn();
  return [performance.now() - t0, result];
}

const rnd = (n: number): number => Math.floor(Math.random() * n);

/** The peer: one plain INSERT with its own commit at synchronous=FULL on the same file. */
async function rawInsertLatency(file: string): Promise<number[]> {
  const raw = await SqliteDb.open(file);
  await raw.exec(
    'PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; CREATE TABLE IF NOT EXISTS bench_peer (id INTEGER PRIMARY KEY, v TEXT)',
  );
  const samples: number[] = [];
  for (let i = 0; i < Math.min(INSERTS, 500); i++) {
    const [ms] = await time(() => raw.run('INSERT INTO bench_peer (v) VALUES (?)', [`row ${i}`]));
    samples.push(ms);
  }
  await raw.exec('DROP TABLE bench_peer');
  await raw.close();
  return samples;
}

/** begin + complete latencies (one inquiry each), n times. */
async function inquiryWrites(store: Store, n: number): Promise<number[]> {
  const both: number[] = [];
  for (let i = 0; i < n; i++) {
    const [ms] = await time(async () => {
      const id = await store.transactions.begin({
        operatorId: null,
        operatorNo: String(1 + (i % OPERATORS)).padStart(2, '0'),
        accountKind: 'card',
        maskedAccount: `622202******${String(rnd(10000)).padStart(4, '0')}`,
        entryMode: 'chip',
        stan: String(i).padStart(6, '0'),
        training: false,
      });
      await store.transactions.complete(id, {
        outcome: 'approved',
        responseCode: '00',
        responseClass: 'approved',
        rrn: String(100000000000 + id),
        ledgerFen: rnd(1e8),
        availableFen: rnd(1e8),
        currency: 'CNY',
        durationMs: 800,
      });
    });
    both.push(ms);
  }
  return both.sort((a, b) => a - b);
}

/** p50 of begin + complete on a fresh file at the start, printed beside the growth ratio. */
let freshInquiryP50 = NaN;

async function insertLatency(dir: string): Promise<void> {
  const store = await openStore(dir, { fileName: 'insert.sqlite' });
  const info = await store.info();
  console.log(
    `\n## Insert latency (journal ${info.journalMode}, synchronous=${info.synchronous === 2 ? 'FULL' : info.synchronous}, SQLite ${info.sqliteVersion})`,
  );
  const begin: number[] = [];
  const complete: number[] = [];
  const both: number[] = [];
  for (let i = 0; i < INSERTS; i++) {
    const [tb, id] = await time(() =>
      store.transactions.begin({
        operatorId: null,
        operatorNo: String(1 + (i % OPERATORS)).padStart(2, '0'),
        accountKind: 'card',
        maskedAccount: `622202******${String(rnd(10000)).padStart(4, '0')}`,
        entryMode: 'chip',
        stan: String(i).padStart(6, '0'),
        training: false,
      }),
    );
    const [tc] = await time(() =>
      store.transactions.complete(id, {
        outcome: 'approved',
        responseCode: '00',
        responseClass: 'approved',
        rrn: String(100000000000 + id),
        ledgerFen: rnd(1e8),
        availableFen: rnd(1e8),
        currency: 'CNY',
        durationMs: 800,
      }),
    );
    begin.push(tb);
    complete.push(tc);
    both.push(tb + tc);
  }
  summary('begin() (row + chain entry, 1 commit)', begin);
  summary('complete() (update + chain entry, 1 commit)', complete);
  summary('begin + complete (one inquiry)', both);
  const rawInsert = await rawInsertLatency(store.file);
  summary('peer: raw SQLite insert, 1 commit, same file', rawInsert);
  const sortedBoth = [...both].sort((a, b) => a - b);
  freshInquiryP50 = pct(sortedBoth, 50);
  recordFigure('log writes per inquiry p50 (begin + complete)', freshInquiryP50, 'ms', '', {
    name: 'raw SQLite insert',
    value: pct(
      [...rawInsert].sort((a, b) => a - b),
      50,
    ),
  });
  const [verifyMs, report] = await time(() => store.transactions.verify({ checkpoint: false }));
  console.log(
    `verify() on ${report.rows} rows / ${report.entries} entries: ${verifyMs.toFixed(1)} ms (${Math.round(report.entries / (verifyMs / 1000))} entries/s), ok=${report.ok}`,
  );
  await store.close();
}

/** Creates the schema with openStore, then fills it in SQL as fast as SQLite can. */
async function fill(dir: string, rows: number): Promise<string> {
  const fileName = `log-${rows}.sqlite`;
  const bootstrap = await openStore(dir, { fileName });
  const file = bootstrap.file;
  await bootstrap.close();
  const db = await SqliteDb.open(file);
  const indexes = await db.all<{ name: string; sql: string }>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('transactions', 'tx_chain')",
  );
  await db.exec(
    'PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;',
  );
  for (const ix of indexes) await db.exec(`DROP INDEX ${ix.name}`);
  const now = Date.now();
  const step = SPAN_MS / rows;
  const chunk = 1_000_000;
  const t0 = performance.now();
  for (let start = 0; start < rows; start += chunk) {
    const end = Math.min(rows, start + chunk);
    await db.exec('BEGIN');
    // Outcomes: 85% approved, 8% declined, 5% failed, 1% cancelled, 1% unknown.
    await db.exec(`
      WITH RECURSIVE seq(i) AS (SELECT ${start + 1} UNION ALL SELECT i + 1 FROM seq WHERE i < ${end}),
      gen AS MATERIALIZED (SELECT i, abs(random()) AS r, abs(random()) % 100 AS o FROM seq)
      INSERT INTO transactions (id, created_at, operator_id, operator_no, account_kind, masked_account, last4,
        entry_mode, stan, training, outcome, response_code, response_class, rrn, ledger_fen, available_fen,
        currency, duration_ms, error_code, error_message, completed_at, printed_count, last_printed_at)
      SELECT i,
        ${now - SPAN_MS} + CAST(i * ${step} AS INTEGER),
        NULL,
        printf('%02d', 1 + r % ${OPERATORS}),
        CASE WHEN r % 10 = 0 THEN 'wallet' ELSE 'card' END,
        CASE WHEN r % 10 = 0 THEN '138****' ELSE '622202******' END || printf('%04d', (r / 100) % 10000),
        printf('%04d', (r / 100) % 10000),
        CASE WHEN r % 10 = 0 THEN 'sms-code' ELSE 'chip' END,
        printf('%06d', i % 1000000),
        CASE WHEN r % 50 = 0 THEN 1 ELSE 0 END,
        CASE WHEN o < 85 THEN 'approved' WHEN o < 93 THEN 'declined' WHEN o < 98 THEN 'failed'
             WHEN o < 99 THEN 'cancelled' ELSE 'unknown' END,
        CASE WHEN o < 85 THEN '00' WHEN o < 93 THEN (CASE WHEN o % 2 = 0 THEN '55' ELSE '51' END) ELSE NULL END,
        CASE WHEN o < 85 THEN 'approved' WHEN o < 93 THEN (CASE WHEN o % 2 = 0 THEN 'pin-error' ELSE 'insufficient' END)
             WHEN o < 98 THEN 'comm-error' ELSE NULL END,
        CASE WHEN o < 93 THEN printf('%012d', i) ELSE NULL END,
        CASE WHEN o < 85 THEN r % 100000000 ELSE NULL END,
        CASE WHEN o < 85 THEN r % 90000000 ELSE NULL END,
        CASE WHEN o < 85 THEN 'CNY' ELSE NULL END,
        CASE WHEN o < 99 THEN 300 + r % 3000 ELSE NULL END,
        CASE WHEN o >= 93 AND o < 98 THEN 'HOST_TIMEOUT' ELSE NULL END,
        CASE WHEN o >= 93 AND o < 98 THEN '银行主机无应答 / no answer from the bank host' ELSE NULL END,
        CASE WHEN o < 99 THEN ${now - SPAN_MS} + CAST(i * ${step} AS INTEGER) + 900 ELSE NULL END,
        CASE WHEN r % 3 = 0 THEN 1 ELSE 0 END,
        NULL
      FROM gen;
      INSERT INTO tx_chain (seq, tx_id, kind, at, hash)
        SELECT 2 * id - 1, id, 1, created_at, randomblob(32) FROM transactions WHERE id BETWEEN ${start + 1} AND ${end}
        UNION ALL
        SELECT 2 * id, id, 2, created_at + 900, randomblob(32) FROM transactions WHERE id BETWEEN ${start + 1} AND ${end};
    `);
    await db.exec('COMMIT');
  }
  const tRows = performance.now() - t0;
  const t1 = performance.now();
  for (const ix of indexes) await db.exec(ix.sql);
  await db.exec(
    `INSERT INTO chain_head (name, seq, hash) VALUES ('tx', ${2 * rows}, randomblob(32))
       ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
     UPDATE sqlite_sequence SET seq = ${rows} WHERE name = 'transactions';
     INSERT INTO sqlite_sequence (name, seq) SELECT 'transactions', ${rows}
       WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'transactions');
     ANALYZE;`,
  );
  const tIndex = performance.now() - t1;
  await db.get('PRAGMA journal_mode = WAL');
  await db.close();
  console.log(
    `filled ${rows.toLocaleString('en')} rows in ${(tRows / 1000).toFixed(1)} s (${Math.round(rows / (tRows / 1000)).toLocaleString('en')} rows/s), indexes + ANALYZE in ${(tIndex / 1000).toFixed(1)} s`,
  );
  return file;
}

async function searchLatency(store: Store, rows: number): Promise<void> {
  let worstP99 = 0;
  const now = Date.now();
  const dayMs = 24 * 3600 * 1000;
  const randomDay = (): { from: Date; to: Date } => {
    const from = now - SPAN_MS + rnd(Math.floor(SPAN_MS / dayMs) - 1) * dayMs;
    return { from: new Date(from), to: new Date(from + dayMs) };
  };
  const op = (): string => String(1 + rnd(OPERATORS)).padStart(2, '0');
  const kinds: [string, () => InquiryQuery][] = [
    ['newest page (no filter)', () => ({})],
    ['date range (1 random day)', () => randomDay()],
    ['operator', () => ({ operatorNo: op() })],
    ['operator + 1 day', () => ({ operatorNo: op(), ...randomDay() })],
    ['outcome = declined', () => ({ outcome: 'declined' })],
    ['outcome = unknown + 1 day', () => ({ outcome: 'unknown', ...randomDay() })],
    ['response class = pin-error', () => ({ responseClass: 'pin-error' })],
    ['last 4 digits', () => ({ last4: String(rnd(10000)).padStart(4, '0') })],
    [
      'last 4 digits + 1 day',
      () => ({ last4: String(rnd(10000)).padStart(4, '0'), ...randomDay() }),
    ],
    ['RRN (exact)', () => ({ rrn: String(1 + rnd(Math.floor(rows * 0.9))).padStart(12, '0') })],
  ];
  console.log(
    `\n## Search latency at ${rows.toLocaleString('en')} rows (50 rows per page, through the store API)`,
  );
  // Two passes with fresh random parameters: the first meets pages not yet in SQLite's cache
  // (the OS file cache is warm: the file was just written), the second shows steady state.
  for (const pass of [1, 2]) {
    console.log(pass === 1 ? '### first pass' : '### second pass');
    for (const [label, make] of kinds) {
      const samples: number[] = [];
      let found = 0;
      for (let i = 0; i < SEARCHES; i++) {
        const [ms, page] = await time(() => store.transactions.search({ ...make(), limit: 50 }));
        samples.push(ms);
        found += page.rows.length;
      }
      summary(label, samples, `  avg rows ${(found / SEARCHES).toFixed(1)}`);
      if (pass === 2)
        worstP99 = Math.max(
          worstP99,
          pct(
            [...samples].sort((a, b) => a - b),
            99,
          ),
        );
    }
  }
  // The peer: a raw lookup of one row by id on the same file (no API, no paging).
  const lookups: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const id = 1 + rnd(rows);
    const [ms] = await time(() => store.transactions.get(id).then(() => undefined));
    lookups.push(ms);
  }
  const rawDb = await SqliteDb.open(store.file, { readOnly: true });
  const rawLookups: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const id = 1 + rnd(rows);
    const [ms] = await time(() => rawDb.get('SELECT * FROM transactions WHERE id = ?', [id]));
    rawLookups.push(ms);
  }
  await rawDb.close();
  summary('peer: raw SQLite lookup by id, same file', rawLookups);
  if (rows >= 10_000_000) {
    recordFigure(`search worst p99 at ${rows / 1e6}M rows (2nd pass)`, worstP99, 'ms', '<= 10', {
      name: 'raw SQLite lookup p99',
      value: pct(
        rawLookups.sort((a, b) => a - b),
        99,
      ),
    });
  }
  // Paging deep into one operator's history with the cursor.
  const paging: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < SEARCHES; i++) {
    const [ms, page] = await time(() =>
      store.transactions.search({ operatorNo: '07', limit: 50, ...(cursor ? { cursor } : {}) }),
    );
    paging.push(ms);
    cursor = page.nextCursor ?? undefined;
  }
  summary(`operator, next page x${SEARCHES} (cursor)`, paging);
  const summaries: number[] = [];
  for (let i = 0; i < 20; i++) {
    const d = randomDay().from;
    const day = d.toISOString().slice(0, 10);
    const [ms] = await time(() => store.transactions.dailySummary(day, { utcOffsetMinutes: 0 }));
    summaries.push(ms);
  }
  summary(
    `dailySummary (one day, ~${Math.round(rows / 730).toLocaleString('en')} rows)`,
    summaries,
  );
  const exportDir = await mkdtemp(path.join(os.tmpdir(), 'cashier-bench-export-'));
  const day = randomDay();
  const [exportMs, exported] = await time(() =>
    store.exportCsv({ out: path.join(exportDir, 'day.csv'), ...day }),
  );
  console.log(
    `exportCsv one day: ${exported.rows} rows, ${exported.bytes} bytes in ${exportMs.toFixed(1)} ms`,
  );
  await rm(exportDir, { recursive: true, force: true });
}

async function bytesPerRow(file: string, rows: number): Promise<void> {
  const db = await SqliteDb.open(file);
  const tables = await db
    .all<{ name: string; bytes: number }>(
      'SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC',
    )
    .catch(() => [] as { name: string; bytes: number }[]);
  await db.close();
  const size = (await stat(file)).size;
  console.log(
    `database ${(size / 1e6).toFixed(0)} MB = ${(size / rows).toFixed(0)} bytes per row (row + 2 chain entries + indexes)`,
  );
  if (tables.length) {
    console.log(
      `  by object: ${tables.map((t) => `${t.name} ${(t.bytes / rows).toFixed(0)}`).join(', ')} (bytes per row)`,
    );
  }
}

/**
 * verify() throughput on a real chain: generated rows, then the chain computed in JS exactly
 * as begin()/complete() would have written it.
 */
async function verifyThroughput(dir: string, rows: number): Promise<void> {
  console.log(`\n## verify() on a real chain of ${rows.toLocaleString('en')} rows`);
  const file = await fill(dir, rows);
  const db = await SqliteDb.open(file);
  await db.exec('PRAGMA synchronous = OFF; BEGIN; DELETE FROM tx_chain;');
  const insert = await db.exclusive((c) =>
    c.prepare('INSERT INTO tx_chain (seq, tx_id, kind, at, hash) VALUES (?, ?, ?, ?, ?)'),
  );
  let prev: Buffer = GENESIS_HASH;
  let seq = 0;
  let after = 0;
  const t0 = performance.now();
  for (;;) {
    const page = await db.all<{
      id: number;
      created_at: number;
      completed_at: number | null;
      b: string;
      c: string;
    }>(
      `SELECT t.id, t.created_at, t.completed_at, ${CONTENT_SQL.begin} AS b, ${CONTENT_SQL.complete} AS c
       FROM transactions t WHERE t.id > ? ORDER BY t.id LIMIT 5000`,
      [after],
    );
    if (page.length === 0) break;
    for (const row of page) {
      const entries: [number, number, string][] = [[CHAIN_KINDS.begin, row.created_at, row.b]];
      if (row.completed_at !== null) entries.push([CHAIN_KINDS.complete, row.completed_at, row.c]);
      for (const [kind, at, content] of entries) {
        seq++;
        prev = chainHash(prev, { seq, txId: row.id, kind, at }, content);
        await insert.run([seq, row.id, kind, at, prev]);
      }
    }
    after = page[page.length - 1]!.id;
  }
  await insert.finalize();
  await db.run(
    "INSERT INTO chain_head (name, seq, hash) VALUES ('tx', ?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    [seq, prev],
  );
  await db.exec('UPDATE transactions SET printed_count = 0; COMMIT;');
  await db.close();
  console.log(
    `chained ${seq.toLocaleString('en')} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const store = await openStore(path.dirname(file), { fileName: path.basename(file) });
  const [ms, report] = await time(() => store.transactions.verify({ full: true }));
  await store.close();
  recordFigure('log verify --full, chain walk', report.entries / (ms / 1000), 'entries/s');
  console.log(
    `verify(): ${report.entries.toLocaleString('en')} entries in ${(ms / 1000).toFixed(2)} s = ${Math.round(report.entries / (ms / 1000)).toLocaleString('en')} entries/s, ok=${report.ok}${report.ok ? '' : ` (${report.problemCount} problems)`}`,
  );
  await rm(file, { force: true });
}

/**
 * `log verify`'s daily run at this size: a day's inquiries (rows / 730) chained for real after
 * a signed checkpoint, then verify from it (quick_check included, as the CLI runs it). The
 * generated history before the checkpoint has random hashes: the daily run never reads it,
 * which is the point; the full walk's speed is measured on a real chain (verifyThroughput).
 */
async function dailyVerify(file: string, rows: number): Promise<void> {
  const day = Math.max(1000, Math.round(rows / 730));
  const db = await SqliteDb.open(file);
  const head = (await db.get<{ seq: number; hash: Buffer }>(
    "SELECT seq, hash FROM chain_head WHERE name = 'tx'",
  ))!;
  // The entry at the checkpoint: the head as filled (its hash is random, like all before it).
  await db.run('UPDATE tx_chain SET hash = ? WHERE seq = ?', [head.hash, head.seq]);
  const lastBegin = (await db.get<{ id: number }>('SELECT MAX(id) AS id FROM transactions'))!.id;
  const upTo = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM transactions'))!.n;
  await db.close();
  await writeCheckpoint(
    file,
    'tx',
    {
      seq: head.seq,
      hash: head.hash.toString('hex'),
      marks: { lastBeginTx: lastBegin, rowsUpTo: upTo },
    },
    new Date(),
  );
  const store = await openStore(path.dirname(file), { fileName: path.basename(file) });
  await inquiryWrites(store, day);
  const [quickMs, quick] = await time(() => store.integrityCheck({ quick: true }));
  const [ms, report] = await time(() => store.transactions.verify());
  await store.close();
  console.log(
    `daily log verify at ${rows.toLocaleString('en')} rows: quick_check ${(quickMs / 1000).toFixed(2)} s (${quick.join()}), ` +
      `chain from the checkpoint ${report.entries.toLocaleString('en')} entries in ${(ms / 1000).toFixed(2)} s (${report.mode}, ok=${report.ok})`,
  );
  if (rows >= 10_000_000) {
    recordFigure(`log verify (daily) at ${rows / 1e6}M rows`, (quickMs + ms) / 1000, 's', '<= 10');
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cashier-bench-store-'));
  console.log(`# store bench (${os.cpus().length} CPUs, schema ${MIGRATIONS.length}, temp ${dir})`);
  try {
    await insertLatency(dir);
    if (VERIFY_ROWS > 0) await verifyThroughput(dir, VERIFY_ROWS);
    for (const rows of SIZES) {
      console.log(`\n## ${rows.toLocaleString('en')} rows`);
      const file = await fill(dir, rows);
      await bytesPerRow(file, rows);
      const store = await openStore(path.dirname(file), { fileName: path.basename(file) });
      await searchLatency(store, rows);
      // Against a fresh file written in the same minutes, in alternating rounds: the disk is
      // still writing back the fill, which slows every fsync alike, whatever the file's size.
      const fresh = await openStore(dir, { fileName: `fresh-${rows}.sqlite` });
      const atSize: number[] = [];
      const freshNow: number[] = [];
      for (let round = 0; round < 6; round++) {
        atSize.push(...(await inquiryWrites(store, 50)));
        freshNow.push(...(await inquiryWrites(fresh, 50)));
      }
      await fresh.close();
      atSize.sort((a, b) => a - b);
      freshNow.sort((a, b) => a - b);
      summary(`begin + complete at ${rows.toLocaleString('en')} rows`, atSize);
      summary('begin + complete on a fresh file, same rounds', freshNow);
      const growth = pct(atSize, 50) / pct(freshNow, 50);
      console.log(
        `  per-inquiry cost at ${rows.toLocaleString('en')} rows / fresh file: ${growth.toFixed(2)}x` +
          ` (against the fresh file of the start: ${(pct(atSize, 50) / freshInquiryP50).toFixed(2)}x)`,
      );
      if (rows >= 10_000_000) {
        recordFigure(
          `log writes per inquiry at ${rows / 1e6}M rows / fresh file`,
          growth,
          'x',
          '<= 1.2',
        );
      }
      await store.close();
      await dailyVerify(file, rows);
      await rm(file, { force: true });
      await rm(`${file}-wal`, { force: true });
      await rm(`${file}-shm`, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
