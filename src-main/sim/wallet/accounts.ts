// The simulated wallet host's built-in accounts and terminal keys (training mode and tests).
// All of them are fictitious and PUBLIC: they are printed in PROTOCOL.md.
import { TRAINING_MASTER_KEY_HEX } from '../pinpad/training';

export interface WalletSimAccount {
  /** Bound mainland mobile number (11 digits); the SMS code goes here. */
  phone: string;
  /** 16-digit wallet account number. Either this or the phone identifies the account. */
  walletId: string;
  /** Holder name as the host shows it to a till, already masked. */
  holderMasked: string;
  ledgerFen: number;
  availableFen: number;
  /** 6-digit payment password (支付密码) the customer types on the PIN pad. */
  paymentPassword: string;
  frozen?: boolean;
}

export interface WalletSimTerminalKeys {
  terminalId: string;
  /** 32-byte request/response signing key, 64 hex digits. */
  signingKey: string;
  /** Double-length 3DES key (16 bytes, 32 hex digits) the PIN pad encrypts password blocks under. */
  pinKey: string;
  /**
   * The terminal's wallet master key (32 hex digits), also injected in its PIN pad: the host
   * sends the PIN key under it (`/wallet/v1/pin-key`). Without it that exchange is refused.
   */
  masterKey?: string;
}

export const DEFAULT_WALLET_ACCOUNTS: readonly WalletSimAccount[] = [
  {
    phone: '13812345678',
    walletId: '8800000000000001',
    holderMasked: '*三',
    ledgerFen: 1_254_300,
    availableFen: 1_204_300,
    paymentPassword: '123456',
  },
  {
    phone: '13900000002',
    walletId: '8800000000000002',
    holderMasked: '*小红',
    ledgerFen: 8_888,
    availableFen: 8_888,
    paymentPassword: '654321',
  },
  {
    phone: '13700001111',
    walletId: '8800000012345678',
    holderMasked: '*四',
    ledgerFen: 0,
    availableFen: 0,
    paymentPassword: '111111',
  },
  {
    phone: '13600000004',
    walletId: '8800000000000004',
    holderMasked: '*五',
    ledgerFen: 50_000,
    availableFen: 0,
    paymentPassword: '000000',
    frozen: true,
  },
];

/** The training terminal (config default `T0000001`). Training only: these keys are public. */
export const TRAINING_WALLET_TERMINAL: WalletSimTerminalKeys = {
  terminalId: 'T0000001',
  // ASCII "T0000001-wallet-training-signkey"
  signingKey: '54303030303030312d77616c6c65742d747261696e696e672d7369676e6b6579',
  pinKey: '0123456789ABCDEFFEDCBA9876543210',
  // The training PIN pad's master key (slots 0 and 1), so the pad can take the PIN key.
  masterKey: TRAINING_MASTER_KEY_HEX,
};
