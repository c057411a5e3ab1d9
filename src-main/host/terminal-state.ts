// Trace number (STAN) and batch number, which must survive restarts: a repeated STAN inside a
// batch can make the host answer 94 (duplicate).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stageFileAtomic, writeFileAtomicSync } from '../system';

export interface TerminalStateStore {
  /** Returns the next trace number (6 digits, 000001..999999, wrapping). */
  nextStan(): string;
  batchNo(): string;
  setBatchNo(batch: string): void;
  /** Makes the state durable as it is now (called when the terminal closes). */
  close?(): Promise<void>;
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

/**
 * How many trace numbers one write of the file covers. The file holds the highest number that
 * may have been handed out (a lease), not the last one used: allocating is then a memory step,
 * and the file is rewritten (atomically, fsynced, off the event loop) once every LEASE / 2
 * numbers, before the lease runs out. After a crash the next number is past the whole lease, so
 * a number already sent to the host is never sent again; the cost is a skip of at most LEASE
 * numbers (a host checks trace numbers for repeats, not for gaps). A clean close() writes the
 * last number used, so a normal restart continues without a gap.
 */
export const STAN_LEASE = 100;

/** A small JSON file `{ stan, batch }`, rewritten atomically; trace numbers leased (above). */
export class FileTerminalState implements TerminalStateStore {
  private batch = '000001';
  /** The number the file covers up to (the lease's end), as a count of steps from `base`. */
  private durable = 0;
  /** Numbers handed out since `base`. */
  private issued = 0;
  /** The trace number at step 0 (read from the file). */
  private readonly base: number;
  /** The lease end a write in flight will make durable. */
  private pending: number | undefined;
  /** Bumped by every write, so a background write staged before a newer one is dropped. */
  private version = 0;
  private closed = false;

  constructor(private readonly path: string) {
    let stan = 0;
    if (existsSync(path)) {
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateData>;
        if (Number.isInteger(parsed.stan) && parsed.stan! >= 0 && parsed.stan! <= 999_999) {
          stan = parsed.stan!;
        }
        if (typeof parsed.batch === 'string' && /^\d{6}$/.test(parsed.batch)) {
          this.batch = parsed.batch;
        }
      } catch {
        // A damaged file starts over from defaults; the rename-based write makes this rare.
      }
    } else {
      mkdirSync(dirname(path), { recursive: true });
    }
    this.base = stan;
  }

  nextStan(): string {
    if (this.issued >= this.durable) {
      // The lease is used up (the first call, or a burst faster than a background write):
      // extend it before this number leaves (a background write still in flight is then dropped).
      this.writeNow(Math.max(this.pending ?? 0, this.issued + STAN_LEASE));
    }
    this.issued++;
    if (!this.closed && this.pending === undefined && this.durable - this.issued < STAN_LEASE / 2) {
      this.extendInBackground();
    }
    return this.stanAt(this.issued).toString().padStart(6, '0');
  }

  batchNo(): string {
    return this.batch;
  }

  setBatchNo(batch: string): void {
    checkBatch(batch);
    this.batch = batch;
    this.writeNow(Math.max(this.durable, this.pending ?? 0));
  }

  /** Writes the last number used, so the next start continues right after it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.writeNow(this.issued);
  }

  private stanAt(steps: number): number {
    // 1..999999, wrapping: 999999 steps make a full turn.
    return ((((this.base - 1 + steps) % 999_999) + 999_999) % 999_999) + 1;
  }

  private content(steps: number): string {
    return JSON.stringify({
      stan: steps === 0 ? this.base : this.stanAt(steps),
      batch: this.batch,
    });
  }

  private writeNow(steps: number): void {
    this.version++;
    writeFileAtomicSync(this.path, this.content(steps));
    this.durable = steps;
  }

  private extendInBackground(): void {
    const target = this.durable + STAN_LEASE;
    const version = this.version;
    this.pending = target;
    stageFileAtomic(this.path, this.content(target))
      .then(async (staged) => {
        // The rename happens here, on the event loop: if a synchronous write (the lease ran out,
        // a new batch number, close) came first, this older content is dropped, never renamed
        // over the newer one.
        if (this.version !== version) return staged.discard();
        const landed = staged.commit();
        this.version++;
        await landed;
        this.durable = Math.max(this.durable, target);
      })
      .catch(() => {
        // Not durable: the next number that needs it extends the lease synchronously and
        // reports the failure there.
      })
      .finally(() => {
        if (this.pending === target) this.pending = undefined;
      });
  }
}
