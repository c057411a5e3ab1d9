// The built Electron shell (dist/main/electron-main.cjs) run under a stand-in `electron`
// module (stand-in-electron.ts): the app:// protocol and its CSP, the navigation guards, the
// IPC sender check, DevTools gating, the single-instance lock and the update checks.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadMainBundle, rendererAssetUrls, type StandInOptions } from './stand-in-electron';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const bundle = path.join(root, 'dist', 'main', 'electron-main.cjs');
const RENDERER_URL = 'app://renderer/index.html';

const csp = createRequire(import.meta.url)('@doyensec/csp-evaluator') as {
  CspParser: new (policy: string) => { csp: unknown };
  CspEvaluator: new (
    csp: unknown,
    version: unknown,
  ) => { evaluate(): { directive: string; value: string; description: string }[] };
  Version: { CSP3: unknown };
};

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cashier-electron-main-'));
  tempDirs.push(dir);
  return dir;
}

async function started(options: Partial<StandInOptions> = {}) {
  const standIn = loadMainBundle({ bundle, userData: tempDir(), ...options });
  await standIn.ready();
  return standIn;
}

beforeAll(() => {
  if (!existsSync(bundle)) throw new Error('dist/ is missing: run `npm run build` first');
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme before app ready, and handled once ready', async () => {
    const standIn = loadMainBundle({ bundle, userData: tempDir() });
    expect(standIn.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(standIn.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(
      standIn.calls.indexOf('whenReady'),
    );
    expect(standIn.protocolHandlers.size).toBe(0);
    await standIn.ready();
    expect(standIn.calls.indexOf('protocol.handle app')).toBeGreaterThan(
      standIn.calls.indexOf('ready'),
    );
  });

  it('loads the window from app://renderer/index.html', async () => {
    const standIn = await started();
    expect(standIn.windows).toHaveLength(1);
    expect(standIn.windows[0]!.loadedUrl).toBe(RENDERER_URL);
  });

  it('serves index.html and every file it loads, each with the CSP header', async () => {
    const standIn = await started();
    const index = await standIn.fetch(RENDERER_URL);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await index.text();
    expect(html).toBe(readFileSync(path.join(root, 'dist', 'renderer', 'index.html'), 'utf8'));
    expect((await standIn.fetch('app://renderer/')).status).toBe(200);

    const assets = rendererAssetUrls(html);
    expect(assets.some((url) => url.endsWith('.js'))).toBe(true);
    for (const url of [RENDERER_URL, ...assets]) {
      const response = await standIn.fetch(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-security-policy'), url).toBeTruthy();
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      if (url.endsWith('.js')) {
        expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      }
      if (url.endsWith('.css')) {
        expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
      }
    }
  });

  it('sends a strict CSP without ws: (the window talks over IPC)', async () => {
    const standIn = await started();
    const policy = (await standIn.fetch(RENDERER_URL)).headers.get('content-security-policy')!;
    const directives = new Map(
      policy.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values.join(' ')];
      }),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe("'self'");
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(policy).not.toMatch(/ws:|wss:|unsafe-|\*/);
    // The same review the security scan applies: only csp-evaluator's generic "script-src
    // 'self' may host JSONP" remark, which does not apply to our own built files.
    const findings = new csp.CspEvaluator(
      new csp.CspParser(policy).csp,
      csp.Version.CSP3,
    ).evaluate();
    expect(findings.filter((f) => !(f.directive === 'script-src' && f.value === "'self'"))).toEqual(
      [],
    );
  });

  it('refuses paths outside dist/renderer, other hosts and other methods, still with the CSP', async () => {
    const standIn = await started();
    for (const url of [
      'app://renderer/../main/electron-main.cjs',
      'app://renderer/..%2fmain%2felectron-main.cjs',
      'app://renderer/%2e%2e/%2e%2e/package.json',
      'app://renderer/assets/..%2f..%2f..%2fpackage.json',
      'app://renderer/..%5cmain%5celectron-main.cjs',
      'app://renderer/%2Fetc%2Fpasswd',
      'app://renderer/C:%5CWindows%5Cwin.ini',
      'app://renderer/index.html%00.js',
      'app://renderer/%E0%A4%A',
      'app://renderer/assets',
      'app://renderer/missing.js',
      'app://other/index.html',
    ]) {
      const response = await standIn.fetch(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy'), url).toBeTruthy();
      expect(await response.text()).toBe('Not found');
    }
    const post = await standIn.fetch(RENDERER_URL, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBeTruthy();
  });
});

describe('guards', () => {
  it('denies navigation of any frame, redirects, new windows and webviews', async () => {
    const standIn = await started();
    const contents = standIn.createdContents();
    expect(contents.prevents('will-navigate')).toBe(true);
    expect(contents.prevents('will-frame-navigate')).toBe(true);
    expect(contents.prevents('will-redirect')).toBe(true);
    expect(contents.prevents('will-attach-webview')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({
      action: 'deny',
    });
  });

  it('answers IPC only from app://renderer/index.html in its own window', async () => {
    const standIn = await started();
    const handler = standIn.ipcHandlers.get('cashier:ping')!;
    const sender = standIn.windows[0]!.webContents;
    const ours = await handler({ sender, senderFrame: { url: RENDERER_URL } }, { a: 1 });
    expect(ours).toEqual({ ok: true, value: 'pong' });
    expect(standIn.dispatched).toEqual([{ method: 'ping', args: { a: 1 } }]);
    for (const event of [
      { sender, senderFrame: { url: 'file:///opt/cashier/resources/app.asar/index.html' } },
      { sender, senderFrame: { url: 'app://renderer/other.html' } },
      { sender, senderFrame: null },
      { sender: standIn.createdContents(), senderFrame: { url: RENDERER_URL } },
    ]) {
      expect(await handler(event, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(standIn.dispatched).toHaveLength(1);
  });

  it('turns DevTools off and blocks their shortcuts in a packaged app', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const standIn = await started({ isPackaged: true, platform: 'linux' });
    const window = standIn.windows[0]!;
    expect(window.options.webPreferences).toMatchObject({
      devTools: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    const contents = window.webContents;
    for (const input of [
      { key: 'F12' },
      { key: 'I', control: true, shift: true },
      { key: 'j', control: true, shift: true },
      { key: 'C', control: true, shift: true },
      { key: 'i', meta: true, alt: true },
    ]) {
      expect(contents.prevents('before-input-event', input), JSON.stringify(input)).toBe(true);
    }
    for (const input of [{ key: 'a' }, { key: 'c', control: true }, { key: 'Enter' }]) {
      expect(contents.prevents('before-input-event', input), JSON.stringify(input)).toBe(false);
    }
    contents.emit('devtools-opened');
    expect(contents.devToolsClosed).toBe(1);
  });

  it('leaves DevTools available in development', async () => {
    const standIn = await started({ isPackaged: false });
    const window = standIn.windows[0]!;
    expect(window.options.webPreferences.devTools).toBe(true);
    expect(window.webContents.prevents('before-input-event', { key: 'F12' })).toBe(false);
  });

  it('brings the open window forward when the app is started again', async () => {
    const standIn = await started();
    standIn.app.emit('second-instance', {}, ['electron', '.'], root);
    expect(standIn.windows[0]!.calls).toEqual(['restore', 'show', 'focus']);
  });

  it('quits at once, registering nothing, when another instance holds the lock', () => {
    const standIn = loadMainBundle({ bundle, userData: tempDir(), gotLock: false });
    expect(standIn.calls).toEqual(['enableSandbox', 'quit']);
    expect(standIn.app.listenerCount('web-contents-created')).toBe(0);
    expect(standIn.app.listenerCount('second-instance')).toBe(0);
  });
});

describe('updates', () => {
  const MINUTE = 60_000;
  const HOURS_4 = 4 * 60 * MINUTE;

  function resources(url: string): string {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'app-update.yml'),
      `provider: generic\nurl: ${url}\nchannel: latest\nupdaterCacheDirName: cashier-console-updater\n`,
    );
    return dir;
  }

  function quiet(): void {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  }

  it('checks a minute after start and every four hours; downloads quietly, installs on quit', async () => {
    quiet();
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const standIn = await started({
      isPackaged: true,
      platform: 'win32',
      resourcesPath: resources('https://updates.shop.example/cashier-console/'),
    });
    expect(standIn.updater.loaded).toBe(true);
    expect(standIn.updater).toMatchObject({
      autoDownload: true,
      autoInstallOnAppQuit: true,
      allowDowngrade: false,
      allowPrerelease: false,
    });
    expect(standIn.updater.checks).toBe(0);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(standIn.updater.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(HOURS_4);
    expect(standIn.updater.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(HOURS_4);
    expect(standIn.updater.checks).toBe(3);
  });

  it('only logs failures: a failed check, a failed download, an error event', async () => {
    quiet();
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      let call = 0;
      const userData = tempDir();
      const standIn = await started({
        isPackaged: true,
        platform: 'linux',
        env: { APPIMAGE: '/opt/cashier.AppImage' },
        userData,
        resourcesPath: resources('https://updates.shop.example/cashier-console/'),
        checkForUpdates: () => {
          call += 1;
          return call === 1
            ? Promise.reject(new Error('getaddrinfo ENOTFOUND updates.shop.example'))
            : Promise.resolve({ downloadPromise: Promise.reject(new Error('sha512 mismatch')) });
        },
      });
      // electron-updater is loaded after the window is up; on a loaded machine that takes a
      // moment: wait for it to listen before making it fail.
      for (let i = 0; i < 500 && standIn.updater.listenerCount('error') === 0; i++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      await vi.advanceTimersByTimeAsync(MINUTE);
      await vi.advanceTimersByTimeAsync(HOURS_4);
      expect(() => standIn.updater.emit('error', new Error('sha512 mismatch'))).not.toThrow();
      await vi.advanceTimersByTimeAsync(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
      // The log is appended asynchronously: on a loaded machine, wait for its lines.
      const logFile = path.join(userData, 'updates.log');
      await vi.waitFor(
        () => expect(readFileSync(logFile, 'utf8')).toMatch(/update failed: sha512 mismatch/),
        { timeout: 10_000, interval: 20 },
      );
      const log = readFileSync(logFile, 'utf8');
      expect(log).toMatch(/error update check failed: Error: getaddrinfo ENOTFOUND/);
      expect(log).toMatch(/error update failed: sha512 mismatch/);
      expect(standIn.windows).toHaveLength(1);
      expect(standIn.calls.filter((c) => c.startsWith('error') || c.startsWith('exit'))).toEqual(
        [],
      );
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  for (const [name, options] of [
    ['in development', { isPackaged: false, platform: 'win32' }],
    [
      'with the placeholder URL (built without CASHIER_UPDATE_URL)',
      { resourcesPath: resources('https://updates.example.invalid/cashier-console/') },
    ],
    ['with a plain http URL', { resourcesPath: resources('http://updates.shop.example/') }],
    ['without app-update.yml', { resourcesPath: tempDir() }],
    [
      'for a .deb install (the package manager updates it)',
      { platform: 'linux', resourcesPath: resources('https://updates.shop.example/') },
    ],
  ] as [string, Partial<StandInOptions>][]) {
    it(`never loads the updater ${name}`, async () => {
      quiet();
      vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
      const standIn = await started({ isPackaged: true, platform: 'win32', ...options });
      await vi.advanceTimersByTimeAsync(HOURS_4 * 2);
      expect(standIn.updater.loaded).toBe(false);
      expect(standIn.updater.checks).toBe(0);
      expect(standIn.windows).toHaveLength(1);
    });
  }
});
