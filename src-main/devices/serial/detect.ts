// Which PIN pad protocol a port speaks. ABECS first: CAN must be answered with EOT in any
// state, then OPN must be ACKed. Otherwise the EPP status command (30h) must get a valid frame.
// Each probe opens the port itself, at the protocol's usual speed.
import { SerialPort } from 'serialport';
import { AbecsFrameParser, CAN, encodeCommand, encodeFrame } from '../../protocols/abecs';
import { EppCommand, EppFrameParser, encodeEppFrame } from '../../protocols/cn-epp';

export type DetectedProtocol = 'abecs' | 'cn-epp';

export interface DetectOptions {
  /** Per-probe wait for the answer, ms (default 1500). */
  timeoutMs?: number;
  /** Probe order / subset. */
  protocols?: DetectedProtocol[];
}

async function withPort<T>(
  path: string,
  baudRate: number,
  use: (port: SerialPort) => Promise<T>,
): Promise<T> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  try {
    return await use(port);
  } finally {
    await new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r()));
  }
}

/** Writes `request` and feeds the answer bytes to `check` until it says yes or time runs out. */
function probe(
  port: SerialPort,
  request: Buffer,
  check: (chunk: Buffer) => boolean,
  timeoutMs: number,
): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onData = (chunk: Buffer) => {
      if (check(chunk)) done(true);
    };
    const done = (ok: boolean) => {
      clearTimeout(timer);
      port.off('data', onData);
      resolve(ok);
    };
    port.on('data', onData);
    port.write(request, (err) => {
      if (err) done(false);
    });
  });
}

export async function probeAbecs(path: string, timeoutMs = 1500): Promise<boolean> {
  return withPort(path, 19200, async (port) => {
    const parser = new AbecsFrameParser();
    const eot = await probe(
      port,
      Buffer.of(CAN),
      (c) => parser.push(c).some((e) => e.type === 'eot'),
      timeoutMs,
    );
    if (!eot) return false;
    parser.reset();
    return probe(
      port,
      encodeFrame(encodeCommand('OPN')),
      (c) => parser.push(c).some((e) => e.type === 'ack'),
      timeoutMs,
    );
  });
}

export async function probeCnEpp(path: string, timeoutMs = 1500): Promise<boolean> {
  return withPort(path, 9600, async (port) => {
    const parser = new EppFrameParser();
    return probe(
      port,
      encodeEppFrame(EppCommand.STATUS),
      (c) => parser.push(c).some((e) => e.type === 'frame'),
      timeoutMs,
    );
  });
}

/** The protocol the port answers, or undefined when neither probe got a proper answer. */
export async function detectPinpadProtocol(
  path: string,
  options: DetectOptions = {},
): Promise<DetectedProtocol | undefined> {
  const timeoutMs = options.timeoutMs ?? 1500;
  for (const protocol of options.protocols ?? ['abecs', 'cn-epp']) {
    const ok =
      protocol === 'abecs' ? await probeAbecs(path, timeoutMs) : await probeCnEpp(path, timeoutMs);
    if (ok) return protocol;
  }
  return undefined;
}
