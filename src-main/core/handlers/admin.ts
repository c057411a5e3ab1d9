// Handlers of the admin channel: operators, settings, and applying saved settings. The store
// audits operator changes itself; settings changes are audited here as 'config-change' with the
// changed fields and their values before and after (settings hold no keys or passwords).
import {
  ApiError,
  OPERATOR_PAGE_MAX,
  type adminChannel,
  type OperatorAdminView,
} from '../../contract';
import type { Operator, Store } from '../../store';
import type { SessionRegistry } from '../sessions';
import { settingChanges } from '../setting-words';
import { settingsView, type Settings } from '../settings';
import type { ChannelHandlers } from './types';

export interface AdminDeps {
  operators: Store['operators'];
  audit: Store['audit'];
  sessions: Pick<SessionRegistry, 'logOutOperator'>;
  settings: Pick<Settings, 'read' | 'save'>;
  /** Reopens the terminal with config.json as saved. */
  applyChanges(operatorNo: string): Promise<void>;
}

function adminView(operator: Operator): OperatorAdminView {
  return {
    operatorNo: operator.operatorNo,
    name: operator.name,
    role: operator.role,
    locked: operator.locked,
    passwordChangedAt: operator.passwordChangedAt,
    createdAt: operator.createdAt,
  };
}

export function adminHandlers(deps: AdminDeps): ChannelHandlers<typeof adminChannel> {
  const { operators, audit, sessions, settings } = deps;

  async function operatorByNo(operatorNo: string): Promise<Operator> {
    const operator = await operators.findByNo(operatorNo);
    if (!operator) {
      throw new ApiError('NO_SUCH_OPERATOR', { operatorNo });
    }
    return operator;
  }

  return {
    listOperators: async ({ after, limit = OPERATOR_PAGE_MAX }) => {
      // One more than the page, to know whether another follows without a COUNT.
      const rows = await operators.list({ ...(after ? { after } : {}), limit: limit + 1 });
      const page = rows.slice(0, limit).map(adminView);
      return { operators: page, next: rows.length > limit ? page.at(-1)!.operatorNo : null };
    },

    createOperator: async (args, { operator: supervisor }) =>
      adminView(await operators.create(args, supervisor.id)),

    resetOperatorPassword: async (args, { operator: supervisor }) => {
      const target = await operatorByNo(args.operatorNo);
      await operators.resetPassword(target.id, supervisor.id, args.newPassword);
      // The old password no longer opens anything: their open windows go to the login screen.
      sessions.logOutOperator(target.id, 'password-reset');
      return { ok: true };
    },

    unlockOperator: async (args, { operator: supervisor }) => {
      const target = await operatorByNo(args.operatorNo);
      await operators.unlock(target.id, supervisor.id);
      return { ok: true };
    },

    // The file, not the running copy: it shows what the next start will use.
    getSettings: async () => settingsView(await settings.read()),

    saveSettings: async (args, { operator: supervisor }) => {
      const { before, after, changed, restartNeeded } = await settings.save((draft) => {
        if (args.mode !== undefined) draft.mode = args.mode;
        if (args.language !== undefined) draft.language = args.language;
        if (args.servicePhone !== undefined) draft.servicePhone = args.servicePhone.trim();
        if (args.bankPhone !== undefined) draft.bankPhone = args.bankPhone.trim();
        if (args.walletPhone !== undefined) draft.walletPhone = args.walletPhone.trim();
        if (args.walletPrivateLine !== undefined && draft.wallet) {
          draft.wallet.privateLine = args.walletPrivateLine;
        }
        if (args.merchant?.id !== undefined) draft.merchant.id = args.merchant.id.trim();
        if (args.merchant?.name !== undefined) draft.merchant.name = args.merchant.name.trim();
        if (args.terminal?.id !== undefined) draft.terminal.id = args.terminal.id.trim();
        const host = args.host ?? {};
        if (host.address !== undefined) draft.host.address = host.address.trim();
        if (host.port !== undefined) draft.host.port = host.port;
        if (host.tls !== undefined) draft.host.tls = host.tls;
        if (host.connectTimeoutMs !== undefined)
          draft.host.connectTimeoutMs = host.connectTimeoutMs;
        if (host.responseTimeoutMs !== undefined) {
          draft.host.responseTimeoutMs = host.responseTimeoutMs;
        }
        if (host.macAlgorithm !== undefined) draft.host.macAlgorithm = host.macAlgorithm;
        if (host.privateLine !== undefined) draft.host.privateLine = host.privateLine;
        if (host.pinnedCertSha256 !== undefined) {
          const pin = host.pinnedCertSha256.trim();
          if (pin) draft.host.pinnedCertSha256 = pin;
          else delete draft.host.pinnedCertSha256;
        }
        const security = args.security ?? {};
        if (security.passwordMaxAgeDays !== undefined) {
          draft.security.passwordMaxAgeDays = security.passwordMaxAgeDays;
        }
        if (security.idleLockMinutes !== undefined) {
          draft.security.idleLockMinutes = security.idleLockMinutes;
        }
        if (security.pinTriesPerInquiry !== undefined) {
          draft.security.pinTriesPerInquiry = security.pinTriesPerInquiry;
        }
        if (args.browserShellPort === null) delete draft.browserShell;
        else if (args.browserShellPort !== undefined) {
          draft.browserShell = { port: args.browserShellPort };
        }
      });
      if (changed.length > 0) {
        await audit.record({
          kind: 'config-change',
          operatorId: supervisor.id,
          operatorNo: supervisor.operatorNo,
          detail: {
            fields: changed,
            changes: settingChanges(before, after, changed),
            restartNeeded,
            source: 'ui',
            // A recorded private line stands in for TLS: who said so, and what, is kept.
            ...(changed.some((f) => f.endsWith('privateLine'))
              ? {
                  privateLine: {
                    host: after.host.privateLine,
                    ...(after.wallet ? { wallet: after.wallet.privateLine ?? false } : {}),
                  },
                }
              : {}),
          },
        });
      }
      return { settings: settingsView(after), changed, restartNeeded };
    },

    applyChanges: async (_args, { operator }) => {
      await deps.applyChanges(operator.operatorNo);
      await audit.record({
        kind: 'config-change',
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
        detail: { applied: true, source: 'ui' },
      });
      return { ok: true };
    },
  };
}
