// `cashier serve` (browser shell on purpose) and `cashier start` (Electron window when the
// runtime is installed, otherwise the browser shell with a word on why).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CashierCore } from '../../core/cashier-core';
import { ConfigError } from '../../core/config';
import { defaultDataDir } from '../../core/data-dir';
import { startWebShell } from '../../shells/web/web-shell';
import { appVersion, packageRoot, rendererDir } from '../app-paths';
import { defineCommand, integer } from '../command';

const SERVE_OPTIONS = { port: { type: 'string' }, 'data-dir': { type: 'string' } } as const;
const SERVE_HELP = [
  '--port N          a fixed port for the browser shell (default: any free port)',
  "--data-dir DIR    the data folder (default: the console's own)",
];

async function serve(
  flags: { port?: string | undefined; 'data-dir'?: string | undefined },
  reason?: string,
): Promise<number> {
  const dataDir = flags['data-dir'] ?? defaultDataDir();
  const port = integer(flags.port, '--port', 0, 65535) ?? 0;
  if (!existsSync(rendererDir())) {
    process.stderr.write(
      '界面未构建，请先运行 npm run build / The UI is not built: run npm run build\n',
    );
    return 2;
  }
  let core: CashierCore;
  try {
    core = await CashierCore.open({ dataDir, shell: 'web', version: appVersion() });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.describe()}\n`);
      return 2;
    }
    throw err;
  }
  const shell = await startWebShell({ core, rendererDir: rendererDir(), port });
  if (reason) process.stdout.write(`${reason}\n`);
  const { mode } = core.terminals.config();
  process.stdout.write(
    [
      `收银台已启动（${mode === 'training' ? '培训模式' : '生产模式'}）/ Cashier Console is running (${mode} mode)`,
      `数据目录 / Data folder: ${dataDir}`,
      `请在浏览器中打开 / Open in a browser: ${shell.url}`,
      '按 Ctrl+C 停止 / Press Ctrl+C to stop',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await shell.close();
  await core.close();
  return 0;
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

export const serveCommand = defineCommand({
  name: ['serve'],
  summary: 'Start the browser shell on 127.0.0.1 and print its address (with token).',
  usage: 'serve [--port N] [--data-dir DIR]',
  options: SERVE_OPTIONS,
  help: SERVE_HELP,
  run: (flags) => serve(flags),
});

export const startCommand = defineCommand({
  name: ['start'],
  summary: 'Open the console window; without the Electron runtime, start the browser shell.',
  usage: 'start [--port N] [--data-dir DIR]',
  options: SERVE_OPTIONS,
  help: SERVE_HELP,
  async run(flags) {
    const electron = findElectronRuntime();
    if (!electron) {
      return serve(
        flags,
        '未安装 Electron 运行时（无法从网络下载），改用浏览器界面。\n' +
          'The Electron runtime is not installed (it could not be downloaded), so no window opens;\n' +
          'starting the browser shell instead.',
      );
    }
    const args = Object.entries(flags).flatMap(([k, v]) => (v === undefined ? [] : [`--${k}`, v]));
    const child = spawn(electron, [packageRoot(), ...args], { stdio: 'inherit' });
    return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  },
});
