// `cashier log verify` (the bundled CLI, in a child process) on a copy of a real SQLite file
// whose newest audit row was deleted: it says, in both languages, that the audit trail lost its
// newest entries, and exits 1; the untouched original verifies clean.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../src-main/store';
import { SqliteDb } from '../../../src-main/store/sqlite';
import { FAST_SCRYPT, removeDir, tempDir } from '../store/helpers';

const run = promisify(execFile);
const bundleDir = path.resolve('node_modules/.cache', `audit-cli-${process.pid}`);
const cli = path.join(bundleDir, 'cli.mjs');
let dir = '';

beforeAll(async () => {
  dir = await tempDir('cashier-audit-cli-');
  const store = await openStore(dir, { scrypt: FAST_SCRYPT });
  const sup = await store.operators.createFirstSupervisor({
    operatorNo: '1001',
    name: 'S',
    password: 'super1',
  });
  await store.operators.authenticate('1001', 'super1', { passwordMaxAgeDays: 0 });
  await store.audit.record({ kind: 'logout', operatorId: sup.id, operatorNo: '1001' });
  await store.close();
  await mkdir(bundleDir, { recursive: true });
  await build({
    // The `cashier` command as the launcher runs it (src-main/cli/launch.ts).
    stdin: {
      contents: "import { run } from './src-main/cli/entry';\nrun(process.argv.slice(2));\n",
      resolveDir: path.resolve('.'),
      sourcefile: 'cashier-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: cli,
    logLevel: 'error',
  });
}, 60_000);

afterAll(async () => {
  await rm(bundleDir, { recursive: true, force: true });
  await removeDir(dir);
});

async function verify(db: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [cli, 'log', 'verify', '--db', db]);
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('cashier log verify: the audit head', () => {
  it('names a copy whose newest audit row was deleted, and passes the original', async () => {
    const original = path.join(dir, 'cashier.sqlite');
    const clean = await verify(original);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('审计记录 / Audit entries: 3');

    const copy = path.join(dir, 'evidence.sqlite');
    await copyFile(original, copy);
    const raw = await SqliteDb.open(copy);
    await raw.exec('DELETE FROM audit WHERE id = (SELECT MAX(id) FROM audit)');
    await raw.close();
    const cut = await verify(copy);
    expect(cut.code).toBe(1);
    expect(cut.out).toContain('审计记录丢失了最新的条目');
    expect(cut.out).toContain('The audit trail lost its newest entries');
    expect(cut.out).toContain('it ends at entry 2 but its head says 3');
  }, 60_000);
});
