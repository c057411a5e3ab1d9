// What `cashier host-sim --wallet-port N` and training mode start: the wallet simulator with the
// built-in accounts, the training terminal key and the public training certificate.
import { maskPhone } from '../../common';
import type { WalletClientOptions } from '../../host/wallet';
import { TRAINING_WALLET_TERMINAL } from './accounts';
import { startWalletSimulator, type SentSmsCode, type WalletSimulator } from './server';
import { TRAINING_WALLET_TLS } from './training-tls';

export interface TrainingWalletSimulatorOptions {
  /** 0 picks a free port (read it back from `.address.port`). */
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
export function trainingWalletClientOptions(address: { url: string }): WalletClientOptions {
  return {
    baseUrl: address.url,
    terminalId: TRAINING_WALLET_TERMINAL.terminalId,
    signingKey: TRAINING_WALLET_TERMINAL.signingKey,
    tls: { pinnedSha256: TRAINING_WALLET_TLS.sha256Fingerprint },
  };
}

/**
 * `cashier host-sim --wallet-port N`: the training wallet simulator, reporting through `log`
 * (one line per call): a banner with the URL, terminal id and certificate fingerprint, then
 * each code as it is "sent".
 */
export async function startWalletHostSim(options: {
  port: number;
  host?: string;
  log: (line: string) => void;
}): Promise<WalletSimulator> {
  const sim = await startTrainingWalletSimulator({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    onCodeSent: (sent) =>
      options.log(
        `短信验证码 / SMS code to ${maskPhone(sent.phone)} (account ${sent.account}): ${sent.code}`,
      ),
  });
  options.log(
    `钱包主机模拟器已启动 / Wallet host simulator on ${sim.address.url} ` +
      `(terminal ${TRAINING_WALLET_TERMINAL.terminalId}, TLS SHA-256 ${TRAINING_WALLET_TLS.sha256Fingerprint})`,
  );
  return sim;
}
