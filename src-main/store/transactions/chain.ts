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

/**
 * What each chain entry covers, as SQLite's json_array() of the row's columns. The same SQL
 * expression produces the content when the entry is written and when it is verified, so the
 * canonical form cannot drift between JS and SQLite; and verify() fetches one text column per
 * entry instead of two dozen, which makes it several times faster.
 */
export const CONTENT_SQL = {
  // The STAN is chained with the completion: the host client allocates it during the exchange,
  // after the begin entry was written.
  begin: `json_array(t.id, t.created_at, t.operator_id, t.operator_no, t.account_kind, t.masked_account,
    t.last4, t.entry_mode, t.training)`,
  complete: `json_array(t.id, t.outcome, t.response_code, t.response_class, t.rrn, t.ledger_fen,
    t.available_fen, t.currency, t.duration_ms, t.error_code, t.error_message, t.completed_at, t.stan)`,
  print: 'json_array(t.id)',
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

/** Appends the entry for a write to row `txId`, inside the caller's transaction. */
export async function appendChainEntry(
  conn: SqlConn,
  txId: number,
  kind: ChainKind,
  at: number,
): Promise<void> {
  // The row's content and the chain head in one read; kept statements (sqlite.ts).
  const read = await conn.statement(APPEND_READ_SQL[kind]);
  const { content, seq, hash } = (await read.get<{
    content: string;
    seq: number | null;
    hash: Buffer | null;
  }>([txId]))!;
  const head = seq === null || hash === null ? undefined : { seq, hash };
  const link = nextLink(head, chainValues(txId, kind, at, content));
  const insert = await conn.statement(
    'INSERT INTO tx_chain (seq, tx_id, kind, at, hash) VALUES (?, ?, ?, ?, ?)',
  );
  await insert.run([link.seq, txId, kind, at, link.hash]);
  const upsert = await conn.statement(
    "INSERT INTO chain_head (name, seq, hash) VALUES ('tx', ?, ?) ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
  );
  await upsert.run([link.seq, link.hash]);
}

const APPEND_READ_SQL = Object.fromEntries(
  Object.entries(PART_NAMES).map(([kind, part]) => [
    kind,
    `SELECT ${CONTENT_SQL[part]} AS content, h.seq AS seq, h.hash AS hash
       FROM transactions t LEFT JOIN chain_head h ON h.name = 'tx' WHERE t.id = ?`,
  ]),
) as Record<ChainKind, string>;
