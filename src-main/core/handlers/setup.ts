// Handlers of the setup channel: the first run, before any operator exists.
import { ApiError, type FirstRunDefaults, type setupChannel } from '../../contract';
import type { Store } from '../../store';
import type { CashierConfig } from '../config';
import type { Settings } from '../settings';
import type { TerminalPort } from '../terminal/service';
import { operatorView } from './session';
import type { ChannelHandlers } from './types';

export interface SetupDeps {
  operators: Store['operators'];
  audit: Store['audit'];
  terminals: Pick<TerminalPort, 'config'>;
  settings: Pick<Settings, 'check' | 'save'>;
  /** Reopens the terminal with config.json as saved. */
  applyChanges(operatorNo: string): Promise<void>;
}

export function setupHandlers(deps: SetupDeps): ChannelHandlers<typeof setupChannel> {
  const { operators, audit, settings } = deps;

  async function refuseAfterSetup(): Promise<void> {
    if ((await operators.count()) > 0) {
      throw new ApiError('ALREADY_SET_UP');
    }
  }

  return {
    createFirstSupervisor: async (args, { session }) => {
      // The store audits logins, failures and new operators in the same transaction.
      const operator = await operators.createFirstSupervisor(args);
      session.lastActivityMs = Date.now();
      return operatorView(operator);
    },

    getFirstRunDefaults: async () => {
      await refuseAfterSetup();
      const config = deps.terminals.config();
      const defaults: FirstRunDefaults = {
        merchant: { id: config.merchant.id, name: config.merchant.name },
        terminal: { id: config.terminal.id },
        mode: config.mode,
        host: { address: config.host.address, port: config.host.port },
      };
      return defaults;
    },

    completeFirstRun: async (args, { session }) => {
      await refuseAfterSetup();
      const apply = (draft: CashierConfig): void => {
        draft.merchant.id = args.merchant.id.trim();
        draft.merchant.name = args.merchant.name.trim();
        draft.terminal.id = args.terminal.id.trim();
        draft.mode = args.mode;
        if (args.host) {
          draft.host.address = args.host.address.trim();
          draft.host.port = args.host.port;
        }
      };
      if (args.mode === 'live' && !args.host) {
        throw new ApiError('LIVE_NEEDS_HOST', {
          details: { fields: ['host.address', 'host.port'] },
        });
      }
      // Check the settings before creating anyone, so a typo leaves nothing half done.
      const draft = structuredClone(deps.terminals.config());
      apply(draft);
      await settings.check(draft);
      // The store refuses (ALREADY_SET_UP) if another window finished first.
      const operator = await operators.createFirstSupervisor(args.supervisor);
      session.lastActivityMs = Date.now();
      const { changed, restartNeeded } = await settings.save(apply);
      if (changed.length > 0) {
        await audit.record({
          kind: 'config-change',
          operatorId: operator.id,
          operatorNo: operator.operatorNo,
          detail: { fields: changed, restartNeeded, source: 'first-run' },
        });
      }
      // Nothing runs yet on a fresh install, so the new merchant, terminal and mode apply now.
      if (restartNeeded) await deps.applyChanges(operator.operatorNo);
      return { operator: operatorView(operator), restartNeeded: false };
    },
  };
}
