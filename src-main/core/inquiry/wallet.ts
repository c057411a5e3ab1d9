// The steps of a payment-account inquiry: the wallet host, the account on screen and in the log,
// then the proof (an SMS code the customer read out, or the payment password on the PIN pad) and
// the balance. The order is the table in flows.ts.
import { CardData } from '../../devices/pinpad';
import { maskWalletAccount, WalletError, walletPinBlockPan } from '../../host/wallet';
import { PIN_TIMEOUT_MS } from './card';
import type { Step, WalletInquiry } from './types';

export type WalletPath = WalletInquiry['proof']['kind'];

type WalletStep = Step<WalletInquiry, WalletPath>;

/** This terminal's wallet host, or the reason it has none (WALLET_NOT_CONFIGURED ...). */
export const findWalletHost: WalletStep = async (inquiry) => {
  inquiry.wallet = inquiry.deps.terminal.requireWallet();
  return 'next';
};

/** The masked account goes on screen, waiting for the password or straight to the host. */
export const showAccount: WalletStep = async (inquiry) => {
  const masked = maskWalletAccount(inquiry.accountNo);
  const password = inquiry.proof.kind === 'password';
  inquiry.started = Date.now();
  inquiry.account = { kind: 'wallet', masked, entry: password ? 'pay-password' : 'sms-code' };
  inquiry.show({ step: password ? 'waiting-pin' : 'processing', maskedAccount: masked });
  return 'next';
};

export const askWalletWithSmsCode: WalletStep = async (inquiry) => {
  if (inquiry.proof.kind !== 'sms') throw new Error('not an SMS code inquiry');
  inquiry.balance = await inquiry.wallet!.balanceWithSmsCode(inquiry.accountNo, inquiry.proof.code);
  return 'next';
};

/** The PIN pad opens (if it is not already); its key presses reach the screen. */
export const openPadForPassword: WalletStep = async (inquiry) => {
  const { pinpad } = inquiry.deps.terminal;
  if (pinpad.health !== 'connected') await pinpad.open({ signal: inquiry.signal });
  const onKey = ({ digits }: { digits: number }) => inquiry.show({ pinDigits: digits });
  pinpad.on('keypress', onKey);
  inquiry.cleanups.push(() => pinpad.off('keypress', onKey));
  return 'next';
};

/** The customer types the payment password; the pad encrypts it under the wallet's PIN key. */
export const enterPassword: WalletStep = async (inquiry) => {
  const { terminal } = inquiry.deps;
  const pin = await terminal.pinpad.getPin({
    card: new CardData('swipe', { pan: walletPinBlockPan(inquiry.accountNo) }),
    key: await terminal.walletPinKey(),
    signal: inquiry.signal,
    timeoutMs: PIN_TIMEOUT_MS,
  });
  if (pin.outcome !== 'pin') return { end: { kind: 'cancelled' } };
  inquiry.pinBlock = pin.pinBlock;
  return 'next';
};

/** The wallet host checks the password block. If it cannot read the block, its PIN key may
 *  have changed: the next inquiry fetches the key again. */
export const askWalletWithPassword: WalletStep = async (inquiry) => {
  inquiry.show({ step: 'processing' });
  try {
    inquiry.balance = await inquiry.wallet!.balanceWithPasswordBlock(
      inquiry.accountNo,
      inquiry.pinBlock!,
      0,
    );
  } catch (err) {
    if (err instanceof WalletError && err.code === 'PIN_BLOCK_INVALID') {
      inquiry.deps.terminal.forgetWalletPinKey();
    }
    throw err;
  }
  return 'next';
};

/** The row gets the balance. */
export const logWalletBalance: WalletStep = async (inquiry) => {
  const balance = inquiry.balance!;
  await inquiry.deps.store.transactions.complete(inquiry.txId!, {
    outcome: 'approved',
    responseCode: '00',
    responseClass: 'success',
    rrn: balance.reference,
    ledgerFen: balance.ledgerFen,
    availableFen: balance.availableFen,
    currency: balance.currency,
    durationMs: Date.now() - inquiry.started,
  });
  return { end: { kind: 'logged' } };
};
