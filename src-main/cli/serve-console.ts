// The second half of `cashier serve` and `start`: once the browser shell listens (commands/
// serve.ts), this opens the console (its config, log, store and terminal), hands it to the
// shell, says it is running, and serves until Ctrl+C or the app window closes. In the built
// command it lives in cli-bundle.cjs with everything else, while serve.ts's half is the small
// cli-serve.cjs, so that the page is served while this is still being loaded (README.md,
// "Performance"). It reports its own failures: its error classes are not the first half's.
import type { CashierCore } from '../core/cashier-core';
import { ConfigError, loadConfig } from '../core/config';
import type { AppWindow } from '../shells/web/app-window';
import type { WebShell } from '../shells/web/web-shell';
import { appVersion } from './app-paths';
import { describeFailure } from './command';

/** A browser window that closes this soon handed its window to a browser already running with
 *  the same profile: the console keeps serving it. */
const HANDOFF_MS = 3_000;

export interface ServedConsole {
  dataDir: string;
  shell: WebShell;
  /** The app window of `cashier start`, already opening; absent under `cashier serve`. */
  window?: AppWindow | undefined;
  /** Gives the shell the console's opening: calls that came early wait for it. */
  opening(core: Promise<CashierCore>): void;
  /** --debug: a failure's stack too. */
  debug: boolean;
}

/** Opens the console and serves it until asked to stop; returns the exit code. */
export async function runServedConsole(served: ServedConsole): Promise<number> {
  const { dataDir, shell, window } = served;
  let core: CashierCore;
  let mode: string;
  try {
    const opening = loadConfig(dataDir).then(async (config) => {
      mode = config.mode;
      const { CashierCore } = await import('../core/cashier-core');
      return CashierCore.open({ dataDir, shell: 'web', version: appVersion(), config });
    });
    served.opening(opening);
    core = await opening;
  } catch (err) {
    if (window && window.process.exitCode === null) window.process.kill();
    await shell.close();
    process.stderr.write(`${describeFailure(err)}\n`);
    if (served.debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
  process.stdout.write(
    [
      `收银台已启动（${mode! === 'training' ? '培训模式' : '生产模式'}）/ Cashier Console is running (${mode!} mode)`,
      `数据目录 / Data folder: ${dataDir}`,
      window
        ? '关闭窗口或按 Ctrl+C 停止 / Close the window or press Ctrl+C to stop'
        : '按 Ctrl+C 停止 / Press Ctrl+C to stop',
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
