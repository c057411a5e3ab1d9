import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTerminalState, MemoryTerminalState } from '../../../src-main/host/terminal-state';

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
  it('trace number and batch survive a restart', () => {
    const file = tempFile();
    const a = new FileTerminalState(file);
    expect(a.nextStan()).toBe('000001');
    expect(a.nextStan()).toBe('000002');
    a.setBatchNo('000519');
    const b = new FileTerminalState(file);
    expect(b.nextStan()).toBe('000003');
    expect(b.batchNo()).toBe('000519');
    // Written through a temp file and rename: no leftovers.
    expect(readdirSync(join(file, '..'))).toEqual(['state.json']);
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
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ stan: 1, batch: '000001' });
  });

  it('refuses a malformed batch number', () => {
    expect(() => new MemoryTerminalState().setBatchNo('12')).toThrow(RangeError);
  });
});
