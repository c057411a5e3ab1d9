// Files and folders private to the user who runs the console (POSIX modes; on Windows the
// per-user profile folders already are).
import { lstat, chmod, mkdir } from 'node:fs/promises';

/** Folders: only the user who runs the console may list or enter them. */
export const PRIVATE_DIR_MODE = 0o700;
/** Files: only that user may read or write them. */
export const PRIVATE_FILE_MODE = 0o600;

const POSIX = process.platform !== 'win32';

/**
 * Creates `dir` (and missing parents) as a private folder. An existing folder is left as it is
 * (use tightenMode for that). Errors are the file system's own.
 */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Removes group and other permissions from a file or folder (never adds any: a read-only
 * file stays read-only). POSIX only; skips symbolic links, folders with the sticky bit (such
 * as /tmp) and anything owned by another user. Best effort: a failure leaves the mode as it was.
 */
export async function tightenMode(p: string): Promise<void> {
  if (!POSIX) return;
  try {
    const st = await lstat(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory() && (st.mode & 0o1000) !== 0) return;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return;
    const keep = st.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    const mode = st.mode & 0o7777;
    if ((mode & ~keep) !== 0) await chmod(p, mode & keep);
  } catch {
    // Missing, or not ours to change: the callers' access checks report what matters.
  }
}
