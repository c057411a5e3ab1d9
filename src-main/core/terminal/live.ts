// Composition root of live mode: the configured bank host, PIN pad, wallet host and printer.
// Live mode reads its keys and never writes a master key: those come only from key injection
// (`cashier keys load-tmk`), so nothing a console does at start-up can replace them.
import path from 'node:path';
import { parsePrinterTarget } from '../../devices/printer';
import {
  FileTerminalState,
  SoftwareKeyStore,
  type FileKeyProtection,
  type SeenCertificate,
} from '../../host';
import { walletClientOptionsFrom, type WalletClientOptions } from '../../host/wallet';
import type { CashierConfig } from '../config';
import { assembleTerminal } from './assemble';
import type { Terminal, TerminalErrorCode } from './types';

export interface TerminalOpenOptions {
  /** How the key store's file key is sealed (the Electron shell passes the OS's). */
  keyProtection?: FileKeyProtection;
  /** Masked host message dumps for the operational log. */
  log?: (line: string) => void;
  /** Hears each pinned certificate a live link's handshake showed (its expiry is watched). */
  onCertificate?: (party: 'host' | 'wallet', certificate: SeenCertificate) => void;
}

/** Where live mode keeps its keys and trace numbers, under the data folder. */
export function liveKeysDir(dataDir: string): string {
  return path.join(dataDir, 'keys');
}

export async function openLiveTerminal(
  config: CashierConfig,
  dataDir: string,
  options: TerminalOpenOptions = {},
): Promise<Terminal> {
  const keyStore = new SoftwareKeyStore(liveKeysDir(dataDir), options.keyProtection);
  const target = config.printer.target;
  return assembleTerminal({
    mode: 'live',
    config,
    keyStore,
    state: new FileTerminalState(path.join(dataDir, 'terminal-state.json')),
    host: {
      host: config.host.address,
      port: config.host.port,
      // The config schema requires a pinned certificate whenever TLS is on.
      ...(config.host.tls && config.host.pinnedCertSha256
        ? {
            tls: {
              pinnedSha256: config.host.pinnedCertSha256,
              onCertificate: (c: SeenCertificate) => options.onCertificate?.('host', c),
            },
          }
        : {}),
    },
    pinpadPath: config.pinpad.port.kind === 'serial' ? config.pinpad.port.path : '',
    masterKeyIndex: config.pinpad.masterKeyIndex,
    walletMasterKeyIndex: config.pinpad.walletMasterKeyIndex,
    wallet: liveWallet(config, keyStore, options),
    printer: target === 'none' || target === 'simulated' ? null : parsePrinterTarget(target),
    training: null,
    closers: [],
    ...(options.log ? { log: options.log } : {}),
  });
}

function liveWallet(
  config: CashierConfig,
  keyStore: SoftwareKeyStore,
  options: TerminalOpenOptions,
): WalletClientOptions | TerminalErrorCode {
  if (!config.wallet) return 'WALLET_NOT_CONFIGURED';
  const signingKey = keyStore.walletSigningKey();
  if (!signingKey) return 'WALLET_SIGNING_KEY_MISSING';
  const client = walletClientOptionsFrom(config.wallet, config.terminal.id, signingKey);
  const onCertificate = options.onCertificate;
  return onCertificate
    ? {
        ...client,
        tls: { ...client.tls, onCertificate: (c: SeenCertificate) => onCertificate('wallet', c) },
      }
    : client;
}
