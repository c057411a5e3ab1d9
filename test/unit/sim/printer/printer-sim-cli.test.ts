// `cashier printer-sim --port PATH` as a separate process on one end of a socat pty pair:
// the driver prints on the other end, stdin commands change its state, SIGINT stops it.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBalanceSlip, sampleBalanceSlipData } from '../../../../src-main/core/slip';
import { getPrinterStatus, printSlip } from '../../../../src-main/devices/printer';
import type { PrinterTarget } from '../../../../src-main/devices/printer';
import { openPtyPair } from '../../devices/printer/pty-pair';
import type { TestPtyPair } from '../../devices/printer/pty-pair';

const root = process.cwd();
const workDir = path.join(root, '.cache', `printer-sim-cli-${randomUUID().slice(0, 8)}`);

async function waitFor(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('cashier printer-sim (separate process, pty)', () => {
  let pty: TestPtyPair;
  let child: ChildProcessWithoutNullStreams;
  let stdout = '';
  let stderr = '';
  const outFile = path.join(workDir, 'paper.txt');
  let target: PrinterTarget;

  beforeAll(async () => {
    mkdirSync(workDir, { recursive: true });
    // Only the printer-sim command, so unrelated work in progress cannot break this test.
    const script = path.join(workDir, 'printer-sim.mjs');
    await build({
      stdin: {
        contents:
          "import { printerSimCommand } from './src-main/cli/commands/printer-sim';\n" +
          'printerSimCommand.run(process.argv.slice(2)).then((c) => { process.exitCode = c; });\n',
        resolveDir: root,
        sourcefile: 'printer-sim-entry.ts',
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: script,
      logLevel: 'silent',
    });
    pty = await openPtyPair('printer-sim-cli');
    target = { kind: 'serial', path: pty.hostPath, baudRate: 9600 };
    child = spawn(
      process.execPath,
      [script, '--port', pty.devicePath, '--paper', '58', '--out', outFile],
      {
        cwd: root,
      },
    );
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    await waitFor(() => stderr.includes('listening'), 'printer-sim to start');
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await pty?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('prints a slip sent over the pty to stdout and to --out', async () => {
    const slip = renderBalanceSlip(sampleBalanceSlipData(), { paper: 58, lang: 'zh-CN' });
    const result = await printSlip(target, slip.bytes, { pollIntervalMs: 200 });
    expect(result.bytesSent).toBe(slip.bytes.length);
    await waitFor(() => stdout.includes('--- cut ---'), 'the cut on stdout');
    expect(stdout).toContain('卡号            622202******1234\n');
    expect(stdout).toContain('可用余额              ￥1,234.56\n');
    await waitFor(() => readFileSync(outFile, 'utf8').includes('--- cut ---'), 'the --out file');
  });

  it('stdin "cover open" makes the printer report an open cover; "cover close" clears it', async () => {
    child.stdin.write('cover open\n');
    await waitFor(() => stderr.includes('status: offline, coverOpen'), 'the reply to cover open');
    const open = await getPrinterStatus(target);
    expect(open.problems.map((p) => p.code)).toEqual(['PRINTER_COVER_OPEN', 'PRINTER_OFFLINE']);
    child.stdin.write('cover close\n');
    await waitFor(() => stderr.includes('status: ready'), 'the reply to cover close');
    expect((await getPrinterStatus(target)).ready).toBe(true);
  });

  it('an unknown command says so; SIGINT stops it with exit code 0', async () => {
    child.stdin.write('explode\n');
    await waitFor(() => stderr.includes('unknown command: explode'), 'the unknown-command reply');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
