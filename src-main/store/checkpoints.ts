// Signed verification checkpoints: where the last clean `log verify` ended in each hash chain,
// so the daily verify walks only what is new. A chain of plain SHA-256 links can be recomputed
// by anyone who edits the database (the algorithm is public), so a checkpoint is only worth
// something if it cannot be rewritten with it: it is an HMAC-SHA-256 over the chain position,
// with a key kept OUTSIDE the database, and both live beside the database file:
//
//   cashier.sqlite.verified.json   { version, chains: { tx: { seq, hash, ... } }, at, mac }
//   cashier.sqlite.verify-key      32 random bytes, 0600
//
// Against someone who can edit the database file (an SQLite editor, a doctored backup put back,
// a copy carried off and returned), rewriting the chain before the checkpoint changes the hash
// at its position, and a checkpoint moved to match needs the key: both are reported. Against
// someone who can also read the console's own files (the same OS account), nothing kept on this
// PC helps (README.md, "Verifying the log"). One module per concept: other chains (the audit
// trail) add their own entry under `chains`.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../system';

/** Where one chain's last clean verification ended. */
export interface ChainCheckpoint {
  /** The last entry verified, and its hash (hex). */
  seq: number;
  hash: string;
  /** Chain-specific counters the next verify starts from (e.g. the last row id begun). */
  marks: Record<string, number>;
}

export interface CheckpointFile {
  version: 1;
  /** ISO 8601 time of the verification that wrote it. */
  at: string;
  chains: Record<string, ChainCheckpoint>;
}

/** What was found beside the database. */
export type CheckpointState =
  | { kind: 'none' }
  | { kind: 'valid'; file: CheckpointFile }
  /** The file is there but its MAC does not match (edited), or the key is gone. */
  | { kind: 'invalid'; reason: 'mac' | 'unreadable' | 'no-key' }
  /** The key exists (a checkpoint was written once) but the checkpoint file is gone. */
  | { kind: 'missing' };

export const checkpointFileOf = (dbFile: string): string => `${dbFile}.verified.json`;
export const checkpointKeyFileOf = (dbFile: string): string => `${dbFile}.verify-key`;

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The canonical text the MAC covers: the JSON of the file without its mac. */
function signedText(file: CheckpointFile): string {
  const chains = Object.keys(file.chains)
    .sort()
    .map((name) => {
      const c = file.chains[name]!;
      const marks = Object.keys(c.marks)
        .sort()
        .map((k) => [k, c.marks[k]]);
      return [name, c.seq, c.hash, marks];
    });
  return JSON.stringify([file.version, file.at, chains]);
}

function mac(key: Buffer, file: CheckpointFile): Buffer {
  return createHmac('sha256', key).update(signedText(file), 'utf8').digest();
}

export async function readCheckpoint(dbFile: string): Promise<CheckpointState> {
  const key = await readOptional(checkpointKeyFileOf(dbFile));
  const raw = await readOptional(checkpointFileOf(dbFile));
  if (!raw) return key ? { kind: 'missing' } : { kind: 'none' };
  if (!key) return { kind: 'invalid', reason: 'no-key' };
  let parsed: CheckpointFile & { mac?: unknown };
  try {
    parsed = JSON.parse(raw.toString('utf8')) as CheckpointFile & { mac?: unknown };
    if (
      parsed.version !== 1 ||
      typeof parsed.mac !== 'string' ||
      typeof parsed.chains !== 'object'
    ) {
      return { kind: 'invalid', reason: 'unreadable' };
    }
  } catch {
    return { kind: 'invalid', reason: 'unreadable' };
  }
  const { mac: given, ...file } = parsed;
  const expected = mac(key, file);
  const actual = Buffer.from(given as string, 'hex');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { kind: 'invalid', reason: 'mac' };
  }
  return { kind: 'valid', file };
}

/**
 * Records `chain`'s position after a clean verification (other chains' entries are kept when
 * the file they are in is valid). Creates the key on first use.
 */
export async function writeCheckpoint(
  dbFile: string,
  chain: string,
  checkpoint: ChainCheckpoint,
  at: Date,
): Promise<void> {
  const keyFile = checkpointKeyFileOf(dbFile);
  let key = await readOptional(keyFile);
  if (!key || key.length < 32) {
    key = randomBytes(32);
    await writeFileAtomic(keyFile, key);
  }
  const current = await readCheckpoint(dbFile);
  const chains = current.kind === 'valid' ? { ...current.file.chains } : {};
  chains[chain] = checkpoint;
  const file: CheckpointFile = { version: 1, at: at.toISOString(), chains };
  const text = JSON.stringify({ ...file, mac: mac(key, file).toString('hex') }, null, 2);
  await writeFileAtomic(checkpointFileOf(dbFile), `${text}\n`);
}
