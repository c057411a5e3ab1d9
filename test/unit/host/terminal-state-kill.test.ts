// Trace numbers across SIGKILL: a child allocates numbers as fast as the event loop turns and
// is killed at random moments; every start after a kill must hand out a number above every
// number any earlier run reported as sent, so none is ever sent twice (a repeated trace number
// inside a batch can make the host answer 94, duplicate).
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTerminalState } from '../../../src-main/host/terminal-state';
import { removeDir, tempDir } from '../store/helpers';

const KILLS = 25;
const bundleDir = path.resolve('node_modules/.cache', `stan-kill-${process.pid}`);
const childScript = path.join(bundleDir, 'stan-writer.mjs');
let workDir = '';

beforeAll(async () => {
  await mkdir(bundleDir, { recursive: true });
  await build({
    entryPoints: [path.resolve('test/unit/host/fixtures/stan-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: childScript,
    logLevel: 'error',
  });
  workDir = await tempDir('cashier-stan-kill-');
});

afterAll(async () => {
  await rm(bundleDir, { recursive: true, force: true });
  if (workDir) await removeDir(workDir);
});

/** Runs the child until a random moment after it is ready, SIGKILLs it; the numbers it sent. */
function runAndKill(file: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!timer && out.includes('ready\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), 5 + Math.random() * 60);
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      const sent = out
        .split('\n')
        .slice(0, -1) // a line cut by the kill was not reported
        .filter((l) => l.startsWith('sent '))
        .map((l) => Number(l.slice(5)));
      resolve(sent);
    });
  });
}

describe('trace numbers across SIGKILL', () => {
  it(`are never handed out twice across ${KILLS} kills`, async () => {
    const file = path.join(workDir, 'terminal-state.json');
    const seen = new Set<number>();
    let highest = 0;
    let total = 0;
    for (let i = 0; i < KILLS; i++) {
      const sent = await runAndKill(file);
      total += sent.length;
      for (const stan of sent) {
        expect(seen.has(stan), `trace number ${stan} sent twice`).toBe(false);
        // Each run starts above everything sent before it.
        expect(stan).toBeGreaterThan(highest - (seen.size ? 0 : 1));
        seen.add(stan);
      }
      if (sent.length) highest = Math.max(highest, ...sent);
    }
    // The runs did allocate well past several leases in all.
    expect(total).toBeGreaterThan(500);
    const after = new FileTerminalState(file);
    expect(Number(after.nextStan())).toBeGreaterThan(highest);
  }, 120_000);
});
