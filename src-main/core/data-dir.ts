// Where the terminal keeps its config, database and keys. Both shells use this, so the
// Electron window and the browser shell on the same PC share one data folder.
import os from 'node:os';
import path from 'node:path';
import { makePrivateDir, tightenMode } from '../system';

export const APP_DIR_NAME = 'cashier-console';

/** The terminal's configuration in the data folder (config.ts). */
export const CONFIG_FILE_NAME = 'config.json';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.CASHIER_DATA_DIR) return path.resolve(env.CASHIER_DATA_DIR);
  if (platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  }
  if (platform === 'darwin') {
    return path.join(os.homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  }
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), APP_DIR_NAME);
}

/**
 * Creates the data folder private to the user who runs the console (0700 on POSIX), and
 * tightens an existing one to that (removing group and other permissions; folders with the
 * sticky bit, such as /tmp, and folders of other users are left alone). On Windows the folder
 * under %APPDATA% is already per-user; see the README's Security section for shared accounts.
 */
export async function ensureDataDir(dir: string): Promise<void> {
  await makePrivateDir(dir);
  await tightenMode(dir);
}
