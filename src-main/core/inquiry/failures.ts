// Failures as an inquiry's log row and screen carry them: the inquiry's own (a table here), and
// any layer's typed error, with its code and words as they are.
import type { Bilingual } from '../../contract';
import { WalletError } from '../../host/wallet';
import { isLayerError } from '../errors';

const INQUIRY_TEXT = {
  CARD_DECLINED_OFFLINE: ['The card declined offline.', '卡片脱机拒绝，请联系发卡行。'],
  NO_PIN_BLOCK: ['The PIN pad returned no PIN block.', '密码键盘未返回密码，请重试。'],
  PIN_REENTRY_CANCELLED: [
    'The bank asked for the PIN again after renewing the keys, and it was not entered. Start the inquiry again.',
    '银行更新密钥后需要重新输入密码，但未输入。请重新查询。',
  ],
} as const;

export type InquiryErrorCode = keyof typeof INQUIRY_TEXT;

/** The inquiry's own refusal, where it has to be thrown: inside the host client's PIN re-entry
 *  callback. Elsewhere a step ends with `{ kind: 'failed', failure: inquiryFailure(code) }`. */
export class InquiryError extends Error {
  override readonly name = 'InquiryError';
  readonly messageZh: string;
  constructor(readonly code: InquiryErrorCode) {
    super(INQUIRY_TEXT[code][0]);
    this.messageZh = INQUIRY_TEXT[code][1];
  }
}

export interface InquiryFailure {
  /** The failing layer's own code (HOST_TIMEOUT, NOT_CONNECTED, SMS_CODE_WRONG ...). */
  code: string;
  message: Bilingual;
  /** The other side answered no (the wallet host refused): the row says declined, not failed. */
  refused: boolean;
}

export function inquiryFailure(code: InquiryErrorCode): InquiryFailure {
  const [en, zh] = INQUIRY_TEXT[code];
  return { code, message: { en, zh }, refused: false };
}

/** Any error a step threw, as the row and the screen show it. */
export function failureOf(err: unknown): InquiryFailure {
  if (!isLayerError(err)) {
    return {
      code: 'INTERNAL',
      message: { en: 'Something went wrong inside the console.', zh: '收银台内部出错。' },
      refused: false,
    };
  }
  return {
    code: err.code,
    message: { en: err.message, zh: err.messageZh },
    refused: err instanceof WalletError && err.kind === 'refused',
  };
}
