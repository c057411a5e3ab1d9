// What a terminal is to the workflow, whichever composition root built it (live or training).
import { errorCatalogue, errorClass } from '../../common';
import type { PinKey, Pinpad } from '../../devices/pinpad';
import type { PrinterTarget } from '../../devices/printer';
import type { BankHostClient } from '../../host';
import type { WalletClient } from '../../host/wallet';
import type { HostSimulator } from '../../sim/host';
import type { PinpadEmulator } from '../../sim/pinpad';
import type { PrinterEmulator } from '../../sim/printer';
import type { SentSmsCode, WalletSimulator } from '../../sim/wallet';

/** The simulators behind training mode, for the training panel and for tests. */
export interface TrainingPeers {
  host: HostSimulator;
  wallet: WalletSimulator;
  printer: PrinterEmulator;
  pinpad: PinpadEmulator;
  smsCodes: SentSmsCode[];
}

export interface Terminal {
  readonly mode: 'live' | 'training';
  readonly host: BankHostClient;
  readonly pinpad: Pinpad;
  /** Null when the config says `printer.target: "none"`. */
  readonly printer: PrinterTarget | null;
  readonly training: TrainingPeers | null;
  /** Refuses, before anything starts, a card inquiry this terminal cannot read a card for. */
  assertCanReadCards(): void;
  /** The key the PIN pad encrypts card PIN blocks under (the PIK of the last sign-on). */
  cardPinKey(): PinKey;
  /** The wallet host client, or a TerminalError saying why there is none. */
  requireWallet(): WalletClient;
  /** The payment-password PIN key: from the wallet host's key exchange, cached until forgotten. */
  walletPinKey(): Promise<PinKey>;
  /** After the wallet host could not read a PIN block: fetch the key again next time. */
  forgetWalletPinKey(): void;
  /** Check value (8 hex) of the terminal master key in use, for the bank's key letter. */
  masterKeyCheckValue(): string | null;
  /** How the key store is kept at rest ('none' before any key was loaded). */
  keyProtection(): 'os' | 'file' | 'none';
  close(): Promise<void>;
}

export const TERMINAL_ERRORS = errorCatalogue({
  WALLET_NOT_CONFIGURED: {
    en: 'No payment institution host is configured.',
    zh: '本终端未配置支付机构主机，无法查询支付账户。',
  },
  WALLET_SIGNING_KEY_MISSING: {
    en: 'The payment institution host signing key is not installed. Ask the engineer to run cashier keys load-wallet-key.',
    zh: '未装载支付机构主机签名密钥，请联系工程师执行 cashier keys load-wallet-key。',
  },
  PINPAD_REPLACED: {
    en: 'PIN pad replaced: a supervisor must approve it (Devices, F5) before card inquiries continue.',
    zh: '密码键盘已更换，请主管确认（在“设备管理”F5 中核对新设备并批准）后再查询。',
  },
  PRINTER_REPLACED: {
    en: 'Printer replaced: a supervisor must approve it (Devices, F5) before slips are printed. The balance is shown on screen.',
    zh: '打印机已更换，请主管确认（在“设备管理”F5 中核对新打印机并批准）后再打印凭条。余额已在屏幕上显示。',
  },
  CARD_READER_REQUIRED: {
    en: 'This PIN pad (encrypting PIN pad) has no card reader: use a card reader for bank cards. Payment accounts work as usual.',
    zh: '请使用读卡器：本终端的密码键盘（加密键盘）没有读卡器，无法读取银行卡。支付账户查询不受影响。',
  },
});

export type TerminalErrorCode = keyof typeof TERMINAL_ERRORS;

/** What this terminal cannot do (no wallet host, no card reader); the codes are on the wire. */
export class TerminalError extends errorClass(TERMINAL_ERRORS) {
  override readonly name = 'TerminalError';
}
