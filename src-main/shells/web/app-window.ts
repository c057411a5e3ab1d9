// The console in a window of its own without Electron: an installed Chromium-family browser
// (Debian's chromium, Chrome, Edge) in app mode (`--app`: no address bar, no tabs) with its own
// profile under the data folder. Its address carries a one-time launch code, spent by the
// window's first request: the command line (which other users of the PC can list) holds only
// a spent code after that, and no address need ever be typed or printed for the cashier.
// (A local page forwarding to the address would not do: a navigation started from a file://
// page does not carry the SameSite=Strict cookie through the redirect that sets it.)
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../../system';

/** Names a Chromium-family browser has on PATH (Linux, and Windows when on PATH). */
const ON_PATH = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
  'microsoft-edge-stable',
  'chrome',
  'msedge',
];

/** Where the Windows and macOS installers put them. */
function knownPlaces(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform === 'win32') {
    const roots = [env['ProgramFiles'], env['ProgramFiles(x86)'], env['LOCALAPPDATA']].filter(
      (r): r is string => !!r,
    );
    return roots.flatMap((root) => [
      path.win32.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The browser to open the app window with: `CASHIER_BROWSER` if set (a path; `none` for no
 * window), else the first Chromium-family browser on PATH or in the usual install places.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  // The file-system probe, so the Windows places can be checked on any machine.
  exists: (file: string) => boolean = isFile,
): string | undefined {
  const chosen = env['CASHIER_BROWSER'];
  if (chosen !== undefined && chosen !== '') return chosen === 'none' ? undefined : chosen;
  const exe = platform === 'win32' ? '.exe' : '';
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(path.delimiter).filter(Boolean);
  for (const name of ON_PATH) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name + exe);
      if (exists(candidate)) return candidate;
    }
  }
  return knownPlaces(env, platform).find(exists);
}

export interface AppWindow {
  readonly process: ChildProcess;
  /** Resolves with the browser's exit code when its window is closed. */
  readonly exited: Promise<number | null>;
}

export interface AppWindowOptions {
  browser: string;
  /** The address with a one-time launch code. */
  url: string;
  /** The window's own profile folder (made private). */
  profileDir: string;
  /** More browser switches (`CASHIER_BROWSER_ARGS`: tests, kiosks). */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Opens the console in an app window with its own private profile folder. */
export async function openAppWindow(options: AppWindowOptions): Promise<AppWindow> {
  await makePrivateDir(options.profileDir);
  const args = [
    `--app=${options.url}`,
    `--user-data-dir=${options.profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-features=Translate',
    '--window-size=1024,768',
    // Chromium refuses to start as root without this; a till never runs as root, a CI box may.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(options.browser, args, {
    stdio: 'ignore',
    env: options.env ?? process.env,
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return { process: child, exited };
}

/** `CASHIER_BROWSER_ARGS`, split on spaces. */
export function extraBrowserArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['CASHIER_BROWSER_ARGS'] ?? '').split(' ').filter(Boolean);
}
