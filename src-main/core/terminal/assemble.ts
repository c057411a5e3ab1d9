// The wiring both composition roots share: given where the host, PIN pad, wallet host and printer
// are, and the key store and trace counter to use, build the terminal. Which keys do what depends
// on the PIN pad: an ABECS pad takes the PIN key with each PIN request and cannot MAC, so the PC
// keeps the TMK (encrypted at rest) for MACs; an EPP holds the TMK and the working keys itself
// and computes PIN blocks and MACs inside.
import type { HostMacAlgorithm } from '../../common';
import {
  createPinpad,
  EppKeyStore,
  PinpadError,
  pinpadDriver,
  type PinKey,
} from '../../devices/pinpad';
import type { PrinterTarget } from '../../devices/printer';
import {
  BankHostClient,
  type HostKeyStore,
  type SoftwareKeyStore,
  type TerminalStateStore,
  type TlsPinOptions,
  type WorkingKeyBundle,
} from '../../host';
import { WalletClient, type WalletClientOptions } from '../../host/wallet';
import type { CashierConfig } from '../config';
import { TerminalError, type Terminal, type TerminalErrorCode, type TrainingPeers } from './types';

/** Working key slots inside an EPP (the master key slots come from the config). */
export const EPP_WORKING_SLOTS = { pin: 2, mac: 3, walletPin: 4 } as const;

export interface TerminalParts {
  mode: 'live' | 'training';
  config: CashierConfig;
  keyStore: SoftwareKeyStore;
  state: TerminalStateStore;
  host: { host: string; port: number; tls?: TlsPinOptions };
  /** Serial path of the PIN pad (a `memory:` path in training). */
  pinpadPath: string;
  masterKeyIndex: number;
  walletMasterKeyIndex: number;
  /** Wallet client options, or why this terminal has no wallet host. */
  wallet: WalletClientOptions | TerminalErrorCode;
  printer: PrinterTarget | null;
  training: TrainingPeers | null;
  /** Run in reverse order by close(): simulators and clients opened for this terminal. */
  closers: Array<() => Promise<unknown>>;
  /** Masked host message dumps for the operational log. */
  log?: (line: string) => void;
}

/** Remembers the PIK of the last sign-on: ABECS pads take it, under the TMK, with each GPN. */
class PinKeyTracker implements HostKeyStore {
  pikUnderTmk: Buffer | undefined;
  constructor(
    private readonly store: SoftwareKeyStore,
    private readonly macAlgorithm: HostMacAlgorithm,
  ) {}
  async installWorkingKeys(keys: WorkingKeyBundle): Promise<void> {
    await this.store.installWorkingKeys(keys);
    this.pikUnderTmk = Buffer.from(keys.pikUnderTmk);
  }
  calculateMac(mab: Buffer): Promise<Buffer> {
    return this.store.calculateMac(mab, this.macAlgorithm);
  }
}

/** The EPP's own MAC (device profile 41h) is the UnionPay ECB one only. */
function eppHostKeys(epp: EppKeyStore, macAlgorithm: HostMacAlgorithm): HostKeyStore {
  return {
    installWorkingKeys: (keys) => epp.installWorkingKeys(keys),
    calculateMac: (mab) =>
      macAlgorithm === 'ecb'
        ? epp.calculateMac(mab)
        : Promise.reject(
            new PinpadError(
              'NOT_SUPPORTED',
              `this EPP computes only the UnionPay ECB MAC, not ${macAlgorithm} (host setting)`,
            ),
          ),
  };
}

export function assembleTerminal(parts: TerminalParts): Terminal {
  const { config, closers } = parts;
  // Closed after the host client (closers run in reverse): the trace number last used is kept.
  closers.push(() => parts.state.close?.() ?? Promise.resolve());
  const protocol = config.pinpad.protocol;
  // In training the path is the host end of the in-memory cable (a `memory:` path).
  const pinpad = createPinpad({ protocol, path: parts.pinpadPath });
  closers.push(() => pinpad.close().catch(() => undefined));

  // A pad that loads keys (an EPP) holds the TMK and working keys itself.
  const capabilities = pinpadDriver(protocol).capabilities;
  const epp = capabilities.keyLoading
    ? new EppKeyStore(pinpad, {
        masterIndex: parts.masterKeyIndex,
        pinKeyIndex: EPP_WORKING_SLOTS.pin,
        macKeyIndex: EPP_WORKING_SLOTS.mac,
        walletMasterIndex: parts.walletMasterKeyIndex,
        walletPinKeyIndex: EPP_WORKING_SLOTS.walletPin,
        algorithm: '3des',
      })
    : null;
  const macAlgorithm = config.host.macAlgorithm;
  const tracker = epp ? null : new PinKeyTracker(parts.keyStore, macAlgorithm);

  const host = new BankHostClient({
    ...parts.host,
    terminalId: config.terminal.id,
    merchantId: config.merchant.id,
    tpdu: config.host.tpdu,
    keys: epp ? eppHostKeys(epp, macAlgorithm) : tracker!,
    state: parts.state,
    connectTimeoutMs: config.host.connectTimeoutMs,
    responseTimeoutMs: config.host.responseTimeoutMs,
    ...(parts.log ? { log: parts.log } : {}),
  });
  closers.push(() => host.close());

  const wallet = typeof parts.wallet === 'string' ? null : new WalletClient(parts.wallet);
  let walletPinKey: Promise<PinKey> | undefined;

  return {
    mode: parts.mode,
    host,
    pinpad,
    printer: parts.printer,
    training: parts.training,
    assertCanReadCards() {
      if (!capabilities.magstripe && !capabilities.chip && !capabilities.contactless) {
        throw new TerminalError('CARD_READER_REQUIRED');
      }
    },
    cardPinKey(): PinKey {
      if (epp) return epp.pinKey();
      return {
        scheme: 'mkwk',
        algorithm: '3des',
        masterKeyIndex: parts.masterKeyIndex,
        ...(tracker!.pikUnderTmk ? { workingKeyEncrypted: tracker!.pikUnderTmk } : {}),
      };
    },
    requireWallet(): WalletClient {
      if (!wallet) throw new TerminalError(parts.wallet as TerminalErrorCode);
      return wallet;
    },
    walletPinKey(): Promise<PinKey> {
      walletPinKey ??= (async (): Promise<PinKey> => {
        const sent = await this.requireWallet().pinKey();
        if (epp) return epp.installWalletPinKey(sent.keyUnderMasterKey, sent.checkValue);
        return {
          scheme: 'mkwk',
          algorithm: '3des',
          masterKeyIndex: parts.walletMasterKeyIndex,
          workingKeyEncrypted: sent.keyUnderMasterKey,
        };
      })();
      // A failed exchange is not cached: the next inquiry asks again.
      walletPinKey.catch(() => (walletPinKey = undefined));
      return walletPinKey;
    },
    forgetWalletPinKey() {
      walletPinKey = undefined;
    },
    masterKeyCheckValue() {
      return parts.keyStore.masterKeyCheckValue() ?? null;
    },
    keyProtection() {
      return parts.keyStore.protection();
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}
