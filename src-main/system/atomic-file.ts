// Writes a file so that a crash or a full disk leaves either the old content or the new, never
// half of it: a temporary file beside it (created exclusively, private by default), written and
// fsynced, renamed over the target, then the folder fsynced (best effort: not every platform
// can). On any failure the temporary file is removed and the target is untouched.
// The one implementation for the console's own files (config.json, keys, trace numbers, the
// store's set-up marker) and for exports; the sync form is for callers that cannot await.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { lstat, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from './file-modes';

export interface AtomicWriteOptions {
  /** Mode of a new file (default 0o600, private; the umask still applies). */
  mode?: number;
  /** false: leave an existing file as it is and answer `written: false` (default true). */
  overwrite?: boolean;
}

export interface AtomicWriteResult {
  /** false only with `overwrite: false` when the file was already there. */
  written: boolean;
  bytes: number;
}

/** Text (UTF-8) or bytes; or a producer that writes chunks in turn (large exports). */
export type AtomicContent =
  string | Uint8Array | ((write: (chunk: string | Uint8Array) => Promise<void>) => Promise<void>);

/** `<file>.<pid>.<random>.part`: in the same folder (a rename cannot cross file systems). */
function temporaryName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
}

function bytesOf(chunk: string | Uint8Array): Uint8Array {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function existsAsync(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export async function writeFileAtomic(
  file: string,
  content: AtomicContent,
  opts: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const temp = temporaryName(file);
  const handle = await open(temp, 'wx', opts.mode ?? PRIVATE_FILE_MODE);
  let bytes = 0;
  let closed = false;
  try {
    const write = async (chunk: string | Uint8Array): Promise<void> => {
      const data = bytesOf(chunk);
      for (let at = 0; at < data.length;) {
        at += (await handle.write(data, at, data.length - at)).bytesWritten;
      }
      bytes += data.length;
    };
    if (typeof content === 'function') await content(write);
    else await write(content);
    await handle.sync();
    closed = true;
    await handle.close();
    if (opts.overwrite === false && (await existsAsync(file))) {
      await rm(temp, { force: true });
      return { written: false, bytes: 0 };
    }
    await rename(temp, file);
  } catch (err) {
    if (!closed) await handle.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(path.dirname(file));
  return { written: true, bytes };
}

export function writeFileAtomicSync(
  file: string,
  content: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): AtomicWriteResult {
  const temp = temporaryName(file);
  const fd = openSync(temp, 'wx', opts.mode ?? PRIVATE_FILE_MODE);
  const data = bytesOf(content);
  let closed = false;
  try {
    for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
    fsyncSync(fd);
    closed = true;
    closeSync(fd);
    if (opts.overwrite === false && exists(file)) {
      rmSync(temp, { force: true });
      return { written: false, bytes: 0 };
    }
    renameSync(temp, file);
  } catch (err) {
    if (!closed) {
      try {
        closeSync(fd);
      } catch {
        // Already failing: the first error is the one to report.
      }
    }
    rmSync(temp, { force: true });
    throw err;
  }
  syncFolderSync(path.dirname(file));
  return { written: true, bytes: data.length };
}

/** Makes the rename itself durable. Folders cannot be fsynced everywhere (Windows): best effort. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename is still atomic.
  }
}

function syncFolderSync(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The rename is still atomic.
  }
}

/** A file written and fsynced beside its target, waiting to be renamed into place. */
export interface StagedFile {
  /**
   * Renames it over the target now, synchronously (so nothing written later can be overtaken by
   * it), then makes the rename durable; resolves once it is.
   */
  commit(): Promise<void>;
  /** Removes it; the target stays as it is. */
  discard(): void;
}

/**
 * The slow half of an atomic write done ahead, off the event loop (writing and fsyncing the
 * temporary file); the caller decides with `commit()` or `discard()` once it is done whether the
 * content is still the newest. For the trace-number lease (host/terminal-state.ts).
 */
export async function stageFileAtomic(
  file: string,
  content: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<StagedFile> {
  const temp = temporaryName(file);
  const handle = await open(temp, 'wx', opts.mode ?? PRIVATE_FILE_MODE);
  try {
    const data = bytesOf(content);
    for (let at = 0; at < data.length;) {
      at += (await handle.write(data, at, data.length - at)).bytesWritten;
    }
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await handle.close();
  return {
    commit: () => {
      try {
        renameSync(temp, file);
      } catch (err) {
        rmSync(temp, { force: true });
        return Promise.reject(err);
      }
      return syncFolder(path.dirname(file));
    },
    discard: () => rmSync(temp, { force: true }),
  };
}
