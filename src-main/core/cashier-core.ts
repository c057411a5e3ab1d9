// The application core: one per process, shared by every window or browser tab.
// Shells create a Session per connection and pass validated calls to `handlers`.
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

export interface CoreOptions {
  dataDir: string;
  shell: AppState['shell'];
  version: string;
  /** How keys are sealed at rest: the Electron shell passes the OS's (safeStorage). */
  keyProtection?: FileKeyProtection;
}

/** One renderer connection (a window or a browser tab). */
export interface Session {
  readonly id: number;
  operator: Operator | null;
  lastActivityMs: number;
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

export class CashierCore {
  private readonly events = new EventEmitter();
  private nextSessionId = 1;
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
      emit: (progress) => {
        this.emit('inquiry', progress);
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
    terminal.pinpad.on('health', ({ state }) => {
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
    return this.options.keyProtection ? { keyProtection: this.options.keyProtection } : {};
  }

  /** Loads the config (throws ConfigError when malformed), opens the database and the devices. */
  static async open(options: CoreOptions): Promise<CashierCore> {
    const config = await loadConfig(options.dataDir);
    const store = await openStore(options.dataDir);
    let terminal: Terminal;
    try {
      terminal = await openTerminal(config, options.dataDir, {
        ...(options.keyProtection ? { keyProtection: options.keyProtection } : {}),
      });
    } catch (err) {
      await store.close();
      throw err;
    }
    return new CashierCore(options, config, store, terminal);
  }

  createSession(): Session {
    return { id: this.nextSessionId++, operator: null, lastActivityMs: Date.now() };
  }

  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    this.events.emit(event, payload);
  }

  setStatus(change: Partial<StatusSnapshot>): void {
    const next = { ...this.status, ...change };
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    this.emit('status', next);
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
      () => this.refreshHostStatus(true),
      () => this.refreshHostStatus(false),
    );
  }

  async close(): Promise<void> {
    const running = this.inquiries.idle();
    await this.terminal.pinpad.cancel().catch(() => undefined);
    await running;
    this.events.removeAllListeners();
    await this.terminal.close();
    await this.store.close();
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

  /** Forgets the operator of a session idle longer than the configured lock time. */
  private expireIdle(session: Session, nowMs: number): void {
    const idleMs = this.config.security.idleLockMinutes * 60_000;
    if (session.operator && idleMs > 0 && nowMs - session.lastActivityMs > idleMs) {
      session.operator = null;
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
        const outcome = await this.store.operators.authenticate(args.operatorNo, args.password, {
          passwordMaxAgeDays: this.config.security.passwordMaxAgeDays,
        });
        if (!outcome.ok) {
          if (outcome.reason === 'locked') {
            throw new ApiError(
              'ACCOUNT_LOCKED',
              'This operator is locked after too many wrong passwords. Ask a supervisor to unlock it.',
              '该操作员因密码错误次数过多已被锁定，请联系主管解锁。',
            );
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
        return { ok: true };
      },
    };
  }
}
