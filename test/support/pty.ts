// A pseudo-terminal pair from socat: the closest thing to a real serial cable on a PC without
// one. Tests put a device emulator on one end and a driver on the other; unplug() kills socat
// so both device nodes vanish, as when a USB cable is pulled. A PtyPair has the shape of the
// product's Cable (src-main/devices/serial/cable.ts), so an emulator can pull it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface PtyPair {
  /** The end the cashier software opens. */
  readonly hostPath: string;
  /** The end the device emulator opens. */
  readonly devicePath: string;
  readonly plugged: boolean;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  close(): Promise<void>;
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function createPtyPair(hostPath: string, devicePath: string): Promise<PtyPair> {
  let child: ChildProcess | undefined;

  const start = async () => {
    const proc = spawn(
      'socat',
      [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`],
      {
        stdio: 'ignore',
      },
    );
    child = proc;
    let failed: Error | undefined;
    proc.once('error', (e) => (failed = e));
    await waitFor(
      () => !!failed || (existsSync(hostPath) && existsSync(devicePath)),
      5000,
      'socat pty links',
    );
    if (failed) throw new Error(`socat could not start: ${failed.message}`);
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    await exited;
    await waitFor(
      () => !existsSync(hostPath) && !existsSync(devicePath),
      5000,
      'pty links to vanish',
    );
  };

  await start();
  return {
    hostPath,
    devicePath,
    get plugged() {
      return child !== undefined;
    },
    unplug: stop,
    replug: async () => {
      if (!child) await start();
    },
    close: stop,
  };
}
