// The terminal's outside world, built from the config: the bank host client with its key store
// and trace counter, the wallet client, the PIN pad and the printer. In training mode the same
// clients and drivers talk to the built-in simulators, started here in-process: the host and
// wallet simulators on loopback TCP, the printer emulator on loopback TCP, and the PIN pad
// emulator at the far end of an in-memory serial cable.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createPinpad, type PinKey, type Pinpad } from '../devices/pinpad';
import { parsePrinterTarget, type PrinterTarget } from '../devices/printer';
import {
  BankHostClient,
  FileTerminalState,
  SoftwareKeyStore,
  type WorkingKeyBundle,
} from '../host';
import { WalletClient, walletClientOptionsFrom, type WalletClientOptions } from '../host/wallet';
import { defaultHostSimConfig, startHostSimulator, type HostSimulatorHandle } from '../sim/host';
import { startTrainingPinpad, type PinpadEmulator } from '../sim/pinpad';
import { TRAINING_MASTER_KEY_INDEX } from '../sim/pinpad/training';
import { startPrinterEmulator, type PrinterEmulator } from '../sim/printer';
import {
  startTrainingWalletSimulator,
  trainingWalletClientOptions,
  trainingWalletPinKeyForPinpad,
} from '../sim/wallet/training';
import type { SentSmsCode, WalletSimulator } from '../sim/wallet';
import type { CashierConfig } from './config';

/** The simulators behind training mode, for the training panel and for tests. */
export interface TrainingPeers {
  host: HostSimulatorHandle;
  wallet: WalletSimulator;
  printer: PrinterEmulator;
  pinpad: PinpadEmulator;
  smsCodes: SentSmsCode[];
}

export interface Terminal {
  readonly host: BankHostClient;
  readonly pinpad: Pinpad;
  /** Null when no wallet host is configured. */
  readonly wallet: WalletClient | null;
  /** Null when the config says `printer.target: "none"`. */
  readonly printer: PrinterTarget | null;
  readonly training: TrainingPeers | null;
  /** The key the PIN pad encrypts card PIN blocks under (the PIK of the last sign-on). */
  cardPinKey(): PinKey;
  /** The key for payment-password blocks. */
  walletPinKey(): PinKey;
  close(): Promise<void>;
}

const TERMINAL_TEXT = {
  WALLET_PIN_KEY_MISSING: [
    'No payment-password key is loaded in the PIN pad. Use an SMS code, or ask the engineer to load the key.',
    '密码键盘未装载支付密码密钥，请改用短信验证码，或联系工程师装载密钥。',
  ],
  WALLET_NOT_CONFIGURED: [
    'No payment institution host is configured.',
    '本终端未配置支付机构主机，无法查询支付账户。',
  ],
} as const;

export class TerminalError extends Error {
  override readonly name = 'TerminalError';
  readonly messageZh: string;
  constructor(readonly code: keyof typeof TERMINAL_TEXT) {
    super(TERMINAL_TEXT[code][0]);
    this.messageZh = TERMINAL_TEXT[code][1];
  }
}

/** Remembers the PIK of the last sign-on: ABECS pads take it, under the TMK, with each GPN. */
class PinKeyTracker {
  pikUnderTmk: Buffer | undefined;
  constructor(private readonly store: SoftwareKeyStore) {}
  async installWorkingKeys(keys: WorkingKeyBundle): Promise<void> {
    await this.store.installWorkingKeys(keys);
    this.pikUnderTmk = Buffer.from(keys.pikUnderTmk);
  }
  calculateMac(mab: Buffer): Promise<Buffer> {
    return this.store.calculateMac(mab);
  }
}

function walletOptions(config: CashierConfig, dataDir: string): WalletClientOptions | null {
  if (!config.wallet) return null;
  const keyFile = path.join(dataDir, 'keys', 'wallet-signing.key');
  if (!existsSync(keyFile)) return null;
  return walletClientOptionsFrom(
    config.wallet,
    config.terminal.id,
    readFileSync(keyFile, 'utf8').trim(),
  );
}

export async function openTerminal(config: CashierConfig, dataDir: string): Promise<Terminal> {
  const keyStore = new SoftwareKeyStore(path.join(dataDir, 'keys'));
  const state = new FileTerminalState(path.join(dataDir, 'terminal-state.json'));
  const closers: Array<() => Promise<unknown>> = [];
  let training: TrainingPeers | null = null;
  let hostAddress = { host: config.host.address, port: config.host.port };
  let walletClientOptions = walletOptions(config, dataDir);
  let printer: PrinterTarget | null =
    config.printer.target === 'none' || config.printer.target === 'simulated'
      ? null
      : parsePrinterTarget(config.printer.target);
  let pinpadPath = config.pinpad.port.kind === 'serial' ? config.pinpad.port.path : '';

  try {
    if (config.mode === 'training') {
      const hostSim = await startHostSimulator({ port: 0 });
      closers.push(() => hostSim.close());
      hostAddress = { host: '127.0.0.1', port: hostSim.port };
      keyStore.setMasterKey(Buffer.from(defaultHostSimConfig().tmk, 'hex'));

      const smsCodes: SentSmsCode[] = [];
      const walletSim = await startTrainingWalletSimulator({
        port: 0,
        onCodeSent: (sent) => smsCodes.unshift(sent),
      });
      closers.push(() => walletSim.close());
      walletClientOptions = trainingWalletClientOptions(walletSim);

      const printerSim = await startPrinterEmulator({
        tcpPort: 0,
        paper: config.printer.paperWidthMm,
      });
      closers.push(() => printerSim.close());
      if (config.printer.target !== 'none') {
        printer = { kind: 'tcp', host: '127.0.0.1', port: printerSim.tcpPort! };
      }

      // The emulated pad sits at the far end of an in-memory cable: no socat, no hardware.
      const trainingPad = await startTrainingPinpad({ protocol: config.pinpad.protocol });
      closers.push(() => trainingPad.close());
      const pinpadSim = trainingPad.emulator;
      pinpadPath = trainingPad.hostPath;
      training = {
        host: hostSim,
        wallet: walletSim,
        printer: printerSim,
        pinpad: pinpadSim,
        smsCodes,
      };
    }

    const keys = new PinKeyTracker(keyStore);
    const host = new BankHostClient({
      ...hostAddress,
      terminalId: config.terminal.id,
      merchantId: config.merchant.id,
      tpdu: config.host.tpdu,
      keys,
      state,
      connectTimeoutMs: config.host.connectTimeoutMs,
      responseTimeoutMs: config.host.responseTimeoutMs,
      // The config schema requires a pinned certificate whenever TLS is on.
      ...(config.host.tls && config.host.pinnedCertSha256
        ? { tls: { pinnedSha256: config.host.pinnedCertSha256 } }
        : {}),
    });
    closers.push(() => host.close());

    // In training the path is the host end of the in-memory cable (a `memory:` path).
    const pinpad = createPinpad({ protocol: config.pinpad.protocol, path: pinpadPath });
    closers.push(() => pinpad.close().catch(() => undefined));

    const wallet = walletClientOptions ? new WalletClient(walletClientOptions) : null;
    const masterKeyIndex =
      config.mode === 'training' ? TRAINING_MASTER_KEY_INDEX : config.pinpad.masterKeyIndex;

    return {
      host,
      pinpad,
      wallet,
      printer,
      training,
      cardPinKey: () => ({
        scheme: 'mkwk',
        algorithm: '3des',
        masterKeyIndex,
        ...(keys.pikUnderTmk ? { workingKeyEncrypted: keys.pikUnderTmk } : {}),
        workingKeyIndex: 1,
      }),
      walletPinKey: () => {
        if (!training) throw new TerminalError('WALLET_PIN_KEY_MISSING');
        const walletKey = trainingWalletPinKeyForPinpad();
        return {
          scheme: 'mkwk',
          algorithm: '3des',
          masterKeyIndex: walletKey.masterKeyIndex,
          workingKeyEncrypted: walletKey.encryptedKey,
          workingKeyIndex: 2,
        };
      },
      async close() {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw err;
  }
}
