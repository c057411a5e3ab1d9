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
  OperatorView,
  StatusSnapshot,
} from '../contract';
import { ApiError } from '../contract';
import { openStore, type Operator, type Store } from '../store';
import { loadConfig, type CashierConfig } from './config';

export interface CoreOptions {
  dataDir: string;
  shell: AppState['shell'];
  version: string;
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

export class CashierCore {
  private readonly events = new EventEmitter();
  private nextSessionId = 1;
  /** Devices and host are not wired in yet: training mode reports its simulators. */
  private status: StatusSnapshot = {
    hostOnline: false,
    signedOn: false,
    pinpad: 'missing',
    printer: 'missing',
  };

  private constructor(
    readonly options: CoreOptions,
    readonly config: CashierConfig,
    readonly store: Store,
  ) {}

  /** Loads the config (throws ConfigError when malformed) and opens the database. */
  static async open(options: CoreOptions): Promise<CashierCore> {
    const config = await loadConfig(options.dataDir);
    const store = await openStore(options.dataDir);
    const core = new CashierCore(options, config, store);
    if (config.mode === 'training') {
      core.status = { hostOnline: false, signedOn: false, pinpad: 'training', printer: 'training' };
    }
    return core;
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

  async close(): Promise<void> {
    this.events.removeAllListeners();
    await this.store.close();
  }

  /** Forgets the operator of a session idle longer than the configured lock time. */
  private expireIdle(session: Session, nowMs: number): void {
    const idleMs = this.config.security.idleLockMinutes * 60_000;
    if (session.operator && idleMs > 0 && nowMs - session.lastActivityMs > idleMs) {
      session.operator = null;
    }
    session.lastActivityMs = nowMs;
  }

  readonly handlers: CoreHandlers = {
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
      const operator = await this.store.operators.createFirstSupervisor(args);
      await this.store.audit.record({
        kind: 'operator-created',
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
        detail: { role: operator.role, firstRun: true },
      });
      session.lastActivityMs = Date.now();
      return toView(operator);
    },

    login: async (args, session) => {
      const outcome = await this.store.operators.authenticate(args.operatorNo, args.password, {
        passwordMaxAgeDays: this.config.security.passwordMaxAgeDays,
      });
      if (!outcome.ok) {
        await this.store.audit.record({
          kind: 'login-failed',
          operatorNo: args.operatorNo,
          detail: { reason: outcome.reason },
        });
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
      await this.store.audit.record({
        kind: 'login',
        operatorId: outcome.operator.id,
        operatorNo: outcome.operator.operatorNo,
      });
      return { operator: toView(outcome.operator), mustChangePassword: outcome.mustChangePassword };
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
