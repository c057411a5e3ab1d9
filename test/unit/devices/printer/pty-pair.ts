// Test helper: a socat pseudo-terminal pair with unique link names, a real serial-like cable.
import { randomUUID } from 'node:crypto';
import { createPtyPair, type PtyPair } from '../../../support/pty';

export type TestPtyPair = PtyPair;

export async function openPtyPair(label: string): Promise<TestPtyPair> {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  return createPtyPair(`/tmp/${id}-a`, `/tmp/${id}-b`);
}
