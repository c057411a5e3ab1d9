// The console: one per process, shared by every window or browser tab, and the composition root
// that builds it. It opens the config, the store, the operational log and the terminal (through
// the terminal service, which owns opening it again), and builds every API handler once, each with
// only the parts it uses. Shells create a Session per connection, pass calls to
// core.call(session, ...), and forward to each window what `subscribe` gives that session
// (see sessions.ts for who sees what).
import type {
  ApiEventName,
  ApiEvents,
  AppState,
  CertExpiryWarning,
  DeviceState,
} from '../contract';
import type { FileKeyProtection } from '../host';
import { openStore, type Store } from '../store';
import { AccessControl } from './access';
import { dispatchApiCall, type ApiEndpoint, type CallOutcome } from './api-dispatch';
import { linkProtection, loadConfig, type CashierConfig } from './config';
import { EventHub } from './event-hub';
import { adminHandlers } from './handlers/admin';
import { hardwareHandlers } from './handlers/hardware';
import { diagnosticsHandlers } from './handlers/diagnostics';
import { inquiryHandlers } from './handlers/inquiry';
import { logHandlers } from './handlers/log';
import { sessionHandlers } from './handlers/session';
import { setupHandlers } from './handlers/setup';
import { trainingHandlers } from './handlers/training';
import { reviewHandlers } from './handlers/review';
import { auditHandlers } from './handlers/audit';
import { openAccountKeyer, ReviewService, type AccountKeyer } from './review';
import type { ApiHandlers } from './handlers/types';
import { HostLink } from './host-link';
import { InquiryRunner } from './inquiry';
import { logFailure, openOpsLog, type OpsLog } from './ops-log';
import { LoginLimiter, SessionRegistry, type Session, type SessionListener } from './sessions';
import { Settings } from './settings';
import { hostAfterInquiry, StatusBoard } from './status';
import { PrinterWatch } from './printer-watch';
import { armedTrainingFaults } from './training-faults';
import { PinpadTrust, PrinterTrust } from './trusted-devices';
import { certificateExpiryWarning } from '../host';
import {
  liveKeysDir,
  openTerminal,
  TerminalService,
  type OpenTerminal,
  type TerminalOpenOptions,
} from './terminal';

export type { Session } from './sessions';

export interface CoreOptions {
  dataDir: string;
  shell: AppState['shell'];
  version: string;
  /** How keys are sealed at rest: the Electron shell passes the OS's (safeStorage). */
  keyProtection?: FileKeyProtection;
  /** The operational log; by default logs/ops.log in the data folder. */
  opsLog?: OpsLog;
  /** The config already read from the data folder (`cashier serve` reads it before it
   *  listens); by default it is read here. */
  config?: CashierConfig;
}

const PINPAD_STATE: Record<string, DeviceState> = {
  connected: 'ready',
  connecting: 'busy',
  error: 'error',
  disconnected: 'missing',
};

interface WiringParts {
  dataDir: string;
  /** The install's account-hash key (log review), the same in training and live mode. */
  accountKeyer: AccountKeyer;
  terminalOptions: TerminalOpenOptions;
  store: Store;
  events: EventHub;
  status: StatusBoard;
  opsLog: OpsLog;
}

/** Opens the terminal for a config and wires it into the console: the status bar starts over,
 *  inquiries report to their own window and to the log, the PIN pad's health shows. */
async function openWired(config: CashierConfig, parts: WiringParts): Promise<OpenTerminal> {
  const { store, events, status, opsLog } = parts;
  // Per link, what its last handshake showed; the status bar names the one running out first.
  const expiring = new Map<'host' | 'wallet', CertExpiryWarning>();
  const terminal = await openTerminal(config, parts.dataDir, {
    ...parts.terminalOptions,
    // The pinned certificates' end dates: the status bar and Diagnostics warn 30 days ahead.
    onCertificate: (party, certificate) => {
      const warning = certificateExpiryWarning(certificate.validTo, new Date());
      const before = expiring.get(party);
      if (!warning) expiring.delete(party);
      else {
        const validTo = certificate.validTo.toISOString();
        expiring.set(party, { party, validTo, daysLeft: warning.daysLeft });
        if (before?.daysLeft !== warning.daysLeft) {
          opsLog.warn('host', 'certificate-expiring', {
            party,
            validTo,
            daysLeft: warning.daysLeft,
          });
        }
      }
      const soonest = [...expiring.values()].sort((a, b) => a.daysLeft - b.daysLeft)[0];
      status.set({ certExpiry: soonest ?? null });
    },
  });
  const training = config.mode === 'training';
  const links = linkProtection(config);
  status.set({
    hostOnline: false,
    signedOn: false,
    pinpad: training ? 'training' : 'missing',
    printer: terminal.printer ? (training ? 'training' : 'ready') : 'missing',
    link: links.host,
    walletLink: links.wallet,
    certExpiry: null,
    hostProblem: null,
    printerProblem: null,
    // A terminal without a printer has no printer trust to clear it.
    printerReplaced: false,
    trainingFaults: [],
  });
  let pinpadTrust: PinpadTrust;
  let printerTrust: PrinterTrust | null;
  const trustDeps = {
    devices: store.devices,
    operators: store.operators,
    status,
    opsLog,
    passwordMaxAgeDays: () => config.security.passwordMaxAgeDays,
  };
  try {
    pinpadTrust = await PinpadTrust.attach(trustDeps, terminal);
    printerTrust = terminal.printer ? await PrinterTrust.attach(trustDeps, training) : null;
  } catch (err) {
    await terminal.close();
    throw err;
  }
  const printerWatch = terminal.printer
    ? new PrinterWatch(
        terminal.printer,
        training,
        status,
        () => {
          if (terminal.training)
            status.set({ trainingFaults: armedTrainingFaults(terminal.training) });
        },
        undefined,
        // Who the printer is (GS I), at open and after every replug.
        printerTrust,
      )
    : null;
  printerWatch?.start();
  const inquiries = new InquiryRunner({
    terminal,
    store,
    training,
    padTrusted: () => pinpadTrust.assertTrusted(),
    phones: { bank: config.bankPhone, wallet: config.walletPhone },
    servicePhone: config.servicePhone,
    hostWaitMs: config.host.responseTimeoutMs,
    accountKeyer: parts.accountKeyer,
    // Read at each wrong PIN: Settings change it at once (settings.ts copies it in).
    pinTriesPerInquiry: () => config.security.pinTriesPerInquiry,
    emit: (progress, by) => {
      events.publish('inquiry', progress, { to: 'session', sessionId: by.sessionId });
      const result = progress.result;
      if (progress.step === 'done' && result) {
        opsLog.info('inquiry', 'done', {
          transactionId: result.transactionId,
          kind: result.accountKind,
          account: result.maskedAccount,
          entry: result.entryMode,
          outcome: result.outcome,
          responseCode: result.responseCode,
          errorCode: result.errorCode,
          operator: by.operatorNo,
        });
      }
      // The host shows offline after it failed to answer, online again once it answers, and
      // what went wrong when it answered badly (a bad MAC is not "offline").
      const seen =
        result?.accountKind === 'card'
          ? hostAfterInquiry(result.errorCode, result.responseCode)
          : {};
      status.hostSeen(terminal.host.signedOn, seen.online, seen.problem);
      // A slip that failed shows the printer's own state at once.
      if (progress.step === 'done' && result?.errorCode?.startsWith('PRINTER_')) {
        void printerWatch?.poll();
      }
      if (progress.step !== 'done') return;
      // The simulated customer takes an inserted card back when the inquiry is over.
      terminal.training?.pinpad.removeCard();
    },
  });
  const onHealth = ({
    state,
    error,
  }: {
    state: string;
    error?: { code: string; message: string };
  }) => {
    opsLog[state === 'connected' ? 'info' : 'warn']('pinpad', 'health', {
      port: terminal.pinpad.path,
      state,
      ...(error ? { error: error.code, message: error.message } : {}),
    });
    if (!training) status.set({ pinpad: PINPAD_STATE[state] ?? 'error' });
  };
  terminal.pinpad.on('health', onHealth);
  // Opened now, not at the first inquiry: the status bar and the Devices screen show the pad's
  // real state at once (also after Apply now), and who it is is checked before any card.
  void terminal.pinpad.open().catch(() => undefined);
  return {
    config,
    terminal,
    inquiries,
    pinpadTrust,
    ...(printerTrust ? { printerTrust } : {}),
    ...(printerWatch ? { printerWatch } : {}),
    async close() {
      inquiries.close();
      await printerWatch?.stop();
      pinpadTrust.detach();
      await terminal.close();
      terminal.pinpad.off('health', onHealth);
    },
  };
}

/** How often logins left idle past the lock time are ended (and their windows told). */
const IDLE_SWEEP_MS = 15_000;

export class CashierCore implements ApiEndpoint {
  readonly access: AccessControl;
  readonly handlers: ApiHandlers;
  private readonly logins = new LoginLimiter();
  private readonly hostLink: HostLink;
  private readonly idleSweep: NodeJS.Timeout;

  private constructor(
    readonly options: CoreOptions,
    readonly store: Store,
    readonly opsLog: OpsLog,
    readonly sessions: SessionRegistry,
    private readonly events: EventHub,
    readonly status: StatusBoard,
    readonly terminals: TerminalService,
  ) {
    this.access = new AccessControl(sessions, () => terminals.config().security.idleLockMinutes);
    this.hostLink = new HostLink(terminals, status, opsLog);
    const { operators, audit, transactions } = store;
    const settings = new Settings(
      options.dataDir,
      () => terminals.config(),
      // Open windows restart their idle countdown with the new time at once.
      (running) =>
        events.publish(
          'settings',
          { idleLockMinutes: running.security.idleLockMinutes },
          { to: 'logged-in' },
        ),
    );
    this.idleSweep = setInterval(
      () => sessions.lockIdle(terminals.config().security.idleLockMinutes * 60_000),
      IDLE_SWEEP_MS,
    );
    this.idleSweep.unref();
    const applyChanges = (operatorNo: string) => this.applyChanges(operatorNo);
    this.handlers = {
      ...sessionHandlers({
        operators,
        audit,
        sessions,
        logins: this.logins,
        access: this.access,
        terminals,
        status,
        hostLink: this.hostLink,
        app: { version: options.version, shell: options.shell },
      }),
      ...setupHandlers({ operators, audit, terminals, settings, applyChanges }),
      ...inquiryHandlers({ terminals, transactions, opsLog, status }),
      ...logHandlers({
        transactions,
        operators,
        audit,
        exportCsv: (exported) => store.exportCsv(exported),
        terminals,
        verifyProgress: (sessionId, progress) =>
          events.publish('verify', progress, { to: 'session', sessionId }),
      }),
      ...adminHandlers({ operators, audit, sessions, settings, applyChanges }),
      ...hardwareHandlers({ terminals, audit, devices: store.devices, settings, status }),
      ...diagnosticsHandlers({ terminals, opsLog, status }),
      ...trainingHandlers({ terminals, status }),
      ...reviewHandlers({
        review: store.review,
        service: new ReviewService(store.review),
        audit,
        operators,
      }),
      ...auditHandlers({ audit, operators }),
    };
  }

  /** Loads the config (throws ConfigError when malformed), opens the database and the devices. */
  static async open(options: CoreOptions): Promise<CashierCore> {
    const config = options.config ?? (await loadConfig(options.dataDir));
    const opsLog = options.opsLog ?? openOpsLog(options.dataDir);
    opsLog.info('console', 'start', {
      mode: config.mode,
      shell: options.shell,
      version: options.version,
      dataDir: options.dataDir,
      keyProtection: options.keyProtection?.kind ?? 'file',
    });
    let store: Store;
    try {
      store = await openStore(options.dataDir);
    } catch (err) {
      opsLog.error('store', 'open-failed', { error: (err as Error).message });
      await opsLog.close();
      throw err;
    }
    opsLog.info('store', 'open', { file: store.file });
    const sessions = new SessionRegistry();
    const events = new EventHub(sessions);
    const status = new StatusBoard((next) => events.publish('status', next, { to: 'logged-in' }));
    // Kept like the key store's file key (sealed by the OS in the installed app), in keys/.
    const accountKeyer = openAccountKeyer(liveKeysDir(options.dataDir), options.keyProtection);
    if (accountKeyer.problem) {
      opsLog.warn('console', 'account-hash-key-unavailable', {
        error: accountKeyer.problem.message,
      });
    }
    const parts: WiringParts = {
      dataDir: options.dataDir,
      accountKeyer,
      terminalOptions: {
        ...(options.keyProtection ? { keyProtection: options.keyProtection } : {}),
        // Masked message dumps, kept only when the log level is debug.
        log: (line: string) => opsLog.debug('host', 'message', { dump: line }),
      },
      store,
      events,
      status,
      opsLog,
    };
    let terminals: TerminalService;
    try {
      terminals = await TerminalService.open(config, {
        open: (next) => openWired(next, parts),
        onClosed: (error) => {
          logFailure(opsLog, 'console', 'terminal-closed', error);
          status.set({ hostOnline: false, signedOn: false, pinpad: 'error', printer: 'error' });
        },
      });
    } catch (err) {
      opsLog.error('console', 'terminal-open-failed', { error: (err as Error).message });
      await store.close();
      await opsLog.close();
      throw err;
    }
    return new CashierCore(options, store, opsLog, sessions, events, status, terminals);
  }

  /**
   * Applies saved settings and device changes without restarting the console: the terminal
   * (host link, PIN pad, printer, training simulators) is closed and opened again from the
   * config file, one reopen at a time. Refused while an inquiry runs. If the new config cannot
   * be opened, the previous one is opened again (terminal/service.ts).
   */
  async applyChanges(operatorNo: string): Promise<void> {
    try {
      await this.terminals.reopen(async () => {
        const next = await loadConfig(this.options.dataDir);
        this.opsLog.info('console', 'apply-changes', { mode: next.mode, operator: operatorNo });
        return next;
      });
    } catch (err) {
      logFailure(this.opsLog, 'console', 'apply-changes-failed', err);
      throw err;
    }
    this.hostLink.signOnInBackground(operatorNo);
  }

  createSession(): Session {
    return this.sessions.create();
  }

  /** One API call from this session's window, through every check of the contract. */
  call(session: Session, method: unknown, args: unknown): Promise<CallOutcome> {
    return dispatchApiCall(this, session, method, args);
  }

  /** The window or tab of this session went away. */
  endSession(session: Session): void {
    this.sessions.end(session);
    this.logins.forget(session.id);
  }

  /** The events this session's window should get (see sessions.ts). */
  subscribe(session: Session, listener: SessionListener): () => void {
    return this.sessions.subscribe(session, listener);
  }

  /** Every event, whoever it is for: for in-process tests and tools, never for a shell. */
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  async close(): Promise<void> {
    clearInterval(this.idleSweep);
    // Waits for a running inquiry, after telling the PIN pad to stop it.
    await this.terminals.close();
    this.events.close();
    await this.store.close();
    this.opsLog.info('console', 'stop');
    await this.opsLog.close();
  }
}
