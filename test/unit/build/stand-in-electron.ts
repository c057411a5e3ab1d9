// Runs the built Electron main bundle (dist/main/electron-main.cjs) under plain Node with a
// stand-in for the `electron` module, the core bridge and electron-updater. The Electron runtime
// cannot be downloaded here, so this is how the shell's own wiring is exercised: which scheme it
// registers and when, what its app:// handler serves, which guards it installs, how it gates
// DevTools, and when it checks for updates. Chromium's side (does the page really load, is the
// CSP enforced) needs the real runtime.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import nodeModule, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

export interface StandInOptions {
  /** Where the bundle is: dist/main/electron-main.cjs, or one extracted from the asar. */
  bundle: string;
  /** The data folder (app.getPath('userData')). */
  userData: string;
  isPackaged?: boolean;
  /** false: another instance holds the single-instance lock. */
  gotLock?: boolean;
  platform?: NodeJS.Platform;
  env?: Record<string, string>;
  /** process.resourcesPath, where a packaged app finds app-update.yml. */
  resourcesPath?: string;
  /** What the stand-in updater's checkForUpdates() does. */
  checkForUpdates?: () => Promise<unknown>;
}

export interface StandInInput {
  key: string;
  control?: boolean;
  shift?: boolean;
  alt?: boolean;
  meta?: boolean;
}

type Listener = (...args: unknown[]) => unknown;
type ProtocolHandler = (request: Request) => Promise<Response> | Response;

/** A stand-in Electron event: records preventDefault(). */
export function standInEvent(): { prevented: boolean; preventDefault(): void } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

export class StandInWebContents extends EventEmitter {
  readonly id = 1;
  windowOpenHandler: Listener | undefined;
  devToolsClosed = 0;
  setWindowOpenHandler(handler: Listener): void {
    this.windowOpenHandler = handler;
  }
  send(): void {}
  closeDevTools(): void {
    this.devToolsClosed += 1;
  }
  /** Emits like Electron and says whether a listener called preventDefault(). */
  prevents(event: string, ...args: unknown[]): boolean {
    const e = standInEvent();
    this.emit(event, e, ...args);
    return e.prevented;
  }
}

export function loadMainBundle(options: StandInOptions) {
  const calls: string[] = [];
  const privileged: unknown[] = [];
  const protocolHandlers = new Map<string, ProtocolHandler>();
  const ipcHandlers = new Map<string, Listener>();
  const dispatched: { method: string; args: unknown }[] = [];
  const windows: StandInWindow[] = [];
  let markReady: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const app = Object.assign(new EventEmitter(), {
    isPackaged: options.isPackaged ?? false,
    enableSandbox: () => calls.push('enableSandbox'),
    requestSingleInstanceLock: () => options.gotLock ?? true,
    quit: () => calls.push('quit'),
    exit: (code: number) => calls.push(`exit ${code}`),
    whenReady: () => {
      calls.push('whenReady');
      return readyPromise;
    },
    getVersion: () => '0.1.0',
    setPath: () => undefined,
    getPath: () => options.userData,
  });

  class StandInWindow {
    readonly webContents = new StandInWebContents();
    loadedUrl: string | undefined;
    minimized = true;
    readonly calls: string[] = [];
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      windows.push(this);
    }
    removeMenu(): void {}
    isDestroyed(): boolean {
      return false;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    restore(): void {
      this.calls.push('restore');
    }
    show(): void {
      this.calls.push('show');
    }
    focus(): void {
      this.calls.push('focus');
    }
    async loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
    }
    async loadFile(file: string): Promise<void> {
      this.loadedUrl = `file:${file}`;
    }
  }

  const electron = {
    app,
    BrowserWindow: StandInWindow,
    dialog: { showErrorBox: (_title: string, text: string) => calls.push(`error ${text}`) },
    ipcMain: { handle: (channel: string, handler: Listener) => ipcHandlers.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        calls.push('registerSchemesAsPrivileged');
        privileged.push(...schemes);
      },
      handle: (scheme: string, handler: ProtocolHandler) => {
        calls.push(`protocol.handle ${scheme}`);
        protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => calls.push('setPermissionRequestHandler'),
        setPermissionCheckHandler: () => calls.push('setPermissionCheckHandler'),
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => false,
      getSelectedStorageBackend: () => 'basic_text',
    },
  };

  const core = {
    createSession: () => ({}),
    subscribe: () => () => undefined,
    endSession: () => undefined,
    call: async (_session: unknown, method: string, args: unknown) => {
      dispatched.push({ method, args });
      return { ok: true, value: 'pong' };
    },
    close: async () => undefined,
  };
  const coreBridge = {
    apiMethodNames: ['ping'],
    apiEventNames: [],
    CashierCore: { open: async () => core },
    ConfigError: class ConfigError extends Error {},
    defaultDataDir: () => options.userData,
  };

  const updater = Object.assign(new EventEmitter(), {
    checks: 0,
    loaded: false,
    autoDownload: false,
    autoInstallOnAppQuit: false,
    allowDowngrade: true,
    allowPrerelease: true,
    logger: undefined as unknown,
    checkForUpdates(): Promise<unknown> {
      updater.checks += 1;
      return options.checkForUpdates ? options.checkForUpdates() : Promise.resolve(null);
    },
  });
  const updaterModule = {
    get autoUpdater() {
      updater.loaded = true;
      return updater;
    },
  };
  // The bundle loads electron-updater lazily through createRequire(__filename).
  const moduleStandIn = {
    ...nodeModule,
    createRequire: (from: string) => {
      const real = createRequire(from);
      return Object.assign(
        (id: string) => (id === 'electron-updater' ? updaterModule : real(id)),
        real,
      );
    },
  };

  const realRequire = createRequire(options.bundle);
  const standInRequire = (id: string): unknown => {
    if (id === 'electron') return electron;
    if (id === './electron-core.cjs') return coreBridge;
    if (id === 'node:module') return moduleStandIn;
    if (id === 'electron-updater') throw new Error('electron-updater must be loaded lazily');
    return realRequire(id);
  };
  const standInProcess = Object.create(process, {
    platform: { value: options.platform ?? process.platform },
    env: { value: { ...options.env } },
    argv: { value: ['electron', '.'] },
    resourcesPath: { value: options.resourcesPath },
  }) as NodeJS.Process;

  const run = vm.compileFunction(
    readFileSync(options.bundle, 'utf8'),
    ['exports', 'require', 'module', '__filename', '__dirname', 'process'],
    { filename: options.bundle },
  );
  const module = { exports: {} };
  run(
    module.exports,
    standInRequire,
    module,
    options.bundle,
    path.dirname(options.bundle),
    standInProcess,
  );

  return {
    app,
    calls,
    privileged,
    protocolHandlers,
    ipcHandlers,
    dispatched,
    windows,
    updater,
    /** App ready: lets the bundle's whenReady() handler run to the end. */
    async ready(): Promise<void> {
      calls.push('ready');
      markReady();
      for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    },
    /** A request to the app:// handler, as Chromium would make it. */
    async fetch(url: string, init?: RequestInit): Promise<Response> {
      const handler = protocolHandlers.get(new URL(url).protocol.replace(/:$/, ''));
      if (!handler) throw new Error(`no protocol handler for ${url}`);
      return handler(new Request(url, init));
    },
    /** Fires app 'web-contents-created' for a new web contents, as Electron does. */
    createdContents(): StandInWebContents {
      const contents = new StandInWebContents();
      app.emit('web-contents-created', standInEvent(), contents);
      return contents;
    },
  };
}

export type StandIn = ReturnType<typeof loadMainBundle>;

/** The files index.html loads (`./assets/...`), as app:// URLs. */
export function rendererAssetUrls(indexHtml: string): string[] {
  return [...indexHtml.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map(
    (m) => `app://renderer/${m[1]}`,
  );
}
