// The whole core in training mode, through the same dispatch the shells use: the ABECS driver
// talks to the emulator over the in-memory cable, the host client to the host simulator over
// TCP, the wallet client to the wallet simulator over HTTPS, slips go to the printer emulator,
// and every inquiry lands in a real SQLite file.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvents, InquiryProgress, InquiryView } from '../../../src-main/contract';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';
import { defaultConfig } from '../../../src-main/core/config';

let core: CashierCore;
let session: Session;
let dataDir: string;

async function call<T>(method: string, args: unknown = {}): Promise<T> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

/** Waits for the inquiry event that satisfies `when`. */
function nextProgress(when: (p: InquiryProgress) => boolean): Promise<InquiryProgress> {
  return new Promise((resolve) => {
    const off = core.on('inquiry', (p: ApiEvents['inquiry']) => {
      if (when(p)) {
        off();
        resolve(p);
      }
    });
  });
}

/** Resolves when the emulated pad itself prompts for a card or a PIN (keys typed before the
 *  PIN prompt are dropped by the pad, as on a real one). */
function padPrompt(kind: 'card' | 'pin'): Promise<void> {
  return new Promise((resolve) => {
    const pad = core.terminals.current().terminal.training!.pinpad;
    const onPrompt = (p: { kind: string }) => {
      if (p.kind === kind) {
        pad.off('prompt', onPrompt);
        resolve();
      }
    };
    pad.on('prompt', onPrompt);
  });
}

async function typePin(pin: string): Promise<void> {
  for (const key of pin) await call('trainingPinpad', { action: 'key', key });
  await call('trainingPinpad', { action: 'key', key: 'enter' });
}

async function cardInquiry(cardId: string, how: string, pin: string): Promise<InquiryView> {
  const cardPrompt = padPrompt('card');
  const done = nextProgress((p) => p.step === 'done');
  await call('startCardInquiry');
  await cardPrompt;
  const pinPrompt = padPrompt('pin');
  await call('trainingPinpad', { action: 'card', cardId, how });
  await pinPrompt;
  await typePin(pin);
  return (await done).result!;
}

/** The id of the last inquiry this window followed (the one its retry key refers to). */
let lastId: number | null = null;
function lastInquiryId(): Promise<number | null> {
  return Promise.resolve(lastId);
}

/** The retry key of inquiry `from`, and the PIN typed again (a swiped card: no card asked). */
async function retryWith(pin: string, from: number): Promise<InquiryView> {
  const pinPrompt = padPrompt('pin');
  const done = nextProgress((p) => p.step === 'done');
  await call('retryCardPin', { inquiryId: from });
  await pinPrompt;
  await typePin(pin);
  return (await done).result!;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-core-'));
  // A silent host is waited out in a few seconds, not the default 30.
  const config = defaultConfig();
  config.host.responseTimeoutMs = 3_000;
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(config));
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  session = core.createSession();
  core.on('inquiry', (p: ApiEvents['inquiry']) => (lastId = p.inquiryId));
  await call('createFirstSupervisor', { operatorNo: '1001', name: 'Sup', password: 'Secret2026' });
  await call('login', { operatorNo: '1001', password: 'Secret2026' });
});

afterAll(async () => {
  await core?.close();
});

describe('card inquiry in training mode', () => {
  it('signed the terminal on when the operator logged in', async () => {
    await expect.poll(() => core.terminals.current().terminal.host.signedOn).toBe(true);
    const state = await call<{ status: { signedOn: boolean; hostOnline: boolean } }>('getAppState');
    expect(state.status).toMatchObject({ signedOn: true, hostOnline: true });
  });

  it('signs on, reads a swiped card and PIN, and answers with balances', async () => {
    const keyPresses: number[] = [];
    const off = core.on('inquiry', (p) => {
      if (p.step === 'waiting-pin') keyPresses.push(p.pinDigits);
    });
    const result = await cardInquiry('debit-swipe', 'swipe', '123456');
    off();
    expect(result).toMatchObject({
      outcome: 'approved',
      responseCode: '00',
      accountKind: 'card',
      maskedAccount: '622202*********3446',
      entryMode: 'swipe',
    });
    expect(result.availableFen).toBeGreaterThan(0);
    expect(result.ledgerFen).not.toBeNull();
    expect(result.rrn).toMatch(/^\w{12}$/);
    // The screen saw the digits being typed, one by one.
    expect(Math.max(...keyPresses)).toBe(6);
    const stored = await core.store.transactions.get(result.transactionId!);
    expect(stored).toMatchObject({ outcome: 'approved', availableFen: result.availableFen });
  });

  it('answers 55 for a wrong PIN and says what to do', async () => {
    const result = await cardInquiry('debit-swipe', 'swipe', '999999');
    expect(result).toMatchObject({ outcome: 'declined', responseCode: '55' });
    expect(result.message.zh).toBe('密码错误');
    expect(result.advice?.zh).toBe('请顾客重新输入密码。');
  });

  it("offers the PIN again after a wrong one, with this till's tries left (default 3)", async () => {
    core.terminals.current().terminal.training!.host.resetPinTries();
    const result = await cardInquiry('debit-swipe', 'swipe', '999999');
    expect(result).toMatchObject({ outcome: 'declined', retry: 'pin', triesLeft: 2 });
  });

  it("a swiped card's retry asks for the PIN alone: no card, a new request, the answer", async () => {
    core.terminals.current().terminal.training!.host.resetPinTries();
    const first = await cardInquiry('debit-swipe', 'swipe', '999999');
    expect(first).toMatchObject({ responseCode: '55', retry: 'pin', triesLeft: 2 });
    const pad = core.terminals.current().terminal.training!.pinpad;
    const padPrompts: string[] = [];
    const onPrompt = (p: { kind: string }) => padPrompts.push(p.kind);
    pad.on('prompt', onPrompt);
    const steps: string[] = [];
    const off = core.on('inquiry', (p) => steps.push(`${p.inquiryId}:${p.step}`));
    try {
      const pinPrompt = padPrompt('pin');
      const done = nextProgress((p) => p.step === 'done');
      const { inquiryId } = await call<{ inquiryId: number }>('retryCardPin', {
        inquiryId: (await lastInquiryId()) ?? 0,
      });
      await pinPrompt;
      await typePin('123456');
      const again = (await done).result!;
      expect(again).toMatchObject({ outcome: 'approved', maskedAccount: first.maskedAccount });
      // The PIN prompt at once: the pad never asked for a card, the screen never showed it.
      expect(padPrompts).toContain('pin');
      expect(padPrompts).not.toContain('card');
      expect(steps.filter((s) => s.startsWith(`${inquiryId}:`))).not.toContain(
        `${inquiryId}:waiting-card`,
      );
      // Each try is its own row with its own trace number (a new request, a new PIN block).
      expect(again.transactionId).not.toBe(first.transactionId);
      expect(again.stan).not.toBe(first.stan);
      // That inquiry is over: no second retry of it.
      await expect(call('retryCardPin', { inquiryId })).rejects.toMatchObject({
        message: expect.stringContaining('Start a new inquiry'),
      });
    } finally {
      off();
      pad.off('prompt', onPrompt);
    }
  });

  it("stops offering the PIN at this till's limit, which Settings change at once", async () => {
    core.terminals.current().terminal.training!.host.resetPinTries();
    await call('saveSettings', { security: { pinTriesPerInquiry: 2 } });
    try {
      const first = await cardInquiry('debit-swipe', 'swipe', '999999');
      expect(first).toMatchObject({ retry: 'pin', triesLeft: 1 });
      const second = await retryWith('999999', (await lastInquiryId())!);
      expect(second).toMatchObject({ responseCode: '55', retry: null, triesLeft: 0 });
      expect(second.advice?.zh).toContain('本机每次查询最多可输入 2 次密码');
      expect(second.advice?.en).toContain('This terminal allows 2 PIN tries per inquiry');
      await expect(
        call('retryCardPin', { inquiryId: (await lastInquiryId())! }),
      ).rejects.toMatchObject({ messageZh: expect.stringContaining('本次查询已结束') });
    } finally {
      await call('saveSettings', { security: { pinTriesPerInquiry: 3 } });
      core.terminals.current().terminal.training!.host.resetPinTries();
    }
  });

  it("ends on the bank's 75 with the card locked by the bank and whom to call", async () => {
    core.terminals.current().terminal.training!.host.resetPinTries();
    await call('saveSettings', { security: { pinTriesPerInquiry: 5 } });
    try {
      await cardInquiry('debit-swipe', 'swipe', '999999');
      await retryWith('999999', (await lastInquiryId())!);
      // The simulated issuer allows 3: the third wrong PIN locks the card.
      const locked = await retryWith('999999', (await lastInquiryId())!);
      expect(locked).toMatchObject({ responseCode: '75', retry: null });
      expect(locked.message.zh).toBe('密码错误次数超限');
      expect(locked.advice?.zh).toContain('发卡银行已锁定此卡');
      expect(locked.advice?.zh).toContain('卡片背面的发卡银行客服电话');
      expect(locked.advice?.en).toContain('locked this card');
    } finally {
      await call('saveSettings', { security: { pinTriesPerInquiry: 3 } });
      core.terminals.current().terminal.training!.host.resetPinTries();
    }
  });

  it('Esc on the wrong-PIN answer ends the inquiry: its card data is gone, no retry', async () => {
    core.terminals.current().terminal.training!.host.resetPinTries();
    await cardInquiry('debit-swipe', 'swipe', '999999');
    const inquiryId = (await lastInquiryId())!;
    await call('cancelInquiry', { inquiryId });
    await expect(call('retryCardPin', { inquiryId })).rejects.toMatchObject({
      messageZh: expect.stringContaining('本次查询已结束'),
    });
    core.terminals.current().terminal.training!.host.resetPinTries();
  });

  it("a chip card's retry reads the card again (a new chip session), counted in the same inquiry", async () => {
    core.terminals.current().terminal.training!.host.resetPinTries();
    const first = await cardInquiry('debit-chip', 'insert', '999999');
    expect(first).toMatchObject({
      responseCode: '55',
      retry: 'pin',
      triesLeft: 2,
      entryMode: 'chip',
    });
    const cardPrompt = padPrompt('card');
    const done = nextProgress((p) => p.step === 'done');
    await call('retryCardPin', { inquiryId: (await lastInquiryId())! });
    await cardPrompt;
    const pinPrompt = padPrompt('pin');
    await call('trainingPinpad', { action: 'card', cardId: 'debit-chip', how: 'insert' });
    await pinPrompt;
    await typePin('999999');
    const second = (await done).result!;
    expect(second).toMatchObject({ responseCode: '55', triesLeft: 1 });
    core.terminals.current().terminal.training!.host.resetPinTries();
  });

  it('counts the host wait down and lets Esc abandon it; the late answer completes the row', async () => {
    await call('trainingFault', { host: 'no-answer' });
    try {
      const processing = nextProgress((p) => p.step === 'processing');
      const done = nextProgress((p) => p.step === 'done');
      const cardPrompt = padPrompt('card');
      const { inquiryId } = await call<{ inquiryId: number }>('startCardInquiry');
      await cardPrompt;
      const pinPrompt = padPrompt('pin');
      await call('trainingPinpad', { action: 'card', cardId: 'debit-swipe', how: 'swipe' });
      await pinPrompt;
      await typePin('123456');
      // The screen learns how long the host may take: the configured response timeout.
      expect((await processing).waitMs).toBe(core.terminals.config().host.responseTimeoutMs);
      await call('cancelInquiry', { inquiryId });
      const result = (await done).result!;
      expect(result).toMatchObject({ outcome: 'unknown', errorCode: 'ABANDONED' });
      expect(result.message.zh).toContain('已放弃等待');
      // The row is not lost: it stays 'outcome unknown' while the host may still answer ...
      expect((await core.store.transactions.get(result.transactionId!))?.outcome).toBe('unknown');
      // ... and the host's late failure (here its timeout) completes it, marked as abandoned.
      await core.terminals.current().inquiries.settled();
      const row = await core.store.transactions.get(result.transactionId!);
      expect(row).toMatchObject({ outcome: 'failed', errorCode: 'ABANDONED' });
      expect(row?.errorMessage).toContain('已放弃等待');
    } finally {
      await call('trainingFault', { host: 'none' });
    }
  });

  it('runs a chip card through the EMV flow', async () => {
    const result = await cardInquiry('debit-chip', 'insert', '654321');
    expect(result).toMatchObject({ outcome: 'approved', entryMode: 'chip', responseCode: '00' });
  });

  it('logs a cancelled PIN entry as cancelled', async () => {
    const cardPrompt = padPrompt('card');
    const done = nextProgress((p) => p.step === 'done');
    const { inquiryId } = await call<{ inquiryId: number }>('startCardInquiry');
    await cardPrompt;
    const pinPrompt = padPrompt('pin');
    await call('trainingPinpad', { action: 'card', cardId: 'debit-swipe', how: 'swipe' });
    await pinPrompt;
    await call('cancelInquiry', { inquiryId });
    const result = (await done).result!;
    expect(result.outcome).toBe('cancelled');
    expect((await core.store.transactions.get(result.transactionId!))?.outcome).toBe('cancelled');
  });

  it('refuses a second inquiry while one runs', async () => {
    const waitingCard = nextProgress((p) => p.step === 'waiting-card');
    const done = nextProgress((p) => p.step === 'done');
    const { inquiryId } = await call<{ inquiryId: number }>('startCardInquiry');
    await waitingCard;
    await expect(call('startCardInquiry')).rejects.toMatchObject({ code: 'BUSY' });
    await call('cancelInquiry', { inquiryId });
    expect((await done).result?.outcome).toBe('cancelled');
  });

  it('prints the slip to the printer emulator and counts the print', async () => {
    const result = await cardInquiry('debit-swipe', 'swipe', '123456');
    const printed = await call<{ bytesSent: number }>('printSlip', {
      transactionId: result.transactionId,
      copy: 'customer',
    });
    expect(printed.bytesSent).toBeGreaterThan(200);
    const paper = core.terminals.current().terminal.training!.printer.text();
    expect(paper).toContain('622202*********3446');
    expect(paper).toContain('本笔为余额查询，不发生资金变动');
    expect((await core.store.transactions.get(result.transactionId!))?.printedCount).toBe(1);
    const preview = await call<{ svg: string }>('slipPreview', {
      transactionId: result.transactionId,
      copy: 'customer',
    });
    expect(preview.svg).toContain('<svg');
  });
});

describe('payment account inquiry in training mode', () => {
  it('answers with an SMS code the simulator "sent"', async () => {
    const sent = await call<{ sentToMasked: string }>('requestWalletCode', {
      account: '13812345678',
    });
    expect(sent.sentToMasked).toBe('138****5678');
    const info = await call<{ smsCodes: { code: string }[] }>('trainingInfo');
    const done = nextProgress((p) => p.step === 'done');
    await call('startWalletInquiry', {
      account: '13812345678',
      proof: { kind: 'sms', code: info.smsCodes[0]!.code },
    });
    const result = (await done).result!;
    expect(result).toMatchObject({
      outcome: 'approved',
      accountKind: 'wallet',
      maskedAccount: '138****5678',
      availableFen: 1_204_300,
      ledgerFen: 1_254_300,
    });
  });

  it('refuses a wrong SMS code and logs it', async () => {
    const done = nextProgress((p) => p.step === 'done');
    await call('startWalletInquiry', {
      account: '13900000002',
      proof: { kind: 'sms', code: '000000' },
    });
    const result = (await done).result!;
    expect(result.outcome).not.toBe('approved');
    expect(result.transactionId).not.toBeNull();
    const row = await core.store.transactions.get(result.transactionId!);
    expect(row?.outcome).not.toBe('approved');
    expect(row?.maskedAccount).toBe('139****0002');
  });

  it('takes the SMS code again after a wrong one: the host keeps the code it sent', async () => {
    const sent = await call<{ resendAfterSeconds: number }>('requestWalletCode', {
      account: '13700001111',
    });
    // The screen counts down to when the host takes a resend request.
    expect(sent.resendAfterSeconds).toBeGreaterThan(0);
    const info = await call<{ smsCodes: { accountMasked: string; code: string }[] }>(
      'trainingInfo',
    );
    const code = info.smsCodes.find((c) => c.accountMasked === '137****1111')!.code;
    const wrong = code === '000000' ? '111111' : '000000';
    let done = nextProgress((p) => p.step === 'done');
    await call('startWalletInquiry', {
      account: '13700001111',
      proof: { kind: 'sms', code: wrong },
    });
    expect((await done).result).toMatchObject({
      outcome: 'declined',
      errorCode: 'SMS_CODE_WRONG',
      retry: 'sms-code',
      triesLeft: 2,
    });
    done = nextProgress((p) => p.step === 'done');
    await call('startWalletInquiry', { account: '13700001111', proof: { kind: 'sms', code } });
    expect((await done).result).toMatchObject({ outcome: 'approved', retry: null });
  });

  it('offers the payment password again after a wrong one, with the tries left', async () => {
    const pinPrompt = padPrompt('pin');
    const done = nextProgress((p) => p.step === 'done');
    await call('startWalletInquiry', { account: '13812345678', proof: { kind: 'password' } });
    await pinPrompt;
    await typePin('999999');
    expect((await done).result).toMatchObject({
      outcome: 'declined',
      errorCode: 'PASSWORD_WRONG',
      retry: 'password',
    });
    expect((await done).result?.triesLeft).toBeGreaterThan(0);
  });

  it('answers with the payment password typed on the PIN pad', async () => {
    const pinPrompt = padPrompt('pin');
    const done = nextProgress((p) => p.step === 'done');
    await call('startWalletInquiry', { account: '13812345678', proof: { kind: 'password' } });
    await pinPrompt;
    await typePin('123456');
    expect((await done).result).toMatchObject({
      outcome: 'approved',
      maskedAccount: '138****5678',
    });
  });
});

describe('log', () => {
  it('searches by last 4 digits and verifies the chain', async () => {
    const page = await call<{ rows: InquiryView[] }>('searchLog', { last4: '3446' });
    expect(page.rows.length).toBeGreaterThanOrEqual(3);
    expect(page.rows.every((r) => r.maskedAccount.endsWith('3446'))).toBe(true);
    expect(await call('verifyLog')).toMatchObject({ ok: true });
  });

  it('keeps no full card number anywhere in the data folder', async () => {
    await core.close();
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
    for (const file of files) {
      const bytes = readFileSync(file).toString('latin1');
      for (const pan of ['6222020200112233446', '6228480012345678903']) {
        expect(bytes.includes(pan), `${file} contains a PAN`).toBe(false);
      }
    }
    core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  });
});
