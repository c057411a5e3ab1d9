export {
  DEFAULT_WALLET_ACCOUNTS,
  TRAINING_WALLET_TERMINAL,
  type WalletSimAccount,
  type WalletSimTerminalKeys,
} from './accounts';
export { walletSimErrors, type WalletSimErrorCode } from './host-errors';
export {
  startWalletSimulator,
  type SentSmsCode,
  type WalletSimFaults,
  type WalletSimulator,
  type WalletSimulatorOptions,
} from './server';
export { TRAINING_WALLET_TLS } from './training-tls';
export {
  startTrainingWalletSimulator,
  startWalletHostSim,
  trainingWalletClientOptions,
  type TrainingWalletSimulatorOptions,
} from './training';
export { WALLET_CONTROL_HELP, applyWalletControl } from './control';
