// The operational log after a day's worth of training work (sign-on, card inquiries with the
// right and a wrong PIN, a chip card, payment accounts by SMS code and by payment password, a
// slip, an echo test): it records what an engineer needs, and never a card number, track, key,
// PIN block, password or SMS code.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InquiryProgress, InquiryView } from '../../../src-main/contract';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';
import { scrub } from '../../../src-main/core/ops-log';
import { defaultHostSimConfig } from '../../../src-main/sim/host';
import { DEFAULT_CARDS, TRAINING_MASTER_KEY_HEX } from '../../../src-main/sim/pinpad';
import { TRAINING_WALLET_TERMINAL } from '../../../src-main/sim/wallet';

let core: CashierCore;
let session: Session;
let dataDir: string;
const smsCodes: string[] = [];

async function call<T>(method: string, args: unknown = {}): Promise<T> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

function done(): Promise<InquiryView> {
  return new Promise((resolve) => {
    const off = core.on('inquiry', (p: InquiryProgress) => {
      if (p.step === 'done' && p.result) {
        off();
        resolve(p.result);
      }
    });
  });
}

function prompt(kind: 'card' | 'pin'): Promise<void> {
  const pad = core.terminals.current().terminal.training!.pinpad;
  return new Promise((resolve) => {
    const on = (p: { kind: string }) => {
      if (p.kind !== kind) return;
      pad.off('prompt', on);
      resolve();
    };
    pad.on('prompt', on);
  });
}

async function typePin(pin: string) {
  for (const key of pin) await call('trainingPinpad', { action: 'key', key });
  await call('trainingPinpad', { action: 'key', key: 'enter' });
}

async function cardInquiry(cardId: string, how: string, pin: string): Promise<InquiryView> {
  const finished = done();
  const cardPrompt = prompt('card');
  await call('startCardInquiry');
  await cardPrompt;
  const pinPrompt = prompt('pin');
  await call('trainingPinpad', { action: 'card', cardId, how });
  await pinPrompt;
  await typePin(pin);
  return finished;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-opslog-'));
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  session = core.createSession();
  await call('createFirstSupervisor', { operatorNo: '1001', name: 'Sup', password: 'Secret2026' });
  await call('login', { operatorNo: '1001', password: 'Secret2026' });
  await call('signOn');
  const swipe = await cardInquiry('debit-swipe', 'swipe', '123456');
  expect(swipe.outcome).toBe('approved');
  expect((await cardInquiry('debit-swipe', 'swipe', '999999')).responseCode).toBe('55');
  expect((await cardInquiry('debit-chip', 'insert', '654321')).outcome).toBe('approved');
  await call('printSlip', { transactionId: swipe.transactionId, copy: 'customer' });
  await call('hostEcho');
  await call('requestWalletCode', { account: '13812345678' });
  const code = core.terminals.current().terminal.training!.smsCodes[0]!.code;
  smsCodes.push(code);
  const sms = done();
  await call('startWalletInquiry', { account: '13812345678', proof: { kind: 'sms', code } });
  expect((await sms).outcome).toBe('approved');
  const password = done();
  const pinPrompt = prompt('pin');
  await call('startWalletInquiry', { account: '13900000002', proof: { kind: 'password' } });
  await pinPrompt;
  await typePin('654321');
  expect((await password).outcome).toBe('approved');
});

afterAll(async () => {
  await core?.close();
});

describe('the operational log', () => {
  it('lives in logs/ops.log, readable by the console user only, one JSON object per line', async () => {
    const tail = await call<{ file: string; lines: Array<{ area: string; event: string }> }>(
      'opsLogTail',
      { lines: 50 },
    );
    expect(tail.file).toBe(path.join(dataDir, 'logs', 'ops.log'));
    expect(statSync(tail.file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(tail.file)).mode & 0o777).toBe(0o700);
    const events = tail.lines.map((l) => `${l.area}:${l.event}`);
    for (const expected of [
      'console:start',
      'store:open',
      'host:sign-on',
      'inquiry:done',
      'printer:slip-printed',
      'host:echo',
    ]) {
      expect(events).toContain(expected);
    }
  });

  it('holds no card number, track, key, PIN block, password or SMS code', async () => {
    await core.opsLog.close().catch(() => undefined);
    const text = readFileSync(path.join(dataDir, 'logs', 'ops.log'), 'utf8');
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    const secrets = [
      ...DEFAULT_CARDS.map((c) => c.pan),
      TRAINING_MASTER_KEY_HEX,
      defaultHostSimConfig().tmk,
      TRAINING_WALLET_TERMINAL.signingKey,
      TRAINING_WALLET_TERMINAL.pinKey,
      'Secret2026',
      '123456',
      '654321',
      ...smsCodes,
    ];
    for (const secret of secrets) expect(text.toUpperCase()).not.toContain(secret.toUpperCase());
    // Whatever the caller: no 13+ digit run (a PAN), no '=' track, no 16+ hex run (a key, a PIN
    // block, a MAC).
    expect(text).not.toMatch(/\d{13,}/);
    expect(text).not.toMatch(/\d{12,}=/);
    expect(text).not.toMatch(/\b[0-9A-Fa-f]{16,}\b/);
  });

  it('scrubs what a careless caller might pass', () => {
    expect(scrub('pan 6222020200112233446 seen')).toBe('pan 622202*********3446 seen');
    expect(scrub('t2 6222020200112233446=30121010000000000')).toBe('t2 622202*********3446=****');
    expect(scrub('block 775D28C98240744A')).toBe('block [hidden]');
    expect(scrub('kcv 08D7B4FB rrn 332113000123')).toBe('kcv 08D7B4FB rrn 332113000123');
  });
});
