// What `cashier host-sim --wallet-port N` and training mode start: the wallet simulator with the
// built-in accounts, the training terminal key and the public training certificate.
import type { WalletClientOptions } from '../../host/wallet';
import { TRAINING_WALLET_TERMINAL } from './accounts';
import { startWalletSimulator, type SentSmsCode, type WalletSimulator } from './server';
import { TRAINING_WALLET_TLS } from './training-tls';

export interface TrainingWalletSimulatorOptions {
  /** 0 picks a free port (read it back from `.port`). */
  port: number;
  host?: string;
  /** e.g. push to the training "customer's phone" panel, or print in the CLI. */
  onCodeSent?: (sent: SentSmsCode) => void;
}

export function startTrainingWalletSimulator(
  options: TrainingWalletSimulatorOptions,
): Promise<WalletSimulator> {
  return startWalletSimulator({
    port: options.port,
    host: options.host ?? '127.0.0.1',
    tls: { key: TRAINING_WALLET_TLS.key, cert: TRAINING_WALLET_TLS.cert },
    ...(options.onCodeSent ? { onCodeSent: options.onCodeSent } : {}),
  });
}

/** Client options that reach a training wallet simulator: training terminal, key and pin. */
export function trainingWalletClientOptions(sim: { url: string }): WalletClientOptions {
  return {
    baseUrl: sim.url,
    terminalId: TRAINING_WALLET_TERMINAL.terminalId,
    signingKey: TRAINING_WALLET_TERMINAL.signingKey,
    tls: { pinnedSha256: TRAINING_WALLET_TLS.sha256Fingerprint },
  };
}
