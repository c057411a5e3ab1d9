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
  // The rest is optional only for older snapshots and test fixtures; the core sends all of it.
  /** How the bank host link is protected (live mode refuses 'unprotected'). */
  link?: LinkProtection;
  /** The wallet host link's protection; null when no wallet host is configured. */
  walletLink?: LinkProtection | null;
  /** A pinned certificate that expires within 30 days (seen at the last TLS handshake). */
  certExpiry?: CertExpiryWarning | null;
  /** The host's last failure code while it shows it (HOST_TIMEOUT, HOST_BAD_MAC ...). */
  hostProblem?: string | null;
  /** The printer's most serious problem now (PRINTER_PAPER_END, PRINTER_COVER_OPEN ...). */
  printerProblem?: string | null;
  /** The PIN pad is not the one a supervisor trusts: card inquiries wait for approval. */
  pinpadReplaced?: boolean;
  /** The printer is not the one a supervisor trusts: slips wait for approval. */
  printerReplaced?: boolean;
  /** Training faults armed now (training mode only). */
  trainingFaults?: TrainingFaultName[];
}

/** TLS with a pinned certificate, a private line / VPN a supervisor recorded, neither, or (training)
 *  the simulators on this PC. */
export type LinkProtection = 'tls' | 'private-line' | 'unprotected' | 'local';

export interface CertExpiryWarning {
  party: 'host' | 'wallet';
  /** ISO 8601, UTC: the certificate's valid_to. */
  validTo: string;
  daysLeft: number;
}

/** The faults a trainer can arm (training channel), as the status bar names them. */
export type TrainingFaultName =
  | 'host-timeout'
  | 'host-bad-mac'
  | 'printer-paper-out'
  | 'printer-paper-out-mid-slip'
  | 'printer-cover-open'
  | 'printer-offline';

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
  /** What the screen may offer to try again at once: the PIN ('pin'), the SMS code
   *  ('sms-code') or the payment password ('password'); null when nothing is to retry. */
  retry: InquiryRetry | null;
  /** Tries the host or the PIN pad says are left; null when it did not say (never guessed). */
  triesLeft: number | null;
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

export type InquiryRetry = 'pin' | 'sms-code' | 'password';

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
  /** While asking the host: the longest it may take from this event (its response timeout),
   *  for the countdown; null in the other steps. */
  waitMs: number | null;
  result: InquiryView | null;
}

/** What an open window applies as soon as a supervisor saves it. */
export interface LiveSettings {
  /** Minutes without input before the screen locks; 0 = never. */
  idleLockMinutes: number;
}

export interface SessionEnded {
  reason: 'password-reset' | 'locked' | 'password-changed' | 'idle';
}
