import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FileTerminalState,
  MemoryTerminalState,
  STAN_LEASE,
} from '../../../src-main/host/terminal-state';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'term-state-'));
  dirs.push(dir);
  return join(dir, 'state.json');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('terminal state (STAN and batch)', () => {
  it('trace number and batch survive a restart', async () => {
    const file = tempFile();
    const a = new FileTerminalState(file);
    expect(a.nextStan()).toBe('000001');
    expect(a.nextStan()).toBe('000002');
    a.setBatchNo('000519');
    await a.close();
    // A clean close keeps the last number used: the next start goes on right after it.
    const b = new FileTerminalState(file);
    expect(b.nextStan()).toBe('000003');
    expect(b.batchNo()).toBe('000519');
    await b.close();
    // Written through a temp file and rename: no leftovers.
    expect(readdirSync(join(file, '..'))).toEqual(['state.json']);
  });

  it('after a crash (no close) goes on past the lease, never repeating a number', () => {
    const file = tempFile();
    const a = new FileTerminalState(file);
    const used = new Set<string>();
    for (let i = 0; i < 3 * STAN_LEASE + 7; i++) used.add(a.nextStan());
    const b = new FileTerminalState(file);
    const next = Number(b.nextStan());
    expect(next).toBeGreaterThan(Math.max(...[...used].map(Number)));
    expect(next).toBeLessThanOrEqual(3 * STAN_LEASE + 7 + 2 * STAN_LEASE + 1);
  });

  it('allocates without writing the file each time (one write per lease)', () => {
    const file = tempFile();
    const a = new FileTerminalState(file);
    a.nextStan();
    const written = readFileSync(file, 'utf8');
    // The file covers the whole lease: the numbers after the first cost no write.
    expect(JSON.parse(written)).toEqual({ stan: STAN_LEASE, batch: '000001' });
    for (let i = 0; i < STAN_LEASE / 2 - 1; i++) a.nextStan();
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it('wraps from 999999 to 000001', () => {
    const s = new MemoryTerminalState({ stan: 999_998 });
    expect(s.nextStan()).toBe('999999');
    expect(s.nextStan()).toBe('000001');
  });

  it('a damaged file starts from defaults instead of crashing', () => {
    const file = tempFile();
    writeFileSync(file, '{not json');
    const s = new FileTerminalState(file);
    expect(s.nextStan()).toBe('000001');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ stan: STAN_LEASE, batch: '000001' });
  });

  it('refuses a malformed batch number', () => {
    expect(() => new MemoryTerminalState().setBatchNo('12')).toThrow(RangeError);
  });
});
