// What the console sends the screens, with plain defaults a test overrides field by field.
import type { AppState, InquiryProgress, InquiryView } from '../../../src-main/contract';

export function appState(change: Partial<AppState> = {}): AppState {
  return {
    needsFirstSupervisor: false,
    mode: 'live',
    language: 'zh-CN',
    version: 'test',
    shell: 'web',
    merchantName: '测试商户',
    terminalId: 'T0000001',
    operator: { operatorNo: '2001', name: '李收银', role: 'cashier' },
    mustChangePassword: false,
    idleLockMinutes: 10,
    status: { hostOnline: true, signedOn: true, pinpad: 'ready', printer: 'ready' },
    ...change,
  };
}

export function progress(change: Partial<InquiryProgress> = {}): InquiryProgress {
  return {
    inquiryId: 1,
    kind: 'card',
    step: 'waiting-card',
    maskedAccount: null,
    pinDigits: 0,
    padText: null,
    waitMs: null,
    result: null,
    ...change,
  };
}

export function view(change: Partial<InquiryView> = {}): InquiryView {
  return {
    transactionId: 11,
    accountKind: 'card',
    maskedAccount: '622202*********3446',
    entryMode: 'swipe',
    outcome: 'approved',
    responseCode: '00',
    errorCode: null,
    message: { en: 'Approved', zh: '交易成功' },
    advice: null,
    retry: null,
    triesLeft: null,
    ledgerFen: 100,
    availableFen: 100,
    currency: '156',
    rrn: null,
    stan: null,
    operatorNo: '2001',
    at: '2026-12-02T08:00:00.000Z',
    training: false,
    printedCount: 0,
    ...change,
  };
}

/** The inquiry as it ends: the done step with its result. */
export function done(result: InquiryView, inquiryId = 1): InquiryProgress {
  return progress({ inquiryId, kind: result.accountKind, step: 'done', result });
}
