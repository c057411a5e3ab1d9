// The terminal: the outside world the workflow talks to. Two composition roots build it, one per
// mode, sharing the wiring in assemble.ts; they share no state.
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
export { TerminalError, type Terminal, type TerminalErrorCode, type TrainingPeers } from './types';
