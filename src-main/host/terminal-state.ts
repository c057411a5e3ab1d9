// Trace number (STAN) and batch number, which must survive restarts: a repeated STAN inside a
// batch can make the host answer 94 (duplicate).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../system';

export interface TerminalStateStore {
  /** Returns the next trace number (6 digits, 000001..999999, wrapping). */
  nextStan(): string;
  batchNo(): string;
  setBatchNo(batch: string): void;
}

interface StateData {
  stan: number;
  batch: string;
}

function step(stan: number): number {
  return stan >= 999_999 ? 1 : stan + 1;
}

function checkBatch(batch: string): void {
  if (!/^\d{6}$/.test(batch)) throw new RangeError('batch number must be 6 digits');
}

/** Keeps the state in memory only (tests, benchmarks, training). */
export class MemoryTerminalState implements TerminalStateStore {
  private data: StateData;
  constructor(initial: Partial<StateData> = {}) {
    this.data = { stan: initial.stan ?? 0, batch: initial.batch ?? '000001' };
  }
  nextStan(): string {
    this.data.stan = step(this.data.stan);
    return this.data.stan.toString().padStart(6, '0');
  }
  batchNo(): string {
    return this.data.batch;
  }
  setBatchNo(batch: string): void {
    checkBatch(batch);
    this.data.batch = batch;
  }
}

/** A small JSON file, rewritten atomically on every change. */
export class FileTerminalState implements TerminalStateStore {
  private data: StateData;

  constructor(private readonly path: string) {
    this.data = { stan: 0, batch: '000001' };
    if (existsSync(path)) {
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateData>;
        if (Number.isInteger(parsed.stan) && parsed.stan! >= 0 && parsed.stan! <= 999_999) {
          this.data.stan = parsed.stan!;
        }
        if (typeof parsed.batch === 'string' && /^\d{6}$/.test(parsed.batch)) {
          this.data.batch = parsed.batch;
        }
      } catch {
        // A damaged file starts over from defaults; the rename-based write makes this rare.
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
    }
  }

  nextStan(): string {
    this.data.stan = step(this.data.stan);
    this.save();
    return this.data.stan.toString().padStart(6, '0');
  }

  batchNo(): string {
    return this.data.batch;
  }

  setBatchNo(batch: string): void {
    checkBatch(batch);
    this.data.batch = batch;
    this.save();
  }

  private save(): void {
    writeFileAtomicSync(this.path, JSON.stringify(this.data));
  }
}
