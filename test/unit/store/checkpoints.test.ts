// Incremental `log verify` from signed checkpoints (src-main/store/checkpoints.ts): a clean verify
// leaves a checkpoint beside the database; the next one walks only what is new, and still
// notices an edit after the checkpoint, a chain rewritten or rows deleted before it, and a
// checkpoint that was edited or removed. `full` walks everything and catches a plain edit of an
// old row, which the daily run cannot see without reading it.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type BeginInquiry, type Store } from '../../../src-main/store';
import { checkpointFileOf, checkpointKeyFileOf } from '../../../src-main/store/checkpoints';
import { CONTENT_SQL, chainHash } from '../../../src-main/store/transactions/chain';
import { GENESIS_HASH } from '../../../src-main/store/hash-chain';
import { SqliteDb } from '../../../src-main/store/sqlite';
import { FAST_SCRYPT, removeDir, tempDir } from './helpers';

const opened: { store: Store; dir: string }[] = [];
afterEach(async () => {
  for (const { store, dir } of opened.splice(0)) {
    await store.close();
    await removeDir(dir);
  }
});

const card = (i: number): BeginInquiry => ({
  operatorId: null,
  operatorNo: '01',
  accountKind: 'card',
  maskedAccount: `622202******${1000 + i}`,
  entryMode: 'chip',
  stan: '000123',
  training: false,
});

async function addInquiries(store: Store, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const id = await store.transactions.begin(card(i));
    await store.transactions.complete(id, {
      outcome: 'approved',
      responseCode: '00',
      ledgerFen: 100,
      availableFen: 100,
      durationMs: 5,
    });
  }
}

async function setup(n: number): Promise<Store> {
  const dir = await tempDir('cashier-checkpoint-');
  const store = await openStore(dir, { scrypt: FAST_SCRYPT });
  opened.push({ store, dir });
  await addInquiries(store, n);
  return store;
}

async function tamper(store: Store, sql: string): Promise<void> {
  const raw = await SqliteDb.open(store.file);
  await raw.exec(sql);
  await raw.close();
}

/** What an attacker who knows the (public) algorithm does: recomputes every chain hash. */
async function rechain(store: Store): Promise<void> {
  const raw = await SqliteDb.open(store.file);
  const entries = await raw.all<{
    seq: number;
    tx_id: number;
    kind: number;
    at: number;
    content: string;
  }>(
    `SELECT c.seq, c.tx_id, c.kind, c.at,
       CASE c.kind WHEN 1 THEN ${CONTENT_SQL.begin} WHEN 2 THEN ${CONTENT_SQL.complete} ELSE ${CONTENT_SQL.print} END AS content
     FROM tx_chain c JOIN transactions t ON t.id = c.tx_id ORDER BY c.seq`,
  );
  let prev = GENESIS_HASH;
  for (const e of entries) {
    prev = chainHash(prev, { seq: e.seq, txId: e.tx_id, kind: e.kind, at: e.at }, e.content);
    await raw.run('UPDATE tx_chain SET hash = ? WHERE seq = ?', [prev, e.seq]);
  }
  await raw.run("UPDATE chain_head SET hash = ? WHERE name = 'tx'", [prev]);
  await raw.close();
}

const kinds = (r: { problems: { kind: string; txId?: number }[] }) =>
  r.problems.map((p) => `${p.kind}:${p.txId ?? ''}`);

describe('verify from a signed checkpoint', () => {
  it('walks only the entries after the last clean verify', async () => {
    const store = await setup(5);
    const first = await store.transactions.verify();
    expect(first).toMatchObject({ ok: true, mode: 'full', fromSeq: 0, entries: 10 });
    await addInquiries(store, 2);
    const second = await store.transactions.verify();
    expect(second).toMatchObject({
      ok: true,
      mode: 'incremental',
      fromSeq: 10,
      entries: 4,
      rows: 7,
    });
    // The key is separate from the checkpoint, both private.
    expect((await readFile(checkpointKeyFileOf(store.file))).length).toBe(32);
    const full = await store.transactions.verify({ full: true });
    expect(full).toMatchObject({ ok: true, mode: 'full', entries: 14 });
  });

  it('reports progress on the way', async () => {
    const store = await setup(3);
    const seen: { done: number; total: number }[] = [];
    await store.transactions.verify({ onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ done: 0, total: 6 });
    expect(seen.at(-1)).toEqual({ done: 6, total: 6 });
  });

  it('catches an edit after the checkpoint', async () => {
    const store = await setup(4);
    await store.transactions.verify();
    await addInquiries(store, 2);
    await tamper(store, 'UPDATE transactions SET available_fen = 99999999 WHERE id = 6');
    const report = await store.transactions.verify();
    expect(report.mode).toBe('incremental');
    expect(kinds(report)).toEqual(['edited:6']);
  });

  it('catches an edit before the checkpoint: in the daily run when the chain was rewritten to hide it, with --full always', async () => {
    const store = await setup(4);
    await store.transactions.verify();
    await addInquiries(store, 1);
    // A plain edit of an old row: only a walk over that row can see it.
    await tamper(store, 'UPDATE transactions SET available_fen = 99999999 WHERE id = 2');
    const full = await store.transactions.verify({ full: true, checkpoint: false });
    expect(kinds(full)).toEqual(['edited:2']);
    // The same edit with the chain recomputed over it, as someone who read our source would:
    // the chain is consistent again, but no longer the one the checkpoint signed.
    await rechain(store);
    const daily = await store.transactions.verify();
    expect(daily.mode).toBe('incremental');
    expect(kinds(daily)).toContain('checkpoint-mismatch:');
    const fullAgain = await store.transactions.verify({ full: true });
    expect(kinds(fullAgain)).toContain('checkpoint-mismatch:');
  });

  it('catches rows deleted before the checkpoint without walking them', async () => {
    const store = await setup(5);
    await store.transactions.verify();
    await tamper(
      store,
      'DELETE FROM transactions WHERE id = 2; DELETE FROM tx_chain WHERE tx_id = 2',
    );
    const report = await store.transactions.verify();
    expect(report.mode).toBe('incremental');
    expect(report.ok).toBe(false);
    expect(kinds(report)).toContain('deleted:');
  });

  it('detects a tampered checkpoint and walks the whole chain instead', async () => {
    const store = await setup(4);
    await store.transactions.verify();
    await addInquiries(store, 1);
    // Someone edits an old row and moves the checkpoint past it, without the key.
    await tamper(store, 'UPDATE transactions SET available_fen = 99999999 WHERE id = 1');
    const file = checkpointFileOf(store.file);
    const cp = JSON.parse(await readFile(file, 'utf8')) as { chains: { tx: { seq: number } } };
    cp.chains.tx.seq = 10;
    await writeFile(file, JSON.stringify(cp));
    const report = await store.transactions.verify();
    expect(report.mode).toBe('full');
    expect(kinds(report)).toEqual(['checkpoint-invalid:', 'edited:1']);
    expect(report.problems[0]!.messageZh).toContain('校验点');
  });

  it('reports a removed checkpoint, and a removed key', async () => {
    const store = await setup(2);
    await store.transactions.verify();
    await rm(checkpointFileOf(store.file));
    const missing = await store.transactions.verify();
    expect(missing).toMatchObject({ ok: false, mode: 'full' });
    expect(kinds(missing)).toEqual(['checkpoint-missing:']);
    // Every daily run says so (and walks everything) until a supervisor runs --full on purpose:
    // that run reports it once more and, the chain being intact, signs a new checkpoint.
    expect(kinds(await store.transactions.verify())).toEqual(['checkpoint-missing:']);
    expect(kinds(await store.transactions.verify({ full: true }))).toEqual(['checkpoint-missing:']);
    expect(await store.transactions.verify()).toMatchObject({ ok: true, mode: 'incremental' });
    // The key alone removed: the checkpoint can no longer be checked.
    await rm(checkpointKeyFileOf(store.file));
    expect(kinds(await store.transactions.verify())).toEqual(['checkpoint-invalid:']);
  });
});
