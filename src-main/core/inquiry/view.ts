// An inquiry as the screens show it, from its log row or from a failure that left no row, with
// the advice line: what the cashier does next.
import type { Bilingual, InquiryRetry, InquiryView, Outcome } from '../../contract';
import type { PinpadErrorCode } from '../../devices/pinpad';
import type { PrinterErrorCode } from '../../devices/printer';
import type { SerialErrorCode } from '../../devices/serial';
import { lookupResponseCode } from '../../host';
import { WALLET_ERRORS, type WalletErrorCode } from '../../host/wallet';
import type { InquiryRecord } from '../../store';
import type { TerminalErrorCode } from '../terminal/types';

export interface ViewSettings {
  /** The shop's service phone (POS provider), named in the advice for devices and the rest. */
  servicePhone: string;
  /** The bank host's and the wallet provider's own phones ('' or absent: the service phone). */
  phones?: { bank: string; wallet: string };
  /** For views that have no row to say it. */
  training: boolean;
}

const CHECK_PINPAD_CABLE: Bilingual = {
  en: 'Check the PIN pad cable, then try again.',
  zh: '请检查密码键盘连接线后重试。',
};
const CUSTOMER_CHECKS: Bilingual = {
  en: 'Ask the customer to check and try again.',
  zh: '请顾客核对后重试。',
};

/** Advice for the codes of the layers below that have their own (null: none at all). */
const ADVICE_BY_CODE: Partial<
  Record<
    | PinpadErrorCode
    | SerialErrorCode
    | WalletErrorCode
    | PrinterErrorCode
    | TerminalErrorCode
    | 'ABANDONED',
    Bilingual | null
  >
> = {
  // Esc while the host was asked: its late answer still lands in the log row.
  ABANDONED: {
    en: 'If the host answers later, its answer is recorded in the log (F3).',
    zh: '主机如稍后应答，结果将记入交易日志（F3）。',
  },
  // Not a number to call: a supervisor on this console decides.
  PINPAD_REPLACED: {
    en: 'A supervisor checks and approves the new PIN pad on the Devices screen (F5); then inquiries continue.',
    zh: '主管在“设备管理”（F5）中核对并批准新密码键盘后即可继续。',
  },
  // The PIN pad or its port.
  NOT_CONNECTED: CHECK_PINPAD_CABLE,
  NO_RESPONSE: CHECK_PINPAD_CABLE,
  DEVICE_ERROR: CHECK_PINPAD_CABLE,
  SERIAL_PORT_MISSING: CHECK_PINPAD_CABLE,
  SERIAL_OPEN_FAILED: CHECK_PINPAD_CABLE,
  // The customer's SMS code or payment password.
  SMS_CODE_NOT_REQUESTED: CUSTOMER_CHECKS,
  SMS_CODE_WRONG: CUSTOMER_CHECKS,
  SMS_CODE_EXPIRED: CUSTOMER_CHECKS,
  SMS_CODE_TRIES_EXCEEDED: CUSTOMER_CHECKS,
  SMS_CODE_FORMAT: CUSTOMER_CHECKS,
  PASSWORD_WRONG: CUSTOMER_CHECKS,
  PASSWORD_LOCKED: CUSTOMER_CHECKS,
  // The printer says what to do itself.
  PRINTER_TARGET_INVALID: null,
  PRINTER_NOT_CONNECTED: null,
  PRINTER_PERMISSION_DENIED: null,
  PRINTER_NO_REPLY: null,
  PRINTER_NOT_READY: null,
  PRINTER_PAPER_OUT_DURING_PRINT: null,
  PRINTER_STOPPED_DURING_PRINT: null,
  PRINTER_COMPLETION_TIMEOUT: null,
  PRINTER_CONNECTION_LOST: null,
};

/** Who failed, so the cashier calls the right number: the bank host (its HOST_ codes, or an
 *  answer that is not a decline), the wallet provider (its codes), or anything else (the PIN pad,
 *  the printer, the console: the shop's service phone). */
export type FailingParty = 'bank' | 'wallet' | 'other';

export function failingParty(errorCode: string | null, responseCode: string | null): FailingParty {
  if (errorCode?.startsWith('HOST_')) return 'bank';
  if (errorCode && Object.hasOwn(WALLET_ERRORS, errorCode)) return 'wallet';
  if (!errorCode && responseCode) return 'bank';
  return 'other';
}

/** "Try again, then call …" with the failing party's own number. Chinese words of a failure
 *  often end in 请稍后重试 or 请稍后再试 already (saysRetry): then the advice does not say it a second time. */
export function callAdvice(
  party: FailingParty,
  settings: ViewSettings,
  saysRetry = false,
): Bilingual {
  const retry = saysRetry ? '' : '请重试；';
  const own = party === 'other' ? '' : (settings.phones?.[party] ?? '').trim();
  if (party === 'bank' && own) {
    return {
      en: `Try again. If it keeps failing, call the bank (${own}).`,
      zh: `${retry}如仍失败，请联系银行（电话 ${own}）。`,
    };
  }
  if (party === 'wallet' && own) {
    return {
      en: `Try again. If it keeps failing, call the payment institution (${own}).`,
      zh: `${retry}如仍失败，请联系支付机构（电话 ${own}）。`,
    };
  }
  const phone = settings.servicePhone;
  return {
    en: `Try again. If it keeps failing, call the bank or POS service provider (${phone}).`,
    zh: `${retry}如仍失败，请联系银行或POS服务商（电话 ${phone}）。`,
  };
}

/** The advice line for an outcome: what the cashier does next (below the outcome's message). */
export function advice(
  responseCode: string | null,
  outcome: Outcome,
  errorCode: string | null,
  settings: ViewSettings,
  message?: Bilingual,
): Bilingual | null {
  if (outcome === 'approved') return null;
  if (outcome === 'cancelled')
    return { en: 'Start again when the customer is ready.', zh: '顾客准备好后可重新查询。' };
  if (responseCode === '55')
    return { en: 'Ask the customer to enter the PIN again.', zh: '请顾客重新输入密码。' };
  if (responseCode === '75') return CARD_LOCKED_BY_BANK;
  if (responseCode && lookupResponseCode(responseCode).class === 'decline') {
    return { en: 'Ask the customer to contact the card issuer.', zh: '请顾客联系发卡银行。' };
  }
  if (errorCode && Object.hasOwn(ADVICE_BY_CODE, errorCode)) {
    return ADVICE_BY_CODE[errorCode as keyof typeof ADVICE_BY_CODE] ?? null;
  }
  // 重试 | 再试, escaped: esbuild keeps a regular expression's characters as written, and the
  // command bundle must stay ASCII to load fast (build/scripts/bundle-main.mjs checks it).
  const saysRetry = /\u91cd\u8bd5|\u518d\u8bd5/.test(message?.zh ?? '');
  return callAdvice(failingParty(errorCode, responseCode), settings, saysRetry);
}

/** The bank's 75: the issuer locked the card; nothing at this till can undo it. */
const CARD_LOCKED_BY_BANK: Bilingual = {
  en: 'The card issuer has locked this card after too many wrong PINs; this terminal cannot unlock it. Ask the customer to call the issuer (the service number on the back of the card) or visit a branch with ID.',
  zh: '密码错误次数超限，发卡银行已锁定此卡，本机无法解锁。请顾客拨打卡片背面的发卡银行客服电话，或携带身份证件到银行网点办理。',
};

/** This till's own limit of PIN tries per inquiry is used up (the bank may allow more or fewer). */
export function pinTriesUsedUp(limit: number): Bilingual {
  return {
    en: `This terminal allows ${limit} PIN ${limit === 1 ? 'try' : 'tries'} per inquiry, and they are used up. Ask the customer to make sure of the PIN before a new inquiry: more wrong PINs may get the card locked by the bank.`,
    zh: `本机每次查询最多可输入 ${limit} 次密码，已用完。请顾客确认密码后再重新查询，以免多次输错被发卡银行锁卡。`,
  };
}

/** What the cashier may try again at once, on the same screen: the customer mistyped the PIN
 *  (the bank's 55), the SMS code or the payment password. Anything else starts over. */
export function retryOf(
  responseCode: string | null,
  outcome: Outcome,
  errorCode: string | null,
): InquiryRetry | null {
  if (outcome !== 'declined') return null;
  if (responseCode === '55') return 'pin';
  if (errorCode === 'SMS_CODE_WRONG') return 'sms-code';
  if (errorCode === 'PASSWORD_WRONG') return 'password';
  return null;
}

type ViewParts = Pick<InquiryView, 'accountKind' | 'maskedAccount' | 'entryMode' | 'outcome'> &
  Partial<Omit<InquiryView, 'advice' | 'retry'>> & { message: Bilingual };

export function inquiryView(parts: ViewParts, settings: ViewSettings): InquiryView {
  const responseCode = parts.responseCode ?? null;
  const errorCode = parts.errorCode ?? null;
  return {
    transactionId: parts.transactionId ?? null,
    accountKind: parts.accountKind,
    maskedAccount: parts.maskedAccount,
    entryMode: parts.entryMode,
    outcome: parts.outcome,
    responseCode,
    message: parts.message,
    errorCode,
    advice: advice(responseCode, parts.outcome, errorCode, settings, parts.message),
    retry: retryOf(responseCode, parts.outcome, errorCode),
    // Only what the host or the pad said, for this answer; a logged row does not keep it.
    triesLeft: parts.triesLeft ?? null,
    ledgerFen: parts.ledgerFen ?? null,
    availableFen: parts.availableFen ?? null,
    currency: parts.currency ?? null,
    rrn: parts.rrn ?? null,
    stan: parts.stan ?? null,
    operatorNo: parts.operatorNo ?? '',
    at: parts.at ?? new Date().toISOString(),
    training: parts.training ?? settings.training,
    printedCount: parts.printedCount ?? 0,
  };
}

/** A logged inquiry, as the screens and the log search show it. */
export function viewOfRecord(record: InquiryRecord, settings: ViewSettings): InquiryView {
  return inquiryView(
    {
      accountKind: record.accountKind,
      operatorNo: record.operatorNo,
      transactionId: record.id,
      maskedAccount: record.maskedAccount,
      entryMode: record.entryMode,
      outcome: record.outcome,
      responseCode: record.responseCode,
      errorCode: record.errorCode,
      message: messageFor(record),
      ledgerFen: record.ledgerFen,
      availableFen: record.availableFen,
      currency: record.currency,
      rrn: record.rrn,
      stan: record.stan,
      at: record.createdAt,
      training: record.training,
      printedCount: record.printedCount,
    },
    settings,
  );
}

function messageFor(record: InquiryRecord): Bilingual {
  if (record.responseCode) {
    const info = lookupResponseCode(record.responseCode);
    return { en: info.en, zh: info.zh };
  }
  if (record.outcome === 'cancelled') {
    return record.errorCode === 'PIN_TIMEOUT'
      ? { en: 'The customer did not enter a PIN in time.', zh: '顾客输入密码超时。' }
      : { en: 'Cancelled.', zh: '已取消。' };
  }
  if (record.outcome === 'unknown') {
    return {
      en: 'Outcome unknown: the console stopped during this inquiry.',
      zh: '结果未知：查询过程中收银台中断。',
    };
  }
  const [zh, en] = (record.errorMessage ?? '').split(' / ');
  return { zh: zh || '查询失败。', en: en || zh || 'The inquiry failed.' };
}
