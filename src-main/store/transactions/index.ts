// The transaction log: one row per inquiry attempt, written BEFORE the host exchange
// (outcome 'unknown') and completed after it, so a crash mid-inquiry leaves a row saying
// "outcome unknown", never nothing. Every write appends an entry to a hash chain (tx_chain);
// see README.md for how begin, completion and reprints fit into it.
//   types.ts   the API and its values        rows.ts    the row as SQLite has it
//   write.ts   begin / complete / reprint    read.ts    get, search, daily summary, scan
//   chain.ts   the rows' chain entries       verify.ts  the chain walk of `log verify`
import type { SqliteDb } from '../sqlite';
import { transactionReader } from './read';
import type { TransactionsApi } from './types';
import { verifyChain } from './verify';
import { transactionWriter } from './write';

export * from './types';

export function createTransactionsApi(db: SqliteDb, now: () => Date): TransactionsApi {
  return {
    ...transactionWriter(db, now),
    ...transactionReader(db),
    verify: (opts) => verifyChain(db, opts),
  };
}
