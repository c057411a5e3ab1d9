// The application core: one per process, shared by every window or browser tab.
// Shells create a Session per connection, pass validated calls to `handlers`, and forward to
// each window what `subscribe` gives that session (see sessions.ts for who sees what).
import { EventEmitter } from 'node:events';
import type {
  ApiArgs,
  ApiEvents,
  ApiEventName,
  ApiMethod,
  ApiResults,
  AppState,
  DeviceState,
  OperatorView,
  StatusSnapshot,
} from '../contract';
import { ApiError } from '../contract';
import { openStore, type Operator, type Store } from '../store';
import { loadConfig, type CashierConfig } from './config';
import { BusyError, InquiryRunner } from './inquiry';
import { openTerminal, type Terminal } from './terminal';
import type { FileKeyProtection } from '../host';
import { terminalHandlers } from './terminal-handlers';
import { deviceHandlers } from './device-handlers';
import { adminHandlers } from './admin-handlers';
import { LoginLimiter, SessionRegistry, type Session, type SessionListener } from './sessions';
import { openOpsLog, type OpsLog } from './ops-log';

export type { Session } from './sessions';

export interface CoreOptions {
  dataDir: string;
  shell: AppState['shell'];
  version: string;
  /** How keys are sealed at rest: the Electron shell passes the OS's (safeStorage). */
  keyProtection?: FileKeyProtection;
  /** The operational log; by default logs/ops.log in the data folder. */
  opsLog?: OpsLog;
}

type Handler<M extends ApiMethod> = (args: ApiArgs<M>, session: Session) => Promise<ApiResults[M]>;
export type CoreHandlers = { [M in ApiMethod]: Handler<M> };

function toView(operator: Operator): OperatorView {
  return { operatorNo: operator.operatorNo, name: operator.name, role: operator.role };
}

const PINPAD_STATE: Record<string, DeviceState> = {
  connected: 'ready',
  connecting: 'busy',
  error: 'error',
  disconnected: 'missing',
};

/** What a session that must change its password may still do. */
const ALLOWED_BEFORE_PASSWORD_CHANGE: ReadonlySet<ApiMethod> = new Set([
  'getAppState',
  'changeOwnPassword',
  'logout',
]);

export class CashierCore {
  /** Every event, for in-process listeners (tests, tools); shells use subscribe(). */
  private readonly events = new EventEmitter();
  readonly sessions = new SessionRegistry();
  private readonly logins = new LoginLimiter();
  private status: StatusSnapshot;
  // Replaced together when the terminal is reopened with a changed config (applyChanges).
  config: CashierConfig;
  terminal: Terminal;
  inquiries!: InquiryRunner;
  handlers!: CoreHandlers;

  private constructor(
    readonly options: CoreOptions,
    config: CashierConfig,
    readonly store: Store,
    terminal: Terminal,
    readonly opsLog: OpsLog,
  ) {
    this.config = config;
    this.terminal = terminal;
    this.status = { hostOnline: false, signedOn: false, pinpad: 'missing', printer: 'missing' };
    this.attach();
  }

  /** Wires the workflow, the device status and the handlers to the current terminal. */
  private attach(): void {
    const { config, terminal, store } = this;
    const training = config.mode === 'training';
    this.setStatus({
      hostOnline: false,
      signedOn: false,
      pinpad: training ? 'training' : 'missing',
      printer: terminal.printer ? (training ? 'training' : 'ready') : 'missing',
    });
    this.inquiries = new InquiryRunner({
      terminal,
      store,
      training,
      servicePhone: config.servicePhone,
      emit: (progress, by) => {
        this.publish('inquiry', progress, { to: 'session', sessionId: by.sessionId });
        if (progress.step === 'done' && progress.result) {
          const r = progress.result;
          this.opsLog.info('inquiry', 'done', {
            transactionId: r.transactionId,
            kind: r.accountKind,
            account: r.maskedAccount,
            entry: r.entryMode,
            outcome: r.outcome,
            responseCode: r.responseCode,
            errorCode: r.errorCode,
            operator: by.operatorNo,
          });
        }
        // The host shows offline after it failed to answer, online again once it answers.
        const result = progress.result;
        const bank = result?.accountKind === 'card';
        const hostFailed = bank && (result?.errorCode?.startsWith('HOST_') ?? false);
        this.refreshHostStatus(
          hostFailed ? false : bank && result?.responseCode ? true : undefined,
        );
        if (progress.step !== 'done') return;
        // The simulated customer takes an inserted card back when the inquiry is over.
        terminal.training?.pinpad.removeCard();
      },
    });
    terminal.pinpad.on('health', ({ state, error }) => {
      this.opsLog[state === 'connected' ? 'info' : 'warn']('pinpad', 'health', {
        port: terminal.pinpad.path,
        state,
        ...(error ? { error: error.code, message: error.message } : {}),
      });
      if (!training) this.setStatus({ pinpad: PINPAD_STATE[state] ?? 'error' });
    });
    this.handlers = {
      ...this.operatorHandlers(),
      ...terminalHandlers(this),
      ...deviceHandlers(this),
      ...adminHandlers(this),
    };
  }

  /**
   * Applies saved settings and device changes without restarting the console: the terminal
   * (host link, PIN pad, printer, training simulators) is closed and opened again from the
   * config file. If the new config cannot be opened, the previous one is restored.
   */
  async applyChanges(operatorNo: string): Promise<void> {
    if (this.inquiries.busy) throw new BusyError();
    const next = await loadConfig(this.options.dataDir);
    const previous = this.config;
    this.opsLog.info('console', 'apply-changes', { mode: next.mode, operator: operatorNo });
    await this.terminal.close();
    try {
      this.terminal = await openTerminal(next, this.options.dataDir, this.terminalOptions());
      this.config = next;
    } catch (err) {
      this.terminal = await openTerminal(previous, this.options.dataDir, this.terminalOptions());
      this.attach();
      throw err;
    }
    this.attach();
    this.signOnInBackground(operatorNo);
  }

  private terminalOptions() {
    return CashierCore.terminalOptions(this.options, this.opsLog);
  }

  private static terminalOptions(options: CoreOptions, opsLog: OpsLog) {
    return {
      ...(options.keyProtection ? { keyProtection: options.keyProtection } : {}),
      // Masked message dumps, kept only when the log level is debug.
      log: (line: string) => opsLog.debug('host', 'message', { dump: line }),
    };
  }

  /** Loads the config (throws ConfigError when malformed), opens the database and the devices. */
  static async open(options: CoreOptions): Promise<CashierCore> {
    const config = await loadConfig(options.dataDir);
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
    let terminal: Terminal;
    try {
      terminal = await openTerminal(
        config,
        options.dataDir,
        CashierCore.terminalOptions(options, opsLog),
      );
    } catch (err) {
      opsLog.error('console', 'terminal-open-failed', { error: (err as Error).message });
      await store.close();
      await opsLog.close();
      throw err;
    }
    return new CashierCore(options, config, store, terminal, opsLog);
  }

  createSession(): Session {
    return this.sessions.create();
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
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  private publish<E extends ApiEventName>(
    event: E,
    payload: ApiEvents[E],
    audience: Parameters<SessionRegistry['publish']>[2],
  ): void {
    this.events.emit(event, payload);
    this.sessions.publish(event, payload, audience);
  }

  setStatus(change: Partial<StatusSnapshot>): void {
    const next = { ...this.status, ...change };
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    this.publish('status', next, { to: 'logged-in' });
  }

  /**
   * Checked before every call: a session that must change its password (a temporary one, or an
   * expired one) may only change it, log out or read the app state.
   */
  gate(method: ApiMethod, session: Session): void {
    if (session.operator && session.mustChangePassword) {
      if (!ALLOWED_BEFORE_PASSWORD_CHANGE.has(method)) {
        throw new ApiError(
          'PASSWORD_CHANGE_REQUIRED',
          'Change your password first: it was set by someone else or has expired.',
          '请先修改密码：当前密码由他人设置或已过期。',
        );
      }
    }
  }

  /** `online`: what the last exchange showed; left out, the host keeps its last known state. */
  refreshHostStatus(online?: boolean): void {
    this.setStatus({
      signedOn: this.terminal.host.signedOn,
      hostOnline: online ?? this.status.hostOnline,
    });
  }

  /** The terminal signs on when an operator logs in, as a POS does at the start of a shift;
   *  a failure only shows in the status bar (the first inquiry tries again). */
  private signOnInBackground(operatorNo: string): void {
    if (this.terminal.host.signedOn || this.inquiries.busy) return;
    this.terminal.host.signOn(operatorNo).then(
      (result) => {
        this.opsLog.info('host', 'sign-on', { operator: operatorNo, batch: result.batchNo });
        this.refreshHostStatus(true);
      },
      (err: unknown) => {
        this.logFailure('host', 'sign-on-failed', err);
        this.refreshHostStatus(false);
      },
    );
  }

  /** A failure in the operational log, by its code and words (never a value it carried). */
  logFailure(area: Parameters<OpsLog['warn']>[0], event: string, err: unknown): void {
    const e = err as { code?: unknown; message?: unknown };
    this.opsLog.warn(area, event, {
      error: typeof e?.code === 'string' ? e.code : 'ERROR',
      message: typeof e?.message === 'string' ? e.message : String(err),
    });
  }

  async close(): Promise<void> {
    const running = this.inquiries.idle();
    await this.terminal.pinpad.cancel().catch(() => undefined);
    await running;
    this.events.removeAllListeners();
    await this.terminal.close();
    await this.store.close();
    this.opsLog.info('console', 'stop');
    await this.opsLog.close();
  }

  /** The logged-in operator of a session, or NOT_LOGGED_IN. */
  requireOperator(session: Session, role?: 'supervisor'): Operator {
    this.expireIdle(session, Date.now());
    if (!session.operator) {
      throw new ApiError('NOT_LOGGED_IN', 'Please log in first.', '请先登录。');
    }
    if (role && session.operator.role !== role) {
      throw new ApiError('FORBIDDEN', 'Only a supervisor may do this.', '只有主管可以进行此操作。');
    }
    return session.operator;
  }

  /** Logs out a session idle longer than the configured lock time, telling its window. */
  private expireIdle(session: Session, nowMs: number): void {
    const idleMs = this.config.security.idleLockMinutes * 60_000;
    if (session.operator && idleMs > 0 && nowMs - session.lastActivityMs > idleMs) {
      this.sessions.logOut(session, 'idle');
    }
    session.lastActivityMs = nowMs;
  }

  private operatorHandlers(): Pick<
    CoreHandlers,
    'getAppState' | 'createFirstSupervisor' | 'login' | 'logout'
  > {
    return {
      getAppState: async (_args, session) => {
        this.expireIdle(session, Date.now());
        return {
          needsFirstSupervisor: (await this.store.operators.count()) === 0,
          mode: this.config.mode,
          language: this.config.language,
          version: this.options.version,
          shell: this.options.shell,
          merchantName: this.config.merchant.name,
          terminalId: this.config.terminal.id,
          operator: session.operator ? toView(session.operator) : null,
          mustChangePassword: session.operator !== null && session.mustChangePassword,
          idleLockMinutes: this.config.security.idleLockMinutes,
          status: this.status,
        };
      },

      createFirstSupervisor: async (args, session) => {
        // The store audits logins, failures and new operators in the same transaction.
        const operator = await this.store.operators.createFirstSupervisor(args);
        session.lastActivityMs = Date.now();
        return toView(operator);
      },

      login: async (args, session) => {
        const wait = this.logins.retryAfterSeconds(session.id);
        if (wait > 0) {
          throw new ApiError(
            'LOGIN_RATE_LIMITED',
            `Too many login attempts. Try again in ${wait} s.`,
            `登录尝试过于频繁，请 ${wait} 秒后再试。`,
            { retryAfterSeconds: wait },
          );
        }
        const outcome = await this.logins.attempt(session.id, () =>
          this.store.operators.authenticate(args.operatorNo, args.password, {
            passwordMaxAgeDays: this.config.security.passwordMaxAgeDays,
          }),
        );
        if (outcome === 'busy') throw new BusyError();
        if (!outcome.ok) {
          if (outcome.reason === 'locked') {
            // Whoever is still logged in as this operator is logged out with it.
            const locked = await this.store.operators.findByNo(args.operatorNo);
            if (locked) this.sessions.logOutOperator(locked.id, 'locked');
            throw new ApiError('ACCOUNT_LOCKED', outcome.message, outcome.messageZh, {
              lockedUntil: outcome.lockedUntil,
              retryAfterSeconds: outcome.retryAfterSeconds,
            });
          }
          const tries = outcome.remainingTries;
          throw new ApiError(
            'LOGIN_FAILED',
            `Wrong operator number or password.${tries !== undefined ? ` ${tries} tries left.` : ''}`,
            `操作员号或密码错误。${tries !== undefined ? `还可尝试 ${tries} 次。` : ''}`,
            tries !== undefined ? { remainingTries: tries } : undefined,
          );
        }
        session.operator = outcome.operator;
        session.mustChangePassword = outcome.mustChangePassword;
        session.lastActivityMs = Date.now();
        this.signOnInBackground(outcome.operator.operatorNo);
        return {
          operator: toView(outcome.operator),
          mustChangePassword: outcome.mustChangePassword,
        };
      },

      logout: async (_args, session) => {
        if (session.operator) {
          await this.store.audit.record({
            kind: 'logout',
            operatorId: session.operator.id,
            operatorNo: session.operator.operatorNo,
          });
        }
        session.operator = null;
        session.mustChangePassword = false;
        return { ok: true };
      },
    };
  }
}
