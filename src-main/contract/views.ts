// Plain types several channels and the events share. No schema library here: the Electron
// preload and the renderer may import these freely.
import type { Outcome } from '../common';

export type { Outcome } from '../common';

export type Language = 'zh-CN' | 'en';
export type Role = 'supervisor' | 'cashier';

export interface OperatorView {
  operatorNo: string;
  name: string;
  role: Role;
}

export type DeviceState = 'ready' | 'missing' | 'error' | 'busy' | 'training';

/** What the status bar shows. */
export interface StatusSnapshot {
  hostOnline: boolean;
  signedOn: boolean;
  pinpad: DeviceState;
  printer: DeviceState;
}

/** Text in both languages: what happened, and what to do. */
export interface Bilingual {
  en: string;
  zh: string;
}

/** One inquiry as the screens and the log show it. Never a full card number. */
export interface InquiryView {
  transactionId: number | null;
  accountKind: 'card' | 'wallet';
  maskedAccount: string;
  entryMode: string;
  outcome: Outcome;
  responseCode: string | null;
  /** The failing layer's own code (e.g. HOST_TIMEOUT, NOT_CONNECTED), when it failed. */
  errorCode: string | null;
  message: Bilingual;
  /** What the cashier should do next, when something went wrong. */
  advice: Bilingual | null;
  ledgerFen: number | null;
  availableFen: number | null;
  currency: string | null;
  rrn: string | null;
  stan: string | null;
  operatorNo: string;
  at: string;
  training: boolean;
  printedCount: number;
}

export type InquiryStep = 'signing-on' | 'waiting-card' | 'waiting-pin' | 'processing' | 'done';

export interface InquiryProgress {
  inquiryId: number;
  kind: 'card' | 'wallet';
  step: InquiryStep;
  maskedAccount: string | null;
  /** Digits typed so far on the PIN pad (never the digits themselves). */
  pinDigits: number;
  /** Text the PIN pad asks the PC to show. */
  padText: string | null;
  result: InquiryView | null;
}

export interface SessionEnded {
  reason: 'password-reset' | 'locked' | 'password-changed' | 'idle';
}
