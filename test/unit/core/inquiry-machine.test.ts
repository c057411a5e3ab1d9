// The inquiry as a state machine: the engine under the flows table, the table itself, and the
// flows' harder turns on a whole training console: the row written before the host exchange,
// the PIN entered again after the bank renewed the keys, the wallet PIN key fetched again.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InquiryProgress, InquiryView } from '../../../src-main/contract';
import { CARD_PATHS, WALLET_PATHS } from '../../../src-main/core/inquiry/flows';
import { walk } from '../../../src-main/core/inquiry/machine';
import type { InquiryContext, Step } from '../../../src-main/core/inquiry/types';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

describe('the engine', () => {
  const inquiry = {} as InquiryContext;
  const ran: string[] = [];
  const step =
    (name: string, next: Awaited<ReturnType<Step<InquiryContext, 'a' | 'b'>>>) => async () => {
      ran.push(name);
      return next;
    };

  it('walks a path, follows a fork and stops at the ending', async () => {
    ran.length = 0;
    const ending = await walk(
      {
        a: [step('a1', 'next'), step('a2', { fork: 'b' }), step('a3', 'next')],
        b: [step('b1', 'next'), step('b2', { end: { kind: 'logged' } }), step('b3', 'next')],
      },
      'a',
      inquiry,
    );
    expect(ran).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(ending).toEqual({ kind: 'logged' });
  });

  it('refuses a path that runs out without an ending', async () => {
    await expect(walk({ a: [step('a1', 'next')], b: [] }, 'a', inquiry)).rejects.toThrow(
      'inquiry path a ended without an ending',
    );
  });
});

describe('the flows table', () => {
  const names = (steps: readonly { name: string }[]) => steps.map((s) => s.name);

  it('reads the card flows side by side: swipe, chip and tap', () => {
    expect(names(CARD_PATHS.card)).toEqual(['signOnIfNeeded', 'openPadForCard', 'readCard']);
    expect(names(CARD_PATHS.swipe)).toEqual(['openLogRow', 'swipePin', 'askBank', 'logBankAnswer']);
    for (const entry of ['chip', 'tap'] as const) {
      expect(names(CARD_PATHS[entry])).toEqual([
        'openLogRow',
        'chipPin',
        'askBank',
        'chipFinish',
        'logBankAnswer',
      ]);
    }
  });

  it('reads the payment account flows side by side: SMS code and payment password', () => {
    expect(names(WALLET_PATHS.sms)).toEqual([
      'findWalletHost',
      'showAccount',
      'openLogRow',
      'askWalletWithSmsCode',
      'logWalletBalance',
    ]);
    expect(names(WALLET_PATHS.password)).toEqual([
      'findWalletHost',
      'showAccount',
      'openLogRow',
      'openPadForPassword',
      'enterPassword',
      'askWalletWithPassword',
      'logWalletBalance',
    ]);
  });
});

describe('the flows on a training console', () => {
  let t: TrainingConsole;

  beforeAll(async () => {
    t = await openTrainingConsole('inquiry-machine');
  });

  afterAll(async () => {
    await t?.close();
  });

  const terminal = () => t.core.terminals.current().terminal;

  async function typePin(pin: string): Promise<void> {
    for (const key of pin) await t.call(t.supervisor, 'trainingPinpad', { action: 'key', key });
    await t.call(t.supervisor, 'trainingPinpad', { action: 'key', key: 'enter' });
  }

  /** Starts a swipe inquiry and enters the PIN once; resolves with the steps seen and the end. */
  async function swipe(pin: string, afterFirstPin?: (pinAgain: Promise<void>) => Promise<void>) {
    const steps: InquiryProgress['step'][] = [];
    const off = t.core.on('inquiry', (p) => steps.push(p.step));
    const done = t.nextProgress((p) => p.step === 'done');
    const cardPrompt = t.padPrompt('card');
    await t.call(t.supervisor, 'startCardInquiry');
    await cardPrompt;
    const pinPrompt = t.padPrompt('pin');
    await t.call(t.supervisor, 'trainingPinpad', {
      action: 'card',
      cardId: 'debit-swipe',
      how: 'swipe',
    });
    await pinPrompt;
    // The pad asks again only after the bank renewed the keys.
    const pinAgain = t.padPrompt('pin');
    await typePin(pin);
    await afterFirstPin?.(pinAgain);
    const result = (await done).result as InquiryView;
    off();
    return { steps, result };
  }

  it('asks for the PIN again when the bank renewed the keys on the way (re-sign-on)', async () => {
    await expect.poll(() => terminal().host.signedOn).toBe(true);
    t.peers().host.forgetKeys(t.core.terminals.config().terminal.id);
    const { steps, result } = await swipe('123456', async (pinAgain) => {
      await pinAgain;
      await typePin('123456');
    });
    expect(result).toMatchObject({ outcome: 'approved', responseCode: '00' });
    const afterHost = steps.slice(steps.indexOf('processing'));
    expect(afterHost).toEqual(expect.arrayContaining(['processing', 'waiting-pin', 'done']));
    expect(afterHost.lastIndexOf('processing')).toBeGreaterThan(afterHost.indexOf('waiting-pin'));
  });

  it('logs PIN_REENTRY_CANCELLED when the PIN is not entered again', async () => {
    t.peers().host.forgetKeys(t.core.terminals.config().terminal.id);
    const { result } = await swipe('123456', async (pinAgain) => {
      await pinAgain;
      await t.call(t.supervisor, 'trainingPinpad', { action: 'key', key: 'cancel' });
    });
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'PIN_REENTRY_CANCELLED' });
    expect(result.message.zh).toContain('需要重新输入密码');
    const row = await t.core.store.transactions.get(result.transactionId!);
    expect(row).toMatchObject({ outcome: 'failed', errorCode: 'PIN_REENTRY_CANCELLED' });
  });

  it('fetches the wallet PIN key again after the wallet host could not read a block', async () => {
    const password = async () => {
      const done = t.nextProgress((p) => p.step === 'done');
      const pinPrompt = t.padPrompt('pin');
      await t.call(t.supervisor, 'startWalletInquiry', {
        account: '13812345678',
        proof: { kind: 'password' },
      });
      await pinPrompt;
      await typePin('123456');
      return (await done).result as InquiryView;
    };
    expect(await password()).toMatchObject({ outcome: 'approved' });
    const forget = vi.spyOn(terminal(), 'forgetWalletPinKey');
    t.peers().wallet.faults.set({ forceErrorCode: 'PIN_BLOCK_INVALID' });
    const refused = await password();
    t.peers().wallet.faults.clear();
    expect(refused).toMatchObject({ outcome: 'declined', errorCode: 'PIN_BLOCK_INVALID' });
    expect(forget).toHaveBeenCalledTimes(1);
    expect(await password()).toMatchObject({ outcome: 'approved' });
    forget.mockRestore();
  });

  it('writes the row before the host exchange: it says outcome unknown until the answer', async () => {
    await t.call(t.supervisor, 'saveSettings', { host: { responseTimeoutMs: 1_000 } });
    await t.call(t.supervisor, 'applyChanges');
    await expect.poll(() => terminal().host.signedOn).toBe(true);
    await t.call(t.supervisor, 'trainingFault', { host: 'no-answer' });
    let during: unknown;
    const processing = t.nextProgress((p) => p.step === 'processing');
    const checked = processing.then(async () => {
      const [row] = (await t.core.store.transactions.search({ limit: 1 })).rows;
      during = row;
    });
    const { result } = await swipe('123456');
    await checked;
    await t.call(t.supervisor, 'trainingFault', { host: 'none' });
    expect(during).toMatchObject({ id: result.transactionId, outcome: 'unknown' });
    expect(result).toMatchObject({ outcome: 'failed', errorCode: expect.stringMatching(/^HOST_/) });
    const row = await t.core.store.transactions.get(result.transactionId!);
    expect(row?.outcome).toBe('failed');
  });
});
