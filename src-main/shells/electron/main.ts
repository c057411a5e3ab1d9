// Electron shell: one locked-down window over the same core the browser shell uses.
// The only folder (with preload.ts) that imports `electron`.
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session,
  type Input,
  type IpcMainInvokeEvent,
} from 'electron';
import type { AppUpdater } from 'electron-updater';
import { ApiError } from '../../contract/errors';
import {
  apiMethodNames,
  CashierCore,
  CashierError,
  ConfigError,
  defaultDataDir,
  type Session,
} from './core-bridge';
import { osKeyProtection } from './key-protection';

/**
 * The renderer is served by our own `app://` protocol from dist/renderer (inside the asar when
 * packaged), not from file://: one origin, only the built files, and a CSP header on every
 * response.
 */
const APP_SCHEME = 'app';
const APP_HOST = 'renderer';
const rendererRoot = path.join(__dirname, '..', 'renderer');
const rendererUrl = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The window's Content-Security-Policy, sent as a header with every app:// response. Stricter
 * than the browser shell's (src-main/shells/web/web-shell.ts): the window talks to the core over
 * IPC, so there is no ws: source; nothing may frame the page or be framed by it.
 */
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Checks for updates a minute after start (not during it), then every four hours. */
const UPDATE_FIRST_CHECK_MS = 60_000;
const UPDATE_CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

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

/**
 * The file under dist/renderer that an app:// URL names, or null: another host, a path that
 * leaves the folder (`..`, encoded or not, a drive letter), a NUL or a backslash.
 */
function rendererFile(url: string): string | null {
  let parsed: URL;
  let pathname: string;
  try {
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const file = path.resolve(rendererRoot, pathname === '/' ? 'index.html' : `.${pathname}`);
  const inside = path.relative(rendererRoot, file);
  if (!inside || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    return null;
  }
  return file;
}

/** The app:// protocol handler: built renderer files only, each with the CSP header. */
async function serveRenderer(request: Request): Promise<Response> {
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  const refuse = (status: number, text: string): Response =>
    new Response(text, {
      status,
      headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
    });
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return refuse(405, 'Method not allowed');
  }
  const file = rendererFile(request.url);
  if (!file) return refuse(404, 'Not found');
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = Uint8Array.from(await readFile(file));
  } catch {
    return refuse(404, 'Not found');
  }
  const type = contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return new Response(request.method === 'HEAD' ? null : body, {
    status: 200,
    headers: { ...headers, 'Content-Type': type },
  });
}

/** F12, Ctrl+Shift+I/J/C, and Cmd+Alt+I/J/C on macOS: Chromium's DevTools shortcuts. */
function isDevToolsShortcut(input: Input): boolean {
  const key = input.key.toLowerCase();
  if (key === 'f12') return true;
  const letter = ['i', 'j', 'c'].includes(key);
  return letter && ((input.control && input.shift) || (input.meta && input.alt));
}

/** Update messages go to updates.log in the data folder (and the console), never to a dialog. */
function logUpdate(level: 'info' | 'warn' | 'error', message: string): void {
  const line = `${new Date().toISOString()} ${level} ${message}`;
  if (level === 'info') console.log(`updates: ${message}`);
  else console.warn(`updates: ${message}`);
  void appendFile(path.join(app.getPath('userData'), 'updates.log'), `${line}\n`, {
    mode: 0o600,
  }).catch(() => undefined);
}

/**
 * Why this installation does not update itself, or null if it may. The update URL is written
 * into resources/app-update.yml at build time (electron-builder.yml `publish`, set from
 * CASHIER_UPDATE_URL); a build without one keeps the `.invalid` placeholder and never checks.
 */
function updatesOffBecause(): string | null {
  if (!app.isPackaged) return 'not packaged (development)';
  if (process.platform === 'linux' && !process.env.APPIMAGE) {
    return 'installed from a .deb: updated by the package manager';
  }
  if (process.platform !== 'win32' && process.platform !== 'linux') return 'unsupported platform';
  const config = path.join(process.resourcesPath, 'app-update.yml');
  if (!existsSync(config)) return 'no app-update.yml in this build';
  const url = /^url:\s*['"]?([^'"\s]+)/m.exec(readFileSync(config, 'utf8'))?.[1];
  let feed: URL;
  try {
    feed = new URL(url ?? '');
  } catch {
    return 'no update URL in app-update.yml';
  }
  if (feed.protocol !== 'https:') return `update URL is not https: ${feed.href}`;
  if (feed.hostname.endsWith('.invalid')) return 'built without CASHIER_UPDATE_URL';
  return null;
}

/**
 * Background updates from the shop's or chain's own server (electron-updater, generic
 * provider): check on start and every few hours, download quietly, install when the app quits.
 * Never blocks or interrupts the cashier: every failure is only logged.
 */
function startUpdateChecks(): void {
  let off: string | null;
  try {
    off = updatesOffBecause();
  } catch (err) {
    off = `cannot read the update settings: ${String(err)}`;
  }
  if (off) {
    if (app.isPackaged) logUpdate('info', `automatic updates off: ${off}`);
    return;
  }
  // Loaded only here, after the window is up: electron-updater takes a while to load.
  let autoUpdater: AppUpdater;
  try {
    ({ autoUpdater } = createRequire(__filename)('electron-updater') as {
      autoUpdater: AppUpdater;
    });
    autoUpdater.logger = {
      info: (message?: unknown) => logUpdate('info', String(message)),
      warn: (message?: unknown) => logUpdate('warn', String(message)),
      error: (message?: unknown) => logUpdate('error', String(message)),
    };
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.allowDowngrade = false;
    autoUpdater.allowPrerelease = false;
    autoUpdater.on('error', (err: Error) => logUpdate('error', `update failed: ${err.message}`));
    autoUpdater.on('update-downloaded', (info) =>
      logUpdate('info', `version ${info.version} downloaded; it installs when the app quits`),
    );
  } catch (err) {
    logUpdate('error', `updater not available: ${String(err)}`);
    return;
  }
  const check = (): void => {
    autoUpdater
      .checkForUpdates()
      .then((result) => {
        // A failed background download is reported through 'error' above.
        result?.downloadPromise?.catch(() => undefined);
      })
      .catch((err: unknown) => logUpdate('error', `update check failed: ${String(err)}`));
  };
  setTimeout(() => check(), UPDATE_FIRST_CHECK_MS);
  setInterval(() => check(), UPDATE_CHECK_EVERY_MS);
}

function startWindow(): void {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Before app ready: app:// is a standard, secure origin for our page. Not corsEnabled, no
  // bypassCSP, no service workers: other origins cannot read it and it cannot escape its CSP.
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
  ]);

  let mainWindow: BrowserWindow | undefined;
  // A second start (double click on the shortcut) brings the open window forward instead.
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  // Deny everything a page could ask for, for every web contents ever created.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    // Any frame, not only the main one: nothing in the window may navigate anywhere.
    contents.on('will-frame-navigate', (event) => event.preventDefault());
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
        // DevTools only in development: an installed console has none to open.
        devTools: !app.isPackaged,
        // Middle-click would otherwise open links outside the navigation guards.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    mainWindow = window;
    window.removeMenu();
    if (app.isPackaged) {
      window.webContents.on('before-input-event', (event, input) => {
        if (isDevToolsShortcut(input)) event.preventDefault();
      });
      window.webContents.on('devtools-opened', () => window.webContents.closeDevTools());
    }

    // One window, one session: only this window's page may call (see trusted), and it gets
    // the events the core gives this session (nothing before login, its own inquiries).
    const windowSession: Session = core.createSession();
    const unsubscribe = core.subscribe(windowSession, (event, payload) => {
      if (!window.isDestroyed()) window.webContents.send('cashier:event', { event, payload });
    });
    // Only our own page (app://renderer/index.html) in our own window may call the API.
    const trusted = (event: IpcMainInvokeEvent): boolean =>
      event.sender === window.webContents && event.senderFrame?.url === rendererUrl;

    for (const method of apiMethodNames) {
      ipcMain.handle(`cashier:${method}`, async (event, args: unknown) => {
        if (!trusted(event)) {
          return { ok: false, error: new ApiError('UNTRUSTED_SENDER').toData() };
        }
        return core.call(windowSession, method, args);
      });
    }
    window.webContents.on('destroyed', () => {
      unsubscribe();
      core.endSession(windowSession);
    });
    await window.loadURL(rendererUrl);
  }

  app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
      callback(false),
    );
    session.defaultSession.setPermissionCheckHandler(() => false);
    protocol.handle(APP_SCHEME, serveRenderer);
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
      startUpdateChecks();
    } catch (err) {
      const text =
        err instanceof ConfigError
          ? err.describe()
          : err instanceof CashierError
            ? `${err.messageZh}\n${err.message}`
            : `启动失败 / Start-up failed: ${String(err)}`;
      dialog.showErrorBox('收银台 / Cashier Console', text);
      app.exit(2);
    }
  });
}
