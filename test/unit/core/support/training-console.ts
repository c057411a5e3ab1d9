// The third composition root, for tests: the whole console in training mode in a temp folder
// (config.json, SQLite, keys, the simulators in-process), with a first supervisor logged in, and
// calls through the same dispatch the shells use.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiErrorData, InquiryProgress } from '../../../../src-main/contract';
import { dispatchApiCall } from '../../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../../src-main/core/cashier-core';
import type { TrainingPeers } from '../../../../src-main/core/terminal';

export interface TrainingConsole {
  core: CashierCore;
  dataDir: string;
  /** A window logged in as the first supervisor (1001). */
  supervisor: Session;
  /** The answer of a call, or its error thrown (with the ApiErrorData fields). */
  call<T>(session: Session, method: string, args?: unknown): Promise<T>;
  /** The error of a call that must be refused. */
  refused(session: Session, method: string, args?: unknown): Promise<ApiErrorData>;
  /** The simulators of the terminal open now. */
  peers(): TrainingPeers;
  /** The next inquiry progress event that satisfies `when`. */
  nextProgress(when: (p: InquiryProgress) => boolean): Promise<InquiryProgress>;
  /** Resolves when the simulated PIN pad prompts for a card or a PIN. */
  padPrompt(kind: 'card' | 'pin'): Promise<void>;
  close(): Promise<void>;
}

export const SUPERVISOR = { operatorNo: '1001', name: 'Sup', password: 'Secret2026' };

export async function openTrainingConsole(name = 'console'): Promise<TrainingConsole> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `cashier-${name}-`));
  const core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });

  async function call<T>(session: Session, method: string, args: unknown = {}): Promise<T> {
    const outcome = await dispatchApiCall(core, session, method, args);
    if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
    return outcome.result as T;
  }

  const supervisor = core.createSession();
  await call(supervisor, 'createFirstSupervisor', SUPERVISOR);
  await call(supervisor, 'login', {
    operatorNo: SUPERVISOR.operatorNo,
    password: SUPERVISOR.password,
  });

  const peers = () => core.terminals.current().terminal.training!;
  return {
    core,
    dataDir,
    supervisor,
    call,
    async refused(session, method, args = {}) {
      const outcome = await dispatchApiCall(core, session, method, args);
      if (outcome.ok) throw new Error(`${method} was allowed`);
      return outcome.error;
    },
    peers,
    nextProgress: (when) =>
      new Promise((resolve) => {
        const off = core.on('inquiry', (p) => {
          if (!when(p)) return;
          off();
          resolve(p);
        });
      }),
    padPrompt: (kind) =>
      new Promise((resolve) => {
        const pad = peers().pinpad;
        const onPrompt = (p: { kind: string }) => {
          if (p.kind !== kind) return;
          pad.off('prompt', onPrompt);
          resolve();
        };
        pad.on('prompt', onPrompt);
      }),
    async close() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
