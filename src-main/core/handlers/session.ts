// Handlers of the session channel: the first screen's state, login, logout, one's own password.
import { ApiError, type OperatorView, type sessionChannel } from '../../contract';
import { passwordExpiry } from '../../common';
import type { Operator, Store } from '../../store';
import type { AccessControl } from '../access';
import type { HostLink } from '../host-link';
import type { LoginLimiter, SessionRegistry } from '../sessions';
import type { StatusBoard } from '../status';
import type { TerminalPort } from '../terminal/service';
import type { ChannelHandlers } from './types';

export interface SessionDeps {
  operators: Store['operators'];
  audit: Store['audit'];
  sessions: Pick<SessionRegistry, 'logOutOperator'>;
  logins: LoginLimiter;
  access: Pick<AccessControl, 'touch'>;
  terminals: Pick<TerminalPort, 'config'>;
  status: Pick<StatusBoard, 'snapshot'>;
  hostLink: Pick<HostLink, 'signOnInBackground'>;
  app: { version: string; shell: 'electron' | 'web' };
}

export function operatorView(operator: Operator): OperatorView {
  return { operatorNo: operator.operatorNo, name: operator.name, role: operator.role };
}

export function sessionHandlers(deps: SessionDeps): ChannelHandlers<typeof sessionChannel> {
  const { operators, audit, sessions, logins } = deps;
  return {
    getAppState: async (_args, { session }) => {
      // The first screen's poll counts as activity, and ends a login that sat idle too long.
      deps.access.touch(session);
      const config = deps.terminals.config();
      return {
        needsFirstSupervisor: (await operators.count()) === 0,
        mode: config.mode,
        language: config.language,
        version: deps.app.version,
        shell: deps.app.shell,
        merchantName: config.merchant.name,
        terminalId: config.terminal.id,
        operator: session.operator ? operatorView(session.operator) : null,
        mustChangePassword: session.operator !== null && session.mustChangePassword,
        passwordChangeReason:
          session.operator && session.mustChangePassword
            ? (session.passwordChangeReason ?? 'temporary')
            : null,
        passwordExpiresInDays: session.operator
          ? passwordExpiry(
              session.operator.passwordChangedAt,
              config.security.passwordMaxAgeDays,
              new Date(),
            ).daysLeft
          : null,
        idleLockMinutes: config.security.idleLockMinutes,
        status: deps.status.snapshot(),
      };
    },

    login: async (args, { session }) => {
      const wait = logins.retryAfterSeconds(session.id);
      if (wait > 0) {
        throw new ApiError(
          'LOGIN_RATE_LIMITED',
          { seconds: wait },
          { details: { retryAfterSeconds: wait } },
        );
      }
      const outcome = await logins.attempt(session.id, () =>
        operators.authenticate(args.operatorNo, args.password, {
          passwordMaxAgeDays: deps.terminals.config().security.passwordMaxAgeDays,
        }),
      );
      if (outcome === 'busy') throw new ApiError('LOGINS_BUSY');
      if (!outcome.ok) {
        if (outcome.reason === 'locked') {
          // Whoever is still logged in as this operator is logged out with it.
          const locked = await operators.findByNo(args.operatorNo);
          if (locked) sessions.logOutOperator(locked.id, 'locked');
          throw new ApiError(
            'ACCOUNT_LOCKED',
            { notice: { en: outcome.message, zh: outcome.messageZh } },
            {
              details: {
                lockedUntil: outcome.lockedUntil,
                retryAfterSeconds: outcome.retryAfterSeconds,
              },
            },
          );
        }
        const tries = outcome.remainingTries;
        throw new ApiError(
          'LOGIN_FAILED',
          { triesLeft: tries },
          tries !== undefined ? { details: { remainingTries: tries } } : {},
        );
      }
      session.operator = outcome.operator;
      session.mustChangePassword = outcome.mustChangePassword;
      session.passwordChangeReason = outcome.mustChangeReason;
      session.lastActivityMs = Date.now();
      deps.hostLink.signOnInBackground(outcome.operator.operatorNo);
      return {
        operator: operatorView(outcome.operator),
        mustChangePassword: outcome.mustChangePassword,
        passwordChangeReason: outcome.mustChangeReason,
        passwordExpiresInDays: outcome.passwordExpiresInDays,
      };
    },

    logout: async (_args, { session }) => {
      if (session.operator) {
        await audit.record({
          kind: 'logout',
          operatorId: session.operator.id,
          operatorNo: session.operator.operatorNo,
        });
      }
      session.operator = null;
      session.mustChangePassword = false;
      return { ok: true };
    },

    changeOwnPassword: async (args, { session, operator }) => {
      await operators.changePassword(operator.id, args.oldPassword, args.newPassword);
      session.mustChangePassword = false;
      session.passwordChangeReason = null;
      // The new change time, so the expiry reminder ends with this session too.
      session.operator = (await operators.get(operator.id)) ?? session.operator;
      sessions.logOutOperator(operator.id, 'password-changed', session);
      return { ok: true };
    },
  };
}
