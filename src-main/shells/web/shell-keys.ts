// What lets a browser in, and what it keeps (the web shell checks; this module decides):
// - the cookie's value: a per-install secret kept in the data folder (0600), so that a tab that
//   is open while the console restarts, or reloads afterwards, is let in again by itself; it is
//   never printed or put in an address;
// - the start-up token printed for kiosks (`?token=`), new at every start, as before;
// - one-time launch codes for the app window: each opens the console once, then is spent.
// Without a data folder (tests) the cookie carries the start-up token, as before.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { tightenMode, writeFileAtomic } from '../../system';

export interface ShellKeys {
  /** The value of the HttpOnly cookie every request and the WebSocket must carry. */
  readonly cookieValue: string;
  /** The start-up token: printed in the kiosk address, valid until the console stops. */
  readonly startToken: string;
  /** Whether a `?token=` value opens the console: the start-up token, or an unspent launch
   *  code (spent by this call). */
  accepts(token: string): boolean;
  /** A new launch code: opens the console once within `LAUNCH_CODE_TTL_MS`. */
  launchCode(onSpent?: () => void): string;
}

/** A launch code not used by then is void (the window opens within seconds). */
export const LAUNCH_CODE_TTL_MS = 5 * 60_000;

/** The file in the data folder that keeps the install secret and the port last used. */
export const SHELL_STATE_FILE = 'browser-shell.json';

const token = () => randomBytes(24).toString('base64url');

export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Keys for one run. `cookieValue` defaults to the start-up token (no data folder). */
export function shellKeys(options: { startToken?: string; cookieValue?: string } = {}): ShellKeys {
  const startToken = options.startToken ?? token();
  const cookieValue = options.cookieValue ?? startToken;
  const codes = new Map<string, { expires: number; onSpent: (() => void) | undefined }>();
  return {
    cookieValue,
    startToken,
    accepts(value) {
      if (sameSecret(value, startToken)) return true;
      for (const [code, { expires, onSpent }] of codes) {
        if (!sameSecret(value, code)) continue;
        codes.delete(code);
        if (Date.now() > expires) return false;
        onSpent?.();
        return true;
      }
      return false;
    },
    launchCode(onSpent) {
      const code = token();
      codes.set(code, { expires: Date.now() + LAUNCH_CODE_TTL_MS, onSpent });
      return code;
    },
  };
}

export interface ShellState {
  /** The per-install secret (base64url, 32 bytes). */
  secret: string;
  /** The port of the last start, tried first at the next one (0: none yet). */
  port: number;
}

function parseState(text: string): ShellState | undefined {
  try {
    const value = JSON.parse(text) as Partial<ShellState>;
    if (typeof value.secret !== 'string' || !/^[\w-]{43}$/.test(value.secret)) return undefined;
    const port =
      Number.isInteger(value.port) && value.port! > 0 && value.port! <= 65535 ? value.port! : 0;
    return { secret: value.secret, port };
  } catch {
    return undefined;
  }
}

/** The data folder's shell state; made (0600) on first use. A damaged file is replaced: the
 *  only loss is that open tabs must be opened again from the app window or the address. */
export async function loadShellState(dataDir: string): Promise<ShellState> {
  const file = path.join(dataDir, SHELL_STATE_FILE);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const found = text === undefined ? undefined : parseState(text);
  if (found) {
    await tightenMode(file);
    return found;
  }
  const state = { secret: randomBytes(32).toString('base64url'), port: 0 };
  await saveShellState(dataDir, state);
  return state;
}

export async function saveShellState(dataDir: string, state: ShellState): Promise<void> {
  await writeFileAtomic(path.join(dataDir, SHELL_STATE_FILE), JSON.stringify(state) + '\n');
}
