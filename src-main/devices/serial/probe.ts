// A port opened for a moment to ask "who are you?": protocol detection (the PIN pad registry)
// writes a request and watches the answer bytes until the protocol's check says yes or the
// time runs out. Opened through port.ts like every other port; an open failure is a SerialError
// (missing, no permission, busy ...) with the binding's own error as its cause.
import type { SerialPortStream } from '@serialport/stream';
import { openFailure } from './errors';
import { closeSerialPort, openSerialPort } from './port';

export interface ProbeLine {
  readonly path: string;
  /**
   * Writes `request`, then feeds every chunk received to `check` until it says yes (true), or
   * the probe's time runs out, the write fails or the detection is aborted (false).
   */
  ask(request: Buffer, check: (chunk: Buffer) => boolean): Promise<boolean>;
}

export interface ProbeOptions {
  /** How long each `ask` waits for its answer, ms. */
  timeoutMs: number;
  /** Ends a waiting `ask` (as a "no") when the caller gives up. */
  signal?: AbortSignal;
}

function ask(
  port: SerialPortStream,
  request: Buffer,
  check: (chunk: Buffer) => boolean,
  options: ProbeOptions,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve(false);
    const timer = setTimeout(() => done(false), options.timeoutMs);
    const onAbort = () => done(false);
    const onData = (chunk: Buffer) => {
      if (check(chunk)) done(true);
    };
    const done = (ok: boolean) => {
      clearTimeout(timer);
      port.off('data', onData);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    port.on('data', onData);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    port.write(request, (err) => {
      if (err) done(false);
    });
  });
}

/** Opens `path` at `baudRate`, lends it to `use` as a ProbeLine, and closes it again. */
export async function withProbeLine<T>(
  path: string,
  baudRate: number,
  options: ProbeOptions,
  use: (line: ProbeLine) => Promise<T>,
): Promise<T> {
  const port = await openSerialPort({ path, baudRate }).catch((err: unknown) => {
    throw openFailure(err, path);
  });
  try {
    return await use({ path, ask: (request, check) => ask(port, request, check, options) });
  } finally {
    await closeSerialPort(port);
  }
}
