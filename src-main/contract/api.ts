// The one typed API between the renderer and the core. Each method has a runtime schema
// for its argument; both shells validate with these before anything reaches the core.
import { z } from 'zod';
import type { ApiMethod } from './names';

export type { ApiMethod, ApiEventName } from './names';

const operatorNo = z.string().regex(/^\d{2,8}$/, 'operator number: 2-8 digits');
const password = z.string().min(1).max(64);
/** A phone number or a wallet account id. */
const walletAccount = z.string().regex(/^\d{11,19}$/, 'account: 11-19 digits');
const transactionId = z.number().int().positive();
const slipCopy = z.enum(['customer', 'merchant']);

export const apiSchemas = {
  /** What the first screen needs: is there a supervisor yet, mode, language, versions. */
  getAppState: z.object({}).strict(),
  /** First run only: creates the first supervisor. Refused once any operator exists. */
  createFirstSupervisor: z
    .object({ operatorNo, name: z.string().trim().min(1).max(32), password })
    .strict(),
  login: z.object({ operatorNo, password }).strict(),
  logout: z.object({}).strict(),
  /** 0800 sign-on: downloads working keys and the batch number. */
  signOn: z.object({}).strict(),
  /** Starts a bank card inquiry; progress arrives as `inquiry` events. */
  startCardInquiry: z.object({}).strict(),
  /** Stops the running inquiry (the PIN pad returns to idle). */
  cancelInquiry: z.object({ inquiryId: z.number().int().positive() }).strict(),
  /** Asks the wallet host to send an SMS code to the account's phone. */
  requestWalletCode: z.object({ account: walletAccount }).strict(),
  /** Starts a payment-account inquiry, proven by an SMS code or the payment password. */
  startWalletInquiry: z
    .object({
      account: walletAccount,
      proof: z.discriminatedUnion('kind', [
        z
          .object({ kind: z.literal('sms'), code: z.string().regex(/^\d{6}$/, '6 digits') })
          .strict(),
        z.object({ kind: z.literal('password') }).strict(),
      ]),
    })
    .strict(),
  /** Prints the slip of a logged inquiry (first print or reprint). */
  printSlip: z.object({ transactionId, copy: slipCopy }).strict(),
  /** The same slip as SVG, column for column as on paper. */
  slipPreview: z.object({ transactionId, copy: slipCopy }).strict(),
  /** Transaction log search; a cashier sees only their own inquiries. */
  searchLog: z
    .object({
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      operatorNo: operatorNo.optional(),
      outcome: z.enum(['unknown', 'approved', 'declined', 'failed', 'cancelled']).optional(),
      last4: z
        .string()
        .regex(/^\d{4}$/)
        .optional(),
      rrn: z
        .string()
        .regex(/^\w{1,12}$/)
        .optional(),
      cursor: z.string().max(200).optional(),
    })
    .strict(),
  /** Checks the hash chain of the whole log (supervisor). */
  verifyLog: z.object({}).strict(),
  /** Counts for one local day. */
  dailySummary: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
  /** Host echo test with its latency. */
  hostEcho: z.object({}).strict(),
  /** The newest lines of the operational log (supervisors: Diagnostics). */
  opsLogTail: z.object({ lines: z.number().int().min(1).max(200).optional() }).strict(),
  /** Training mode only: what the customer does on the simulated PIN pad. */
  trainingPinpad: z.discriminatedUnion('action', [
    z
      .object({
        action: z.literal('card'),
        cardId: z.string().max(32),
        how: z.enum(['swipe', 'insert', 'tap']),
      })
      .strict(),
    z
      .object({
        action: z.literal('key'),
        key: z.enum(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'enter', 'clear', 'cancel']),
      })
      .strict(),
  ]),
  /** Supervisor: reopen the host link and devices with the saved settings, without a restart. */
  applyChanges: z.object({}).strict(),
  /** Training mode only: rehearse a fault (the host stops answering, the printer runs out of paper). */
  trainingFault: z
    .object({
      host: z.enum(['none', 'no-answer', 'bad-mac']).optional(),
      printer: z
        .enum(['none', 'paper-out', 'paper-out-mid-slip', 'cover-open', 'offline'])
        .optional(),
    })
    .strict(),
  // --- Operators, settings, first run and log export (core/admin-handlers.ts) ---
  /** Supervisor: every operator with role and lock state (never a password hash). */
  listOperators: z.object({}).strict(),
  /** Supervisor: adds a cashier or another supervisor. */
  createOperator: z
    .object({
      operatorNo,
      name: z.string().trim().min(1).max(32),
      role: z.enum(['supervisor', 'cashier']),
      password,
    })
    .strict(),
  /** Supervisor: a temporary password (also unlocks); the operator must change it at next login. */
  resetOperatorPassword: z.object({ operatorNo, newPassword: password }).strict(),
  /** Supervisor: clears the lock after too many wrong passwords. */
  unlockOperator: z.object({ operatorNo }).strict(),
  /** Anyone logged in: their own password. */
  changeOwnPassword: z.object({ oldPassword: password, newPassword: password }).strict(),
  /** Supervisor: the editable settings (nothing secret). */
  getSettings: z.object({}).strict(),
  /** Supervisor: changes some settings; checked against the config schema before writing. */
  saveSettings: z
    .object({
      mode: z.enum(['training', 'live']).optional(),
      language: z.enum(['zh-CN', 'en']).optional(),
      merchant: z
        .object({ id: z.string().max(40).optional(), name: z.string().max(80).optional() })
        .strict()
        .optional(),
      terminal: z
        .object({ id: z.string().max(40).optional() })
        .strict()
        .optional(),
      servicePhone: z.string().max(64).optional(),
      host: z
        .object({
          address: z.string().max(253).optional(),
          port: z.number().int().optional(),
          tls: z.boolean().optional(),
          /** An empty string removes the pin. */
          pinnedCertSha256: z.string().max(120).optional(),
          connectTimeoutMs: z.number().int().optional(),
          responseTimeoutMs: z.number().int().optional(),
        })
        .strict()
        .optional(),
      security: z
        .object({
          passwordMaxAgeDays: z.number().int().optional(),
          idleLockMinutes: z.number().int().optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  /** First run only: the prefilled values of the setup form. */
  getFirstRunDefaults: z.object({}).strict(),
  /** First run only: the first supervisor plus merchant, terminal and mode, in one step. */
  completeFirstRun: z
    .object({
      supervisor: z
        .object({ operatorNo, name: z.string().trim().min(1).max(32), password })
        .strict(),
      merchant: z.object({ id: z.string().max(40), name: z.string().max(80) }).strict(),
      terminal: z.object({ id: z.string().max(40) }).strict(),
      mode: z.enum(['training', 'live']),
      host: z
        .object({ address: z.string().max(253), port: z.number().int() })
        .strict()
        .optional(),
    })
    .strict(),
  /** The log as CSV text for a download: one local day, or [from, to). */
  exportLog: z
    .object({
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
    })
    .strict(),
  /** Training mode only: the simulated cards and the SMS codes "sent" to customers' phones. */
  trainingInfo: z.object({}).strict(),
  /** Devices screen (supervisor): serial ports, the configured PIN pad and printer with status. */
  listDevices: z.object({}).strict(),
  /** Which PIN pad protocol a serial port speaks, and the pad's info if it answers (supervisor). */
  detectPinpad: z.object({ path: z.string().min(1).max(256) }).strict(),
  /** Opens the configured PIN pad, reads its info and shows a test message on it. */
  testPinpad: z.object({}).strict(),
  /** Prints the printer test page on the configured printer. */
  printTestPage: z.object({}).strict(),
  /** Writes a new PIN pad or printer to config.json (supervisor); applies at the next start.
   *  A PIN pad `path` of "simulated" means the built-in simulator. */
  assignDevice: z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('pinpad'),
        protocol: z.enum(['abecs', 'cn-epp']),
        path: z.string().min(1).max(256),
      })
      .strict(),
    z
      .object({
        kind: z.literal('printer'),
        target: z.string().min(1).max(256),
        paperWidthMm: z.union([z.literal(58), z.literal(80)]),
      })
      .strict(),
  ]),
} satisfies Record<ApiMethod, z.ZodType>;
export type ApiArgs<M extends ApiMethod> = z.infer<(typeof apiSchemas)[M]>;
export type Language = 'zh-CN' | 'en';
export type Role = 'supervisor' | 'cashier';

export interface OperatorView {
  operatorNo: string;
  name: string;
  role: Role;
}

export interface AppState {
  needsFirstSupervisor: boolean;
  mode: 'training' | 'live';
  language: Language;
  version: string;
  shell: 'electron' | 'web';
  merchantName: string;
  terminalId: string;
  operator: OperatorView | null;
  /** The logged-in operator must change the password before anything else. */
  mustChangePassword: boolean;
  /** Minutes without input before the screen locks; 0 = never. */
  idleLockMinutes: number;
  status: StatusSnapshot;
}

/** What the status bar shows. */
export interface StatusSnapshot {
  hostOnline: boolean;
  signedOn: boolean;
  pinpad: DeviceState;
  printer: DeviceState;
}

export interface LoginResult {
  operator: OperatorView;
  mustChangePassword: boolean;
}

/** Result type of every method, keyed by name. */
export interface ApiResults {
  getAppState: AppState;
  createFirstSupervisor: OperatorView;
  login: LoginResult;
  logout: { ok: true };
  signOn: SignOnView;
  startCardInquiry: { inquiryId: number };
  cancelInquiry: { ok: true };
  requestWalletCode: { accountMasked: string; sentToMasked: string; expiresInSeconds: number };
  startWalletInquiry: { inquiryId: number };
  printSlip: { bytesSent: number; warnings: Bilingual[] };
  slipPreview: { svg: string };
  searchLog: LogPage;
  verifyLog: LogVerifyView;
  dailySummary: DailySummaryView;
  hostEcho: { latencyMs: number; responseCode: string };
  opsLogTail: { file: string; lines: OpsLogLineView[] };
  trainingPinpad: { ok: true };
  trainingFault: { ok: true };
  applyChanges: { ok: true };
  listOperators: OperatorAdminView[];
  createOperator: OperatorAdminView;
  resetOperatorPassword: { ok: true };
  unlockOperator: { ok: true };
  changeOwnPassword: { ok: true };
  getSettings: SettingsView;
  saveSettings: { settings: SettingsView; changed: string[]; restartNeeded: boolean };
  getFirstRunDefaults: FirstRunDefaults;
  completeFirstRun: { operator: OperatorView; restartNeeded: boolean };
  exportLog: { fileName: string; csv: string; rows: number };
  trainingInfo: TrainingInfo;
  listDevices: DevicesView;
  detectPinpad: DetectedPinpadView;
  testPinpad: PinpadInfoView;
  printTestPage: { target: string; bytesSent: number; warnings: Bilingual[] };
  assignDevice: { restartNeeded: true; training: boolean };
}

/** The API as the renderer sees it: one async function per method. */
export type CashierApi = {
  [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResults[M]>;
};

/** Events pushed from the core to the renderer. */
export interface ApiEvents {
  /** Sent when something the status bar shows changes (to logged-in sessions). */
  status: StatusSnapshot;
  /** Every step of a running inquiry (only to the session that started it). */
  inquiry: InquiryProgress;
  /** This session's operator was logged out by the console: go to the login screen. */
  session: SessionEnded;
}

export interface SessionEnded {
  reason: 'password-reset' | 'locked' | 'password-changed' | 'idle';
}
export type DeviceState = 'ready' | 'missing' | 'error' | 'busy' | 'training';

export type Outcome = 'unknown' | 'approved' | 'declined' | 'failed' | 'cancelled';

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

/** One line of the operational log as Diagnostics shows it. */
export interface OpsLogLineView {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  area: string;
  event: string;
  detail: string;
}

export interface SignOnView {
  batchNo: string;
  checkValues: { pik: string; mak: string };
  /** Check value of the terminal master key the working keys were checked under. */
  tmkCheckValue: string | null;
}

export interface LogPage {
  rows: InquiryView[];
  nextCursor: string | null;
}

export interface LogVerifyView {
  ok: boolean;
  rows: number;
  problems: Bilingual[];
}

export interface DailySummaryView {
  day: string;
  total: number;
  byOutcome: Record<Outcome, number>;
  byOperator: { operatorNo: string; total: number; byOutcome: Record<Outcome, number> }[];
}

/** The training cards and accounts are public test data, so their PINs are shown. */
export interface TrainingInfo {
  cards: {
    id: string;
    maskedPan: string;
    kinds: ('magstripe' | 'chip' | 'contactless')[];
    label: string;
    pin: string;
    status: string;
  }[];
  smsCodes: { accountMasked: string; code: string; at: string }[];
  walletAccounts: { account: string; password: string; note: Bilingual }[];
}

/** A serial port as the Devices screen lists it (USB ids in lower-case hex). */
export interface SerialPortView {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
  /** What the vendor id suggests. */
  hint: 'pinpad-maker' | 'usb-serial-bridge' | null;
}

export interface PinpadInfoView {
  protocol: 'abecs' | 'cn-epp';
  maker: string;
  model: string;
  serialNumber: string;
  firmware: string;
}

export interface DetectedPinpadView {
  path: string;
  /** null: neither protocol answered. */
  protocol: 'abecs' | 'cn-epp' | null;
  info: PinpadInfoView | null;
  /** Why the port could not be probed or the pad did not give its info. */
  problem: Bilingual | null;
}

export interface DevicesView {
  training: boolean;
  ports: SerialPortView[];
  /** Could the ports be listed at all. */
  portsProblem: Bilingual | null;
  /** How the ports were listed when not the usual way (e.g. without udev, from /sys/class/tty). */
  portsNote?: Bilingual | null;
  pinpad: {
    protocol: 'abecs' | 'cn-epp';
    /** A serial path, or "simulated". */
    port: string;
    /** Driver health: connecting | connected | error | disconnected. */
    health: string;
    state: DeviceState;
  };
  printer: {
    /** As configured: none, simulated, serial:..., tcp:..., usb:... */
    target: string;
    paperWidthMm: 58 | 80;
    /** Live DLE EOT status; null when no printer is configured or it did not answer. */
    status: { ready: boolean; problems: Bilingual[] } | null;
    statusProblem: Bilingual | null;
  };
  /** Assigned since this console started; applies after a restart. */
  pending: { pinpad: string | null; printer: string | null };
  /** The terminal master key, by its check value only, to compare with the bank's key letter. */
  keys: {
    tmkCheckValue: string | null;
    /** How the key store is kept at rest: sealed by the OS, a 0600 file, or no keys yet. */
    protection: 'os' | 'file' | 'none';
  };
}

/** An operator as the supervisor's operators screen shows it (no password hash). */
export interface OperatorAdminView extends OperatorView {
  locked: boolean;
  /** ISO 8601, UTC. */
  passwordChangedAt: string;
  createdAt: string;
}

/** The settings a supervisor may edit on screen (devices have their own screen). */
export interface SettingsView {
  mode: 'training' | 'live';
  language: Language;
  merchant: { id: string; name: string };
  terminal: { id: string };
  servicePhone: string;
  host: {
    address: string;
    port: number;
    tls: boolean;
    pinnedCertSha256: string;
    connectTimeoutMs: number;
    responseTimeoutMs: number;
  };
  security: { passwordMaxAgeDays: number; idleLockMinutes: number };
}

/** What the first-run form starts with. */
export interface FirstRunDefaults {
  merchant: { id: string; name: string };
  terminal: { id: string };
  mode: 'training' | 'live';
  host: { address: string; port: number };
}
