// Test helper: a pair of linked pseudo-terminals made by
// `socat -d -d pty,raw,echo=0 pty,raw,echo=0`, whose two /dev/pts paths socat prints on stderr.
import { spawn, type ChildProcess } from 'node:child_process';

export interface PtyPair {
  /** One end (give it to the device / PIN pad side). */
  readonly a: string;
  /** The other end (give it to the terminal / host side). */
  readonly b: string;
  /** Kills socat (SIGTERM, then SIGKILL after 1 s) and waits for it to exit. */
  close(): Promise<void>;
}

export async function openPtyPair(
  options: { socat?: string; timeoutMs?: number } = {},
): Promise<PtyPair> {
  const child: ChildProcess = spawn(
    options.socat ?? '/usr/bin/socat',
    ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.on('error', () => undefined); // reported through the startup promise below
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const close = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 1000);
      await exited;
      clearTimeout(t);
    }
  };
  try {
    const [a, b] = await new Promise<[string, string]>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(
        () => reject(new Error(`socat did not report two ptys: ${stderr}`)),
        options.timeoutMs ?? 5000,
      );
      const onError = (e: Error): void => {
        done();
        reject(e);
      };
      const onExit = (code: number | null): void => {
        done();
        reject(new Error(`socat exited (${code}): ${stderr}`));
      };
      const onData = (chunk: string): void => {
        stderr += chunk;
        const paths = [...stderr.matchAll(/PTY is (\S+)/g)].map((m) => m[1]!);
        // Data flows once socat says "starting data transfer loop".
        if (paths.length >= 2 && /starting data transfer loop/.test(stderr)) {
          done();
          resolve([paths[0]!, paths[1]!]);
        }
      };
      const done = (): void => {
        clearTimeout(timer);
        child.off('error', onError);
        child.off('exit', onExit);
        child.stderr!.off('data', onData);
        child.stderr!.resume();
      };
      child.on('error', onError);
      child.on('exit', onExit);
      child.stderr!.setEncoding('latin1');
      child.stderr!.on('data', onData);
    });
    return { a, b, close };
  } catch (e) {
    await close();
    throw e;
  }
}
