// The operational log for the installing engineer: one JSON line per event (pino), in
// `logs/ops.log` under the data folder, rotated by size (rotating-file-stream). It records the
// host link, the PIN pad, the printer, the store and each inquiry's outcome, and never a secret:
// callers log codes and masked values only, and every string is scrubbed once more on the way
// out (long digit runs masked, long hex runs hidden), as a net under that rule.
import { mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { maskPan } from '../common';

export type OpsArea = 'console' | 'host' | 'wallet' | 'pinpad' | 'printer' | 'store' | 'inquiry';

export interface OpsLogLine {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  area: string;
  event: string;
  /** The other fields, as one readable line. */
  detail: string;
}

export interface OpsLog {
  readonly file: string;
  debug(area: OpsArea, event: string, fields?: Record<string, unknown>): void;
  info(area: OpsArea, event: string, fields?: Record<string, unknown>): void;
  warn(area: OpsArea, event: string, fields?: Record<string, unknown>): void;
  error(area: OpsArea, event: string, fields?: Record<string, unknown>): void;
  /** The newest lines, newest last. */
  tail(count: number): Promise<OpsLogLine[]>;
  close(): Promise<void>;
}

export const OPS_LOG_DIR = 'logs';
export const OPS_LOG_FILE = 'ops.log';

/** A card number, a track, a key or a PIN block must not survive even a careless caller. */
export function scrub(text: string): string {
  return (
    text
      // Track 2 (PAN=YYMM...) and any other run of 13+ digits: first 6 / last 4 kept.
      .replace(/\d{12,19}[=D]\d*/g, (m) => maskPan(m.split(/[=D]/)[0]!) + '=****')
      .replace(/\d{13,}/g, maskPan)
      // 16+ hex digits in a row: keys, PIN blocks, MACs, cryptograms.
      .replace(/\b[0-9A-Fa-f]{16,}\b/g, '[hidden]')
  );
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v)]));
  }
  return value;
}

const LEVEL_NAMES: Record<number, OpsLogLine['level']> = {
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
};

export function openOpsLog(dataDir: string, options: { level?: string } = {}): OpsLog {
  const dir = path.join(dataDir, OPS_LOG_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, OPS_LOG_FILE);
  const stream: RotatingFileStream = createStream(OPS_LOG_FILE, {
    path: dir,
    size: '5M',
    maxFiles: 10,
    mode: 0o600,
  });
  // A full or read-only disk must not take the console down with its log.
  stream.on('error', () => undefined);
  const logger: Logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => scrubValue(object) as Record<string, unknown> },
    },
    stream,
  );
  let closing: Promise<void> | undefined;
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (area: OpsArea, event: string, fields: Record<string, unknown> = {}) =>
      logger[level]({ area, event, ...fields });
  return {
    file,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    tail: (count) => tailOf(file, count),
    close() {
      closing ??= new Promise<void>((resolve) => {
        logger.flush(() => stream.end(() => resolve()));
      });
      return closing;
    },
  };
}

/** A failure in the log, by its code and words (never a value it carried). */
export function logFailure(log: OpsLog, area: OpsArea, event: string, err: unknown): void {
  const e = err as { code?: unknown; message?: unknown };
  log.warn(area, event, {
    error: typeof e?.code === 'string' ? e.code : 'ERROR',
    message: typeof e?.message === 'string' ? e.message : String(err),
  });
}

/** A log that drops everything: for tools that have no data folder of their own. */
export const NO_OPS_LOG: OpsLog = {
  file: '',
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  tail: async () => [],
  close: async () => undefined,
};

async function tailOf(file: string, count: number): Promise<OpsLogLine[]> {
  let text: string;
  try {
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 64 * 1024);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
  const lines: OpsLogLine[] = [];
  for (const raw of text.split('\n').slice(-count - 1)) {
    try {
      const { level, time, area, event, ...rest } = JSON.parse(raw) as Record<string, unknown>;
      lines.push({
        time: String(time),
        level: LEVEL_NAMES[Number(level)] ?? 'info',
        area: String(area ?? ''),
        event: String(event ?? ''),
        detail: Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' '),
      });
    } catch {
      // A partial first line of the window, or a line cut by a crash: skip it.
    }
  }
  return lines.slice(-count);
}
