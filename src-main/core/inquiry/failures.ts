// Failures as an inquiry's log row and screen carry them: the inquiry's own (a catalogue here),
// and any layer's typed error (a CashierError), with its code and words as they are.
import { CashierError, errorCatalogue, errorClass, messageOf } from '../../common';
import type { Bilingual } from '../../contract';
import { WalletRefusedError } from '../../host/wallet';

export const INQUIRY_ERRORS = errorCatalogue({
  CARD_DECLINED_OFFLINE: {
    en: 'The card declined offline.',
    zh: '卡片脱机拒绝，请联系发卡行。',
  },
  NO_PIN_BLOCK: {
    en: 'The PIN pad returned no PIN block.',
    zh: '密码键盘未返回密码，请重试。',
  },
  PIN_REENTRY_CANCELLED: {
    en: 'The bank asked for the PIN again after renewing the keys, and it was not entered. Start the inquiry again.',
    zh: '银行更新密钥后需要重新输入密码，但未输入。请重新查询。',
  },
  /** The retry key after a wrong PIN, when that inquiry is over (Esc, another inquiry, time). */
  PIN_RETRY_GONE: {
    en: 'This inquiry is over, so the PIN cannot be entered again in it. Start a new inquiry (F1).',
    zh: '本次查询已结束，不能再重新输入密码。请重新查询（F1）。',
  },
  /** Esc while the host was asked: the row stays open until the host's late answer. */
  ABANDONED: {
    en: 'Stopped waiting for the host: outcome unknown.',
    zh: '已放弃等待主机应答，结果未知。',
  },
  /** Something that is not one of our typed errors: a bug. */
  INTERNAL: {
    en: 'Something went wrong inside the console.',
    zh: '收银台内部出错。',
  },
});

export type InquiryErrorCode = Exclude<keyof typeof INQUIRY_ERRORS, 'INTERNAL'>;

/** The inquiry's own refusal, where it has to be thrown: inside the host client's PIN re-entry
 *  callback, or a retry asked of an inquiry that is over. Elsewhere a step ends with `{ kind: 'failed', failure: inquiryFailure(code) }`. */
export class InquiryError extends errorClass(INQUIRY_ERRORS) {
  override readonly name = 'InquiryError';
}

export interface InquiryFailure {
  /** The failing layer's own code (HOST_TIMEOUT, NOT_CONNECTED, SMS_CODE_WRONG ...). */
  code: string;
  message: Bilingual;
  /** The other side answered no (the wallet host refused): the row says declined, not failed. */
  refused: boolean;
  /** Wrong SMS code or payment password: the tries the wallet host says are left. */
  triesLeft?: number;
  /** The English diagnostic behind the words (a frame, a field), for the log row only. */
  detail?: string;
}

export function inquiryFailure(code: InquiryErrorCode | 'INTERNAL'): InquiryFailure {
  return { code, message: messageOf(INQUIRY_ERRORS, code, undefined).text, refused: false };
}

/** Any error a step threw, as the row and the screen show it. */
export function failureOf(err: unknown): InquiryFailure {
  if (!(err instanceof CashierError)) return inquiryFailure('INTERNAL');
  const refused = err instanceof WalletRefusedError;
  return {
    code: err.code,
    message: err.text,
    ...(err.message !== err.text.en ? { detail: err.message } : {}),
    refused,
    ...(refused && err.triesLeft !== undefined ? { triesLeft: err.triesLeft } : {}),
  };
}
