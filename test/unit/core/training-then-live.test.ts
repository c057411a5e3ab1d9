// The installation sequence that used to lose the live master key: load the TMK, first start
// (training, the default), several training inquiries, switch to live, sign on. Training keeps its
// own keys and trace numbers under training/, so the live TMK and trace number are untouched.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvents, InquiryProgress, InquiryView } from '../../../src-main/contract';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';
import { CONFIG_FILE_NAME, defaultConfig } from '../../../src-main/core/config';
import { keyCheckValue } from '../../../src-main/crypto';
import { SoftwareKeyStore, STAN_LEASE } from '../../../src-main/host';
import type { PtyPair } from '../../support/pty';
import {
  defaultHostSimConfig,
  startHostSimulator,
  type HostSimulator,
} from '../../../src-main/sim/host';
import { startPinpadEmulator, type PinpadEmulator } from '../../../src-main/sim/pinpad';
import { ptyPair } from '../devices/pinpad/pty-fixture';

// A live TMK that is not the public training one.
const LIVE_TMK = '1F2E3D4C5B6A79880123456789ABCDEF';
const LIVE_KCV = keyCheckValue(Buffer.from(LIVE_TMK, 'hex'), '3des').toString('hex').toUpperCase();
const LIVE_STAN_BEFORE = 4711;

let dataDir: string;
let core: CashierCore;
let session: Session;
let liveHost: HostSimulator;
let pty: PtyPair;
let livePad: PinpadEmulator;

async function call<T>(method: string, args: unknown = {}): Promise<T> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

function nextDone(): Promise<InquiryView> {
  return new Promise((resolve) => {
    const off = core.on('inquiry', (p: ApiEvents['inquiry']) => {
      if ((p as InquiryProgress).step === 'done') {
        off();
        resolve(p.result!);
      }
    });
  });
}

async function trainingInquiry(): Promise<InquiryView> {
  const pad = core.terminals.current().terminal.training!.pinpad;
  const prompted = (kind: string) =>
    new Promise<void>((resolve) => {
      const on = (p: { kind: string }) => {
        if (p.kind !== kind) return;
        pad.off('prompt', on);
        resolve();
      };
      pad.on('prompt', on);
    });
  const done = nextDone();
  const cardPrompt = prompted('card');
  await call('startCardInquiry');
  await cardPrompt;
  const pinPrompt = prompted('pin');
  await call('trainingPinpad', { action: 'card', cardId: 'debit-swipe', how: 'swipe' });
  await pinPrompt;
  for (const key of '123456') await call('trainingPinpad', { action: 'key', key });
  await call('trainingPinpad', { action: 'key', key: 'enter' });
  return done;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-modes-'));
  // 1. Key injection at installation, and a live trace number from earlier live use.
  new SoftwareKeyStore(path.join(dataDir, 'keys')).setMasterKey(Buffer.from(LIVE_TMK, 'hex'));
  writeFileSync(
    path.join(dataDir, 'terminal-state.json'),
    JSON.stringify({ stan: LIVE_STAN_BEFORE, batch: '000007' }),
  );

  // The live bank host and PIN pad share the live TMK (the pad's was injected at the factory).
  liveHost = await startHostSimulator({ config: { ...defaultHostSimConfig(), tmk: LIVE_TMK } });
  pty = await ptyPair('modes');
  livePad = await startPinpadEmulator({
    protocol: 'abecs',
    path: pty.devicePath,
    cable: pty,
    pin: '123456',
    autoCard: 'debit-swipe',
    masterKeys: { 1: LIVE_TMK },
  });
}, 30_000);

afterAll(async () => {
  await core?.close();
  await livePad?.close();
  await pty?.close();
  await liveHost?.close();
});

describe('training, then live, on one data folder', () => {
  it('2-3. first start is training; training inquiries are approved with training keys', async () => {
    core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
    session = core.createSession();
    await call('createFirstSupervisor', {
      operatorNo: '1001',
      name: 'Sup',
      password: 'Secret2026',
    });
    await call('login', { operatorNo: '1001', password: 'Secret2026' });
    expect(core.terminals.config().mode).toBe('training');
    for (let i = 0; i < 3; i++) {
      const result = await trainingInquiry();
      expect(result.outcome).toBe('approved');
    }
  });

  it('left the live TMK and trace number alone', () => {
    const live = new SoftwareKeyStore(path.join(dataDir, 'keys'));
    expect(live.masterKeyCheckValue()).toBe(LIVE_KCV);
    const state = JSON.parse(readFileSync(path.join(dataDir, 'terminal-state.json'), 'utf8'));
    expect(state).toEqual({ stan: LIVE_STAN_BEFORE, batch: '000007' });
    // Training counted its own trace numbers, in its own folder.
    const training = JSON.parse(
      readFileSync(path.join(dataDir, 'training', 'terminal-state.json'), 'utf8'),
    );
    expect(training.stan).toBeGreaterThanOrEqual(4);
  });

  it('4-5. switched to live, signs on with the live TMK and continues the live trace number', async () => {
    const config = defaultConfig();
    config.mode = 'live';
    // Plain TCP to the test host: recorded as a private line, as live mode needs one or TLS.
    config.host.privateLine = true;
    config.host = { ...config.host, address: '127.0.0.1', port: liveHost.address.port };
    config.pinpad = {
      ...config.pinpad,
      protocol: 'abecs',
      port: { kind: 'serial', path: pty.hostPath },
      masterKeyIndex: 1,
    };
    config.printer = { ...config.printer, target: 'none' };
    writeFileSync(path.join(dataDir, CONFIG_FILE_NAME), JSON.stringify(config));
    await core.applyChanges('1001');
    expect(core.terminals.current().terminal.mode).toBe('live');
    expect(core.terminals.current().terminal.masterKeyCheckValue()).toBe(LIVE_KCV);
    const signOn = await core.terminals.current().terminal.host.signOn('1001');
    expect(signOn.responseCode).toBe('00');
    const state = JSON.parse(readFileSync(path.join(dataDir, 'terminal-state.json'), 'utf8'));
    // Apply now signs on in the background too: one or two sign-ons after 4711, never a restart
    // from the training counter. The file holds the end of the live counter's lease
    // (host/terminal-state.ts).
    expect(state.stan).toBeGreaterThan(LIVE_STAN_BEFORE);
    expect(state.stan).toBeLessThanOrEqual(LIVE_STAN_BEFORE + STAN_LEASE);
  });
});
