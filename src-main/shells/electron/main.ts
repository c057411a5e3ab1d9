// Electron shell: one locked-down window over the same core the browser shell uses.
// The only folder (with preload.ts) that imports `electron`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import {
  apiEventNames,
  apiMethodNames,
  CashierCore,
  ConfigError,
  defaultDataDir,
  dispatchApiCall,
  type Session,
} from './core-bridge';
import { osKeyProtection } from './key-protection';

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = new URL(`file://${rendererIndex.replace(/\\/g, '/')}`).href;

/**
 * `收银台 --cli keys load-tmk ...`: the command-line tools inside the installed app, so key
 * commands seal keys with the operating system as the window does. No window opens.
 */
const cliAt = process.argv.indexOf('--cli');
if (cliAt >= 0) {
  void app.whenReady().then(async () => {
    const cli = (await import(pathToFileURL(path.join(__dirname, 'cli-lib.mjs')).href)) as {
      main(argv: string[]): Promise<number>;
      useKeyProtection(p: ReturnType<typeof osKeyProtection>): void;
    };
    cli.useKeyProtection(osKeyProtection());
    app.exit(await cli.main(process.argv.slice(cliAt + 1)));
  });
} else {
  startWindow();
}

function startWindow(): void {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Deny everything a page could ask for, for every web contents ever created.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  async function createWindow(core: CashierCore): Promise<void> {
    const window = new BrowserWindow({
      width: 1366,
      height: 768,
      minWidth: 1024,
      minHeight: 700,
      title: '收银台 Cashier Console',
      backgroundColor: '#f4f6f8',
      webPreferences: {
        preload: path.join(__dirname, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        spellcheck: false,
        // Middle-click would otherwise open links outside the navigation guards.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    window.removeMenu();

    const sessions = new Map<number, Session>();
    const sessionFor = (event: IpcMainInvokeEvent): Session => {
      let found = sessions.get(event.sender.id);
      if (!found) {
        found = core.createSession();
        sessions.set(event.sender.id, found);
      }
      return found;
    };
    // Only our own page in our own window may call the API.
    const trusted = (event: IpcMainInvokeEvent): boolean =>
      event.sender === window.webContents && event.senderFrame?.url === rendererUrl;

    for (const method of apiMethodNames) {
      ipcMain.handle(`cashier:${method}`, async (event, args: unknown) => {
        if (!trusted(event)) {
          return {
            ok: false,
            error: {
              name: 'ApiError',
              code: 'FORBIDDEN',
              message: 'Untrusted sender',
              messageZh: '拒绝来自未知页面的调用',
            },
          };
        }
        return dispatchApiCall(core, sessionFor(event), method, args);
      });
    }
    for (const event of apiEventNames) {
      core.on(event, (payload) => {
        if (!window.isDestroyed()) window.webContents.send('cashier:event', { event, payload });
      });
    }
    window.webContents.on('destroyed', () => sessions.clear());
    await window.loadFile(rendererIndex);
  }

  app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
      callback(false),
    );
    session.defaultSession.setPermissionCheckHandler(() => false);
    app.setPath('userData', defaultDataDir());
    try {
      const keyProtection = osKeyProtection();
      const core = await CashierCore.open({
        dataDir: defaultDataDir(),
        shell: 'electron',
        version: app.getVersion(),
        ...(keyProtection ? { keyProtection } : {}),
      });
      app.on('window-all-closed', () => {
        void core.close().then(() => app.quit());
      });
      await createWindow(core);
    } catch (err) {
      const text =
        err instanceof ConfigError ? err.describe() : `启动失败 / Start-up failed: ${String(err)}`;
      dialog.showErrorBox('收银台 / Cashier Console', text);
      app.exit(2);
    }
  });
}
