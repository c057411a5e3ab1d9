// Who to call: every failure the cashier sees names a phone, and now the right one: the bank
// host's own number for host failures, the payment institution's for wallet failures, the shop's
// service phone for devices and the rest. First the rule, then a training console with the
// numbers set in Settings: a bank host with a bad MAC and a wallet host with a system error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InquiryView } from '../../../src-main/contract';
import { advice, failingParty } from '../../../src-main/core/inquiry/view';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

const SETTINGS = {
  servicePhone: '95516',
  phones: { bank: '95588', wallet: '95017' },
  training: false,
};

describe('the failing party and its phone', () => {
  it('tells the bank host, the wallet provider and everything else apart', () => {
    expect(failingParty('HOST_TIMEOUT', null)).toBe('bank');
    expect(failingParty('HOST_BAD_MAC', null)).toBe('bank');
    expect(failingParty(null, '22')).toBe('bank');
    expect(failingParty('SYSTEM_ERROR', null)).toBe('wallet');
    expect(failingParty('RESPONSE_TIMEOUT', null)).toBe('wallet');
    expect(failingParty('INTERNAL', null)).toBe('other');
    expect(failingParty('PRINTER_NOT_READY', null)).toBe('other');
  });

  it("names the bank's number for a host failure", () => {
    expect(advice(null, 'failed', 'HOST_TIMEOUT', SETTINGS)).toEqual({
      en: 'Try again. If it keeps failing, call the bank (95588).',
      zh: '请重试；如仍失败，请联系银行（电话 95588）。',
    });
    expect(advice('22', 'failed', null, SETTINGS)?.zh).toContain('95588');
  });

  it("names the payment institution's number for a wallet failure", () => {
    expect(advice(null, 'failed', 'SYSTEM_ERROR', SETTINGS)).toEqual({
      en: 'Try again. If it keeps failing, call the payment institution (95017).',
      zh: '请重试；如仍失败，请联系支付机构（电话 95017）。',
    });
  });

  it("names the shop's service phone for anything else", () => {
    expect(advice(null, 'failed', 'INTERNAL', SETTINGS)?.zh).toBe(
      '请重试；如仍失败，请联系银行或POS服务商（电话 95516）。',
    );
  });

  it('falls back to the service phone when a party has no number of its own', () => {
    const none = { ...SETTINGS, phones: { bank: '', wallet: ' ' } };
    for (const code of ['HOST_TIMEOUT', 'SYSTEM_ERROR']) {
      expect(advice(null, 'failed', code, none)?.zh).toBe(
        '请重试；如仍失败，请联系银行或POS服务商（电话 95516）。',
      );
    }
  });

  it('says "try again" once in Chinese: not again when the message says it (card-error screen)', () => {
    const timeout = {
      en: 'the bank host did not answer in time',
      zh: '银行主机应答超时，请稍后重试',
    };
    expect(advice(null, 'failed', 'HOST_TIMEOUT', SETTINGS, timeout)).toEqual({
      en: 'Try again. If it keeps failing, call the bank (95588).',
      zh: '如仍失败，请联系银行（电话 95588）。',
    });
    const noConnect = { en: 'cannot connect to the bank host', zh: '无法连接银行主机，请检查网络' };
    expect(advice(null, 'failed', 'HOST_CONNECT_FAILED', SETTINGS, noConnect)?.zh).toBe(
      '请重试；如仍失败，请联系银行（电话 95588）。',
    );
  });

  it('sends a replaced PIN pad to the supervisor, not to a phone', () => {
    expect(advice(null, 'failed', 'PINPAD_REPLACED', SETTINGS)?.zh).toContain('设备管理');
  });
});

describe('phones set in Settings, in a running console', () => {
  let tc: TrainingConsole;

  beforeAll(async () => {
    tc = await openTrainingConsole('phones');
    await tc.call(tc.supervisor, 'saveSettings', { bankPhone: '95588', walletPhone: '95017' });
    await tc.call(tc.supervisor, 'applyChanges');
  });
  afterAll(async () => {
    await tc?.close();
  });

  it('shows them in Settings', async () => {
    const settings = await tc.call<{ bankPhone: string; walletPhone: string }>(
      tc.supervisor,
      'getSettings',
    );
    expect(settings).toMatchObject({ bankPhone: '95588', walletPhone: '95017' });
  });

  it("a card inquiry the bank host answers with a bad MAC names the bank's number", async () => {
    await tc.call(tc.supervisor, 'signOn');
    await tc.call(tc.supervisor, 'trainingFault', { host: 'bad-mac' });
    expect(tc.core.status.snapshot().trainingFaults).toEqual(['host-bad-mac']);
    const cardPrompt = tc.padPrompt('card');
    const done = tc.nextProgress((p) => p.step === 'done');
    await tc.call(tc.supervisor, 'startCardInquiry');
    await cardPrompt;
    const pinPrompt = tc.padPrompt('pin');
    await tc.call(tc.supervisor, 'trainingPinpad', {
      action: 'card',
      cardId: 'debit-swipe',
      how: 'swipe',
    });
    await pinPrompt;
    for (const key of ['1', '2', '3', '4', '5', '6', 'enter']) {
      await tc.call(tc.supervisor, 'trainingPinpad', { action: 'key', key });
    }
    const result = (await done).result as InquiryView;
    expect(result.errorCode).toBe('HOST_BAD_MAC');
    // The message already says to sign on and try again (请重新签到后重试): not said twice.
    expect(result.message.zh).toContain('重试');
    expect(result.advice?.zh).toBe('如仍失败，请联系银行（电话 95588）。');
    // The host did answer: online, with what went wrong; not "offline".
    expect(tc.core.status.snapshot()).toMatchObject({
      hostOnline: true,
      hostProblem: 'HOST_BAD_MAC',
    });
    await tc.call(tc.supervisor, 'trainingFault', { host: 'none' });
    expect(tc.core.status.snapshot().trainingFaults).toEqual([]);
  });

  it("a wallet inquiry the wallet host refuses names the payment institution's number", async () => {
    tc.peers().wallet.faults.set({ forceErrorCode: 'SYSTEM_ERROR' });
    const done = tc.nextProgress((p) => p.step === 'done');
    await tc.call(tc.supervisor, 'startWalletInquiry', {
      account: '13812345678',
      proof: { kind: 'sms', code: '123456' },
    });
    const result = (await done).result as InquiryView;
    tc.peers().wallet.faults.clear();
    expect(result.errorCode).toBe('SYSTEM_ERROR');
    // 钱包主机故障，请稍后再试: the advice does not ask to try again a second time.
    expect(result.message.zh).toContain('再试');
    expect(result.advice?.zh).toBe('如仍失败，请联系支付机构（电话 95017）。');
  });
});
