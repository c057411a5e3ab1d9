// The one hash chain behind both logs that must show tampering: the audit trail (audit.ts, one
// entry per audit row, seq = the row id) and the transaction log (transactions/chain.ts, one
// tx_chain entry per begin, completion and reprint). An entry's hash covers the previous
// entry's hash and the entry itself, so an edited entry no longer follows from its predecessor
// and a deleted one leaves a gap in the sequence numbers (README.md, "hash chain").
//
//   hash = sha256(previous hash ‖ UTF-8 of the JSON array [seq, value, value, …])
//
// starting from 32 zero bytes; values are written as JSON without spaces, except JsonText,
// which already is JSON (SQLite's json_array() of a row) and goes in as it is. Both logs on disk
// were written with exactly this form, so their existing entries verify unchanged.
import { createHash } from 'node:crypto';

/** The "previous hash" of the first entry: 32 zero bytes. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** Text that already is JSON, hashed as it is (not quoted again). */
export class JsonText {
  constructor(readonly json: string) {}
}

export type ChainValue = number | string | null | JsonText;

/** An entry's place in its chain: its sequence number (1, 2, …) and hash. */
export interface ChainLink {
  seq: number;
  hash: Buffer;
}

function json(value: ChainValue): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return value instanceof JsonText ? value.json : JSON.stringify(value);
}

/** The hash of entry `seq` holding `values`, after an entry whose hash is `prev`. */
export function entryHash(prev: Buffer, seq: number, values: readonly ChainValue[]): Buffer {
  let text = `[${seq}`;
  for (const value of values) text += `,${json(value)}`;
  return createHash('sha256').update(prev).update(`${text}]`, 'utf8').digest();
}

/** The entry that follows `head` (undefined: the chain is empty) and holds `values`. */
export function nextLink(head: ChainLink | undefined, values: readonly ChainValue[]): ChainLink {
  const seq = (head?.seq ?? 0) + 1;
  return { seq, hash: entryHash(head?.hash ?? GENESIS_HASH, seq, values) };
}

/** What one entry says about the chain, as ChainWalker.check() sees it. */
export interface EntryCheck {
  /** Sequence numbers missing right before this entry (entries deleted), or null. */
  missing: { from: number; to: number } | null;
  /**
   * The entry no longer follows from its values and its predecessor's hash. Never set right
   * after a gap: the predecessor is gone, so a mismatch there proves nothing.
   */
  edited: boolean;
}

/** Verifies a chain entry by entry, fed in sequence order. */
export class ChainWalker {
  private prev: Buffer = GENESIS_HASH;
  private expected = 1;
  private lastSeq = 0;

  /** `from`: start after this entry (a verified checkpoint) instead of the chain's start. */
  constructor(from?: ChainLink) {
    if (from) {
      this.prev = from.hash;
      this.expected = from.seq + 1;
      this.lastSeq = from.seq;
    }
  }

  /**
   * Checks the next stored entry against the one before it. `values` undefined: what the entry
   * covered is gone (e.g. its row was deleted), so only its place in the sequence is checked.
   */
  check(seq: number, hash: Buffer, values: readonly ChainValue[] | undefined): EntryCheck {
    const missing = seq === this.expected ? null : { from: this.expected, to: seq - 1 };
    const edited =
      missing === null && values !== undefined && !entryHash(this.prev, seq, values).equals(hash);
    this.prev = hash;
    this.expected = seq + 1;
    this.lastSeq = seq;
    return { missing, edited };
  }

  /** The last entry walked (seq 0 and the genesis hash before any). */
  get last(): ChainLink {
    return { seq: this.lastSeq, hash: this.prev };
  }

  /**
   * Whether a separately kept head (tx: the chain_head row) names the last entry walked; false
   * when the newest entries were cut off.
   */
  endsAt(head: ChainLink | undefined): boolean {
    return (head?.seq ?? 0) === this.lastSeq && (!head || head.hash.equals(this.prev));
  }
}
