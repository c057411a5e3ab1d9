// The training panel's public test data, as the console hands it to the screen: the cards in
// the shop's words (no "UNIONPAY DEBIT" on a Chinese screen), and the payment accounts with
// their payment passwords, so a trainee can practise the payment-account inquiry too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingInfo } from '../../../src-main/contract';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

let tc: TrainingConsole;
let info: TrainingInfo;

beforeAll(async () => {
  tc = await openTrainingConsole('training-info');
  info = await tc.call<TrainingInfo>(tc.supervisor, 'trainingInfo');
});

afterAll(async () => {
  await tc?.close();
});

describe('training data for the panel', () => {
  it('names each card in Chinese and English, with its PIN and no raw status word', () => {
    expect(info.cards.length).toBeGreaterThan(0);
    for (const card of info.cards) {
      expect(card.label.zh).toMatch(/^银联(借记|信用)卡$/);
      expect(card.label.en).toMatch(/^UnionPay (debit|credit) card$/);
      expect(card.pin).toMatch(/^\d{4,12}$/);
      expect(card.maskedPan).toMatch(/\*{3,}/);
      // An active card needs no note; a refused one says why in words.
      expect(card.note).toEqual(card.status === 'active' ? { zh: '', en: '' } : card.note);
      expect(card.note.zh).not.toMatch(/[a-z]/i);
    }
    const credit = info.cards.find((c) => c.id === 'credit-swipe');
    expect(credit?.label).toEqual({ zh: '银联信用卡', en: 'UnionPay credit card' });
  });

  it('lists the payment accounts with their payment passwords and a frozen one as such', () => {
    const accounts = new Map(info.walletAccounts.map((a) => [a.account, a]));
    expect(accounts.get('13812345678')?.password).toBe('123456');
    expect(accounts.get('13900000002')?.password).toBe('654321');
    expect(accounts.get('13600000004')?.note).toEqual({ en: 'frozen', zh: '已冻结' });
  });
});
