// `cashier serve` (browser shell on purpose) and `cashier start` (Electron window when the
// runtime is installed; otherwise the browser shell, in an app window of an installed Chromium-
// family browser when there is one, with a word on why).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CashierCore } from '../../core/cashier-core';
import { ConfigError, loadConfig, type CashierConfig } from '../../core/config';
import { defaultDataDir } from '../../core/data-dir';
import {
  extraBrowserArgs,
  findChromium,
  openAppWindow,
  type AppWindow,
} from '../../shells/web/app-window';
import { loadShellState, saveShellState, shellKeys } from '../../shells/web/shell-keys';
import { startWebShell, type WebShell } from '../../shells/web/web-shell';
import { ELECTRON_FLAGS } from '../../../build/scripts/node-flags.mjs';
import { appVersion, packageRoot, rendererDir } from '../app-paths';
import { defineCommand, integer } from '../command';

const SERVE_OPTIONS = { port: { type: 'string' }, 'data-dir': { type: 'string' } } as const;
const SERVE_HELP = [
  '--port N          a fixed port for the browser shell (default: browserShell.port in',
  '                  config.json, else the port of the last start, else any free one)',
  "--data-dir DIR    the data folder (default: the console's own)",
];

/** A browser window that closes this soon handed its window to a browser already running with
 *  the same profile: the console keeps serving it. */
const HANDOFF_MS = 3_000;

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
  let config: CashierConfig;
  try {
    config = await loadConfig(dataDir);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.describe()}\n`);
      return 2;
    }
    throw err;
  }
  // The shell listens first, so that the app window's browser starts while the console (its
  // log, store and terminal) opens; calls that come before it is open wait (web-shell.ts). The
  // address is printed once it is open: a console that cannot open prints no address.
  let coreOpened!: (core: Promise<CashierCore>) => void;
  const shell = await listen(
    new Promise<CashierCore>((resolve) => (coreOpened = resolve)),
    config,
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
  const opening = import('../../core/cashier-core').then(({ CashierCore }) =>
    CashierCore.open({ dataDir, shell: 'web', version: appVersion(), config }),
  );
  coreOpened(opening);
  let core: CashierCore;
  try {
    core = await opening;
  } catch (err) {
    // Reported by the command (command.ts) once the window and the server are gone.
    if (window && window.process.exitCode === null) window.process.kill();
    await shell.close();
    throw err;
  }
  if (how.reason) process.stdout.write(`${how.reason}\n`);
  const { mode } = config;
  process.stdout.write(
    [
      `收银台已启动（${mode === 'training' ? '培训模式' : '生产模式'}）/ Cashier Console is running (${mode} mode)`,
      `数据目录 / Data folder: ${dataDir}`,
      ...(browser
        ? [
            `正在打开应用窗口 / Opening the app window: ${browser}`,
            // A kiosk's own browser may still use an address: this one opens the console once.
            `自助终端浏览器地址（仅可使用一次）/ For a kiosk browser (works once): ${shell.launchUrl()}`,
            '关闭窗口或按 Ctrl+C 停止 / Close the window or press Ctrl+C to stop',
          ]
        : [
            `请在浏览器中打开 / Open in a browser: ${shell.url}`,
            '按 Ctrl+C 停止 / Press Ctrl+C to stop',
          ]),
      '',
    ].join('\n'),
  );
  const opened = Date.now();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    // Closing the app window stops the console, as closing the Electron window does.
    void window?.exited.then((code) => {
      if (Date.now() - opened > HANDOFF_MS) return resolve();
      // Gone at once: handed to a browser already running this profile (code 0), or it could
      // not open a window (no display): the console goes on, reachable by its address.
      if (code !== 0) {
        process.stdout.write(
          `应用窗口未能打开（浏览器退出码 ${code}），请在浏览器中打开 / The app window did not open (browser exit code ${code}); open in a browser: ${shell.url}\n`,
        );
      }
    });
  });
  if (window && window.process.exitCode === null) window.process.kill();
  await shell.close();
  await core.close();
  return 0;
}

/**
 * The browser shell on the port asked for (`--port`, then `browserShell.port` in config.json),
 * else the port of the last start, so that a tab left open finds the console again after a
 * restart; the cookie it holds is the data folder's install secret (shell-keys.ts).
 */
async function listen(
  core: Promise<CashierCore>,
  config: CashierConfig,
  dataDir: string,
  flagPort: number | undefined,
): Promise<WebShell | undefined> {
  const state = await loadShellState(dataDir);
  const asked = flagPort ?? config.browserShell?.port ?? 0;
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
