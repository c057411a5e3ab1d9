// Test helper: a socat pseudo-terminal pair with unique link names, a real serial-like cable.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';

export interface TestPtyPair {
  hostPath: string;
  devicePath: string;
  close(): Promise<void>;
}

export async function openPtyPair(label: string): Promise<TestPtyPair> {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  const hostPath = `/tmp/${id}-a`;
  const devicePath = `/tmp/${id}-b`;
  const child: ChildProcess = spawn(
    'socat',
    [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 5000;
  while (!(existsSync(hostPath) && existsSync(devicePath))) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error('socat pty pair did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    hostPath,
    devicePath,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
