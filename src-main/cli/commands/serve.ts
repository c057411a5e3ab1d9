// `cashier serve` (browser shell on purpose) and `cashier start` (Electron window when the
// runtime is installed; otherwise the browser shell, in an app window of an installed Chromium-
// family browser when there is one, with a word on why).
//
// The shell listens and the address is printed before the console itself is loaded and opened
// (../serve-console.ts): the browser, or the app window's browser, loads the page meanwhile,
// and calls that come early wait. So this file takes in only what serving the page needs: in
// the built command it is its own small bundle (cli-serve.cjs), without the schema library.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CashierCore } from '../../core/cashier-core';
import { CONFIG_FILE_NAME, defaultDataDir, ensureDataDir } from '../../core/data-dir';
import {
  extraBrowserArgs,
  findChromium,
  openAppWindow,
  type AppWindow,
} from '../../shells/web/app-window';
import { loadShellState, saveShellState, shellKeys } from '../../shells/web/shell-keys';
import { startWebShell, type WebShell } from '../../shells/web/web-shell';
import { ELECTRON_FLAGS } from '../../../build/scripts/node-flags.mjs';
import { packageRoot, rendererDir } from '../app-paths';
import { defineCommand, integer } from '../command';

const SERVE_OPTIONS = { port: { type: 'string' }, 'data-dir': { type: 'string' } } as const;
const SERVE_HELP = [
  '--port N          a fixed port for the browser shell (default: browserShell.port in',
  '                  config.json, else the port of the last start, else any free one)',
  "--data-dir DIR    the data folder (default: the console's own)",
];

async function serve(
  flags: { port?: string | undefined; 'data-dir'?: string | undefined },
  how: { reason?: string; browser?: string | undefined } = {},
): Promise<number> {
  const dataDir = flags['data-dir'] ?? defaultDataDir();
  const flagPort = integer(flags.port, '--port', 0, 65535);
  if (!existsSync(rendererDir())) {
    process.stderr.write(
      '界面未构建，请先运行 npm run build / The UI is not built: run npm run build\n',
    );
    return 2;
  }
  await ensureDataDir(dataDir);
  let opening!: (core: Promise<CashierCore>) => void;
  const shell = await listen(
    new Promise<CashierCore>((resolve) => (opening = resolve)),
    await configuredPort(dataDir),
    dataDir,
    flagPort,
  );
  if (!shell) return 2;
  const { browser } = how;
  let window: AppWindow | undefined;
  if (browser) {
    window = await openAppWindow({
      browser,
      url: shell.launchUrl(),
      profileDir: path.join(dataDir, 'browser-profile'),
      extraArgs: extraBrowserArgs(),
    });
  }
  process.stdout.write(
    [
      ...(how.reason ? [how.reason] : []),
      '收银台正在启动 / Cashier Console is starting',
      ...(browser
        ? [
            `正在打开应用窗口 / Opening the app window: ${browser}`,
            // A kiosk's own browser may still use an address: this one opens the console once.
            `自助终端浏览器地址（仅可使用一次）/ For a kiosk browser (works once): ${shell.launchUrl()}`,
          ]
        : [`请在浏览器中打开 / Open in a browser: ${shell.url}`]),
      '',
    ].join('\n'),
  );
  // Says "is running" once open, or why it could not open (then the shell and window close).
  const { runServedConsole } = await import('../serve-console');
  return runServedConsole({
    dataDir,
    shell,
    window,
    opening,
    debug: process.argv.includes('--debug'),
  });
}

/**
 * browserShell.port from config.json, read before the console (and its schema) is loaded: a
 * file that is not valid gives no port here, and stops the console with its problems once
 * ../serve-console.ts loads it.
 */
async function configuredPort(dataDir: string): Promise<number | undefined> {
  try {
    const config = JSON.parse(await readFile(path.join(dataDir, CONFIG_FILE_NAME), 'utf8')) as {
      browserShell?: { port?: unknown };
    };
    const port = config.browserShell?.port;
    return Number.isInteger(port) && (port === 0 || (Number(port) >= 1024 && Number(port) <= 65535))
      ? Number(port)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The browser shell on the port asked for (`--port`, then `browserShell.port` in config.json),
 * else the port of the last start, so that a tab left open finds the console again after a
 * restart; the cookie it holds is the data folder's install secret (shell-keys.ts).
 */
async function listen(
  core: Promise<CashierCore>,
  configPort: number | undefined,
  dataDir: string,
  flagPort: number | undefined,
): Promise<WebShell | undefined> {
  const state = await loadShellState(dataDir);
  const asked = flagPort ?? configPort ?? 0;
  const keys = shellKeys({ cookieValue: state.secret });
  const start = (port: number) => startWebShell({ core, rendererDir: rendererDir(), port, keys });
  let shell: WebShell;
  try {
    shell = await start(asked || state.port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (asked) {
      process.stderr.write(
        `端口 ${asked} 已被占用，请换一个端口（--port 或 config.json 的 browserShell.port）。\n` +
          `Port ${asked} is in use: choose another (--port, or browserShell.port in config.json).\n`,
      );
      return undefined;
    }
    // The last start's port is taken (another program): any free one.
    shell = await start(0);
  }
  if (shell.port !== state.port) {
    // Best effort: without it the next start takes any free port, as before.
    await saveShellState(dataDir, { ...state, port: shell.port }).catch(() => undefined);
  }
  return shell;
}

/** The Electron binary path if the optional `electron` package and its runtime are installed. */
export function findElectronRuntime(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const binary = require('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** The Electron runtime's command line for `cashier start`: the console's V8 flags, which its
 *  main process takes from there only (build/scripts/node-flags.mjs), the app and the options. */
export function electronArgs(flags: Record<string, string | undefined>): string[] {
  const args = Object.entries(flags).flatMap(([k, v]) => (v === undefined ? [] : [`--${k}`, v]));
  return [...ELECTRON_FLAGS, packageRoot(), ...args];
}

export const serveCommand = defineCommand({
  summary: 'Start the browser shell on 127.0.0.1 and print its address (with token).',
  usage: 'serve [--port N] [--data-dir DIR]',
  options: SERVE_OPTIONS,
  help: SERVE_HELP,
  run: (flags) => serve(flags),
});

export const startCommand = defineCommand({
  summary:
    'Open the console window; without the Electron runtime, the browser shell in an app window of an installed Chromium, Chrome or Edge (CASHIER_BROWSER=path or none).',
  usage: 'start [--port N] [--data-dir DIR]',
  options: SERVE_OPTIONS,
  help: SERVE_HELP,
  async run(flags) {
    const electron = findElectronRuntime();
    if (!electron) {
      const browser = findChromium();
      return serve(flags, {
        browser,
        reason: browser
          ? '未安装 Electron 运行时（无法从网络下载），改用本机浏览器的应用窗口。\n' +
            'The Electron runtime is not installed (it could not be downloaded), so the console\n' +
            'opens in an app window of the installed browser instead.'
          : '未安装 Electron 运行时（无法从网络下载），改用浏览器界面。\n' +
            'The Electron runtime is not installed (it could not be downloaded), so no window opens;\n' +
            'starting the browser shell instead.',
      });
    }
    const child = spawn(electron, electronArgs(flags), { stdio: 'inherit' });
    return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  },
});
