// The files the store keeps beside its database: their modes (private to the user on POSIX,
// ../system/file-modes.ts) and the set-up marker that says "this folder already holds a log"
// (see README.md).
import { constants } from 'node:fs';
import { access, lstat, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  PRIVATE_FILE_MODE,
  makePrivateDir as makeDir,
  tightenMode,
  writeFileAtomic,
} from '../system';
import { StoreError, storeErrorFrom } from './errors';

// core/config.ts and core/data-dir.ts still take these from here; once they import
// ../system themselves, this line goes.

/** SQLite's companion files of a database in WAL (or rollback journal) mode. */
export function companionFiles(dbFile: string): string[] {
  return [`${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`];
}

/** The marker written when a database is first created (or first opened by this version). */
export function setupMarkerFile(dbFile: string): string {
  return `${dbFile}.setup.json`;
}

/**
 * Creates `dir` (and missing parents) as a private folder; failures as a StoreError. An
 * existing folder is left as it is here: the store is also pointed at copies on USB sticks or
 * in shared folders (`--db FILE`), whose modes are not its business. The data folder itself is
 * tightened at start by the core (core/data-dir.ts).
 */
export async function makePrivateDir(dir: string): Promise<void> {
  try {
    await makeDir(dir);
  } catch (err) {
    throw storeErrorFrom(err, dir);
  }
}

/** Tightens the database and the files SQLite and the store keep beside it. */
export async function tightenDatabaseFiles(dbFile: string): Promise<void> {
  for (const f of [dbFile, ...companionFiles(dbFile), setupMarkerFile(dbFile)]) {
    await tightenMode(f);
  }
}

/** Creates an empty private file (mode 0600 from the start, so no window where others can
 *  read it); SQLite then gives its -wal and -shm files the same mode. Existing: left alone. */
export async function createPrivateFile(file: string): Promise<void> {
  try {
    const handle = await open(file, 'wx', PRIVATE_FILE_MODE);
    await handle.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw storeErrorFrom(err, file);
  }
}

export interface SetupMarker {
  database: string;
  setUpAt: string;
}

/** Writes the set-up marker once (atomically, private). Returns false if it already existed. */
export async function writeSetupMarker(dbFile: string, at: Date): Promise<boolean> {
  const marker = setupMarkerFile(dbFile);
  const content: SetupMarker & { about: string } = {
    about:
      'Cashier Console: this folder holds the console log. Without this file a missing database would be started afresh; do not delete it. / 收银台：此文件夹保存收银台的记录；缺少此文件时丢失的数据库会被重新创建，请勿删除。',
    database: path.basename(dbFile),
    setUpAt: at.toISOString(),
  };
  try {
    const { written } = await writeFileAtomic(marker, `${JSON.stringify(content, null, 2)}\n`, {
      overwrite: false,
    });
    return written;
  } catch (err) {
    throw storeErrorFrom(err, marker);
  }
}

export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw storeErrorFrom(err, p);
  }
}

/** Whether the marker says this database was set up; an unreadable marker counts as set up. */
export async function wasSetUp(dbFile: string): Promise<boolean> {
  const marker = setupMarkerFile(dbFile);
  try {
    await readFile(marker, 'utf8');
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    return true;
  }
}

/**
 * Checks before opening that this user can use the folder and the file, so a read-only disk,
 * a folder of another user or a full disk is named as such (and not as "cannot open").
 */
export async function checkAccess(dbFile: string, write: boolean): Promise<void> {
  const dir = path.dirname(dbFile);
  const rw = constants.R_OK | (write ? constants.W_OK : 0);
  try {
    await access(dir, rw | constants.X_OK);
  } catch (err) {
    throw storeErrorFrom(err, dir);
  }
  try {
    await access(dbFile, rw);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw storeErrorFrom(err, dbFile);
  }
}

/**
 * The refusal for a set-up folder whose database is missing, empty or unreadable: the console
 * must not start a new, empty log there (the old one would be silently gone).
 */
export function databaseMissing(dbFile: string, state: 'missing' | 'empty'): StoreError {
  const marker = setupMarkerFile(dbFile);
  return new StoreError(
    'DATABASE_MISSING',
    { file: dbFile, db: path.basename(dbFile), marker: path.basename(marker), state },
    { details: { file: dbFile, marker, state } },
  );
}
