// The terminal: the outside world the workflow talks to. Two composition roots build it, one per
// mode, sharing the wiring in assemble.ts; they share no state. (Tests have a third, a whole
// training console in a temp folder: test/unit/core/support/training-console.ts.) The rest of the
// core holds it through the terminal service (service.ts), which owns opening it again.
import type { CashierConfig } from '../config';
import { openLiveTerminal, type TerminalOpenOptions } from './live';
import { openTrainingTerminal } from './training';
import type { Terminal } from './types';

export function openTerminal(
  config: CashierConfig,
  dataDir: string,
  options: TerminalOpenOptions = {},
): Promise<Terminal> {
  return config.mode === 'training'
    ? openTrainingTerminal(config, dataDir, options)
    : openLiveTerminal(config, dataDir, options);
}

export { openLiveTerminal, liveKeysDir, type TerminalOpenOptions } from './live';
export { openTrainingTerminal, trainingDataDir } from './training';
export { EPP_WORKING_SLOTS } from './assemble';
export {
  TerminalService,
  type OpenTerminal,
  type TerminalPort,
  type TerminalServiceOptions,
  type TerminalState,
} from './service';
export { TerminalError, type Terminal, type TerminalErrorCode, type TrainingPeers } from './types';
