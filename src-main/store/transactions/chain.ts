// The transaction log's entries in the store's hash chain (../hash-chain.ts): every write to a
// row appends one tx_chain entry in the same SQLite transaction, and chain_head ('tx') keeps the
// newest (seq, hash). See README.md for why the chain is a list of events, not the rows.
import { JsonText, entryHash, nextLink, type ChainLink, type ChainValue } from '../hash-chain';
import type { SqlConn } from '../sqlite';

/** Chain entry kinds as stored in tx_chain.kind. */
export const CHAIN_KINDS = { begin: 1, complete: 2, print: 3 } as const;
export type ChainKind = (typeof CHAIN_KINDS)[keyof typeof CHAIN_KINDS];
export type ChainPart = keyof typeof CHAIN_KINDS;
export const PART_NAMES: Record<ChainKind, ChainPart> = { 1: 'begin', 2: 'complete', 3: 'print' };

/** The row's columns each chain entry covers. The STAN is chained with the completion: the host
 *  client allocates it during the exchange, after the begin entry was written. */
const CONTENT_COLUMNS = {
  begin: [
    'id',
    'created_at',
    'operator_id',
    'operator_no',
    'account_kind',
    'masked_account',
    'last4',
    'entry_mode',
    'training',
  ],
  complete: [
    'id',
    'outcome',
    'response_code',
    'response_class',
    'rrn',
    'ledger_fen',
    'available_fen',
    'currency',
    'duration_ms',
    'error_code',
    'error_message',
    'completed_at',
    'stan',
  ],
  print: ['id'],
} as const;

/**
 * What a chain entry covers, as SQLite's json_array() of the row's columns, the row named
 * `table` (the reads' alias, or `transactions` in a write's RETURNING clause: chainReturning).
 * The same SQL expression produces the content when the entry is written and when it is
 * verified, so the canonical form cannot drift between JS and SQLite; and verify() fetches one
 * text column per entry instead of two dozen, which makes it several times faster.
 */
function contentSql(part: ChainPart, table: string): string {
  return `json_array(${CONTENT_COLUMNS[part].map((column) => `${table}.${column}`).join(', ')})`;
}

/** contentSql() of the row aliased `t`, as the reads (verify, checkpoints) join it. */
export const CONTENT_SQL = {
  begin: contentSql('begin', 't'),
  complete: contentSql('complete', 't'),
  print: contentSql('print', 't'),
} as const;

/** CONTENT_SQL picked by the entry's kind (`c` is the tx_chain row, `t` the transaction). */
export const CONTENT_BY_KIND_SQL = `CASE c.kind WHEN ${CHAIN_KINDS.begin} THEN ${CONTENT_SQL.begin}
  WHEN ${CHAIN_KINDS.complete} THEN ${CONTENT_SQL.complete} ELSE ${CONTENT_SQL.print} END`;

/** What a tx_chain entry covers after its seq: `[seq, tx_id, kind, at, content]`. */
export function chainValues(
  txId: number,
  kind: number,
  at: number,
  contentJson: string,
): ChainValue[] {
  return [txId, kind, at, new JsonText(contentJson)];
}

/** The hash of one tx_chain entry (the store bench rebuilds a chain with it). */
export function chainHash(
  prev: Buffer,
  entry: { seq: number; txId: number; kind: number; at: number },
  contentJson: string,
): Buffer {
  return entryHash(prev, entry.seq, chainValues(entry.txId, entry.kind, entry.at, contentJson));
}

/** The newest entry as chain_head records it; undefined for an empty chain. */
export function readChainHead(conn: SqlConn): Promise<ChainLink | undefined> {
  return conn.get<ChainLink>("SELECT seq, hash FROM chain_head WHERE name = 'tx'");
}

/**
 * The columns a write's RETURNING clause gives for its chain entry: the row's content
 * (`content`) and the chain head (`seq`, `hash`; NULL when the chain is empty). RETURNING takes
 * no alias, so the row is named by its table.
 */
export function chainReturning(part: ChainPart): string {
  return `${contentSql(part, 'transactions')} AS content,
    (SELECT seq FROM chain_head WHERE name = 'tx') AS seq,
    (SELECT hash FROM chain_head WHERE name = 'tx') AS hash`;
}

/** What chainReturning() gives back. */
export interface ChainRead {
  content: string;
  seq: number | null;
  hash: Buffer | null;
}

/** Appends the entry for a write to row `txId`, inside the caller's transaction, from what the
 *  write's own RETURNING clause (chainReturning) gave back. */
export async function appendChainEntry(
  conn: SqlConn,
  txId: number,
  kind: ChainKind,
  at: number,
  { content, seq, hash }: ChainRead,
): Promise<void> {
  const head = seq === null || hash === null ? undefined : { seq, hash };
  const link = nextLink(head, chainValues(txId, kind, at, content));
  // Kept statements (sqlite.ts).
  const insert = await conn.statement(
    'INSERT INTO tx_chain (seq, tx_id, kind, at, hash) VALUES (?, ?, ?, ?, ?)',
  );
  await insert.run([link.seq, txId, kind, at, link.hash]);
  const upsert = await conn.statement(
    "INSERT INTO chain_head (name, seq, hash) VALUES ('tx', ?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
  );
  await upsert.run([link.seq, link.hash]);
}
