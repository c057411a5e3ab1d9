// Shared helpers for store tests: fresh temp folders with real SQLite files.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openStore, type OpenStoreOptions, type Store } from '../../../src-main/store';

/** Cheap scrypt for tests (the default costs ~50 ms per hash). */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1, keyLen: 32 };

export async function tempDir(prefix = 'cashier-store-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function freshStore(
  opts: OpenStoreOptions = {},
): Promise<{ store: Store; dir: string; cleanup: () => Promise<void> }> {
  const dir = await tempDir();
  const store = await openStore(dir, { scrypt: FAST_SCRYPT, ...opts });
  return {
    store,
    dir,
    cleanup: async () => {
      await store.close();
      await removeDir(dir);
    },
  };
}
