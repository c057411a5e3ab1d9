// The steps of a payment-account inquiry: the wallet host, the account on screen and in the log,
// then the proof (an SMS code the customer read out, or the payment password on the PIN pad) and
// the balance. The order is the table in flows.ts.
import { CardData } from '../../devices/pinpad';
import {
  maskWalletAccount,
  WalletError,
  walletPinBlockPan,
  type WalletBalance,
} from '../../host/wallet';
import type { InquiryResult } from '../../store';
import { ABANDONED, untilAbandoned } from './abandon';
import { PIN_TIMEOUT_MS } from './card';
import type { Next, Step, WalletInquiry } from './types';

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
  inquiry.show({
    step: password ? 'waiting-pin' : 'processing',
    maskedAccount: masked,
    ...(password ? {} : { waitMs: inquiry.wallet!.responseTimeoutMs }),
  });
  return 'next';
};

/** The wallet host checks the SMS code. A wrong one ends this inquiry as declined with the
 *  tries the host says are left; the screen then takes the code again (the host keeps the code
 *  it sent, so the next inquiry needs no new one). Esc while waiting abandons the wait. */
export const askWalletWithSmsCode: WalletStep = async (inquiry) => {
  if (inquiry.proof.kind !== 'sms') throw new Error('not an SMS code inquiry');
  if (inquiry.signal.aborted) return { end: { kind: 'cancelled', errorCode: 'CANCELLED' } };
  return waitForBalance(
    inquiry,
    inquiry.wallet!.balanceWithSmsCode(inquiry.accountNo, inquiry.proof.code),
  );
};

/** The PIN pad opens (if it is not already); its key presses reach the screen. */
export const openPadForPassword: WalletStep = async (inquiry) => {
  const { pinpad } = inquiry.deps.terminal;
  if (pinpad.health !== 'connected') await pinpad.open({ signal: inquiry.signal });
  // A replaced pad takes no payment password either, until a supervisor approves it.
  inquiry.deps.padTrusted?.();
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
  const wallet = inquiry.wallet!;
  if (inquiry.signal.aborted) return { end: { kind: 'cancelled', errorCode: 'CANCELLED' } };
  inquiry.show({ step: 'processing', waitMs: wallet.responseTimeoutMs });
  const asked = wallet
    .balanceWithPasswordBlock(inquiry.accountNo, inquiry.pinBlock!, 0)
    .catch((err: unknown) => {
      if (err instanceof WalletError && err.code === 'PIN_BLOCK_INVALID') {
        inquiry.deps.terminal.forgetWalletPinKey();
      }
      throw err;
    });
  return waitForBalance(inquiry, asked);
};

/** The balance, or the abandoned ending when the operator stops waiting (Esc). */
async function waitForBalance(
  inquiry: WalletInquiry,
  asked: Promise<WalletBalance>,
): Promise<Next<WalletPath>> {
  const balance = await untilAbandoned(inquiry.signal, asked);
  if (balance === ABANDONED) {
    return { end: { kind: 'abandoned', late: asked.then(walletBalanceResult) } };
  }
  inquiry.balance = balance;
  return 'next';
}

/** The row gets the balance. */
export const logWalletBalance: WalletStep = async (inquiry) => {
  await inquiry.deps.store.transactions.complete(inquiry.txId!, {
    ...walletBalanceResult(inquiry.balance!),
    durationMs: Date.now() - inquiry.started,
  });
  return { end: { kind: 'logged' } };
};

/** What the row keeps of the wallet host's balance (also of a late one, after Esc). */
function walletBalanceResult(balance: WalletBalance): Omit<InquiryResult, 'durationMs'> {
  return {
    outcome: 'approved',
    responseCode: '00',
    responseClass: 'success',
    rrn: balance.reference,
    ledgerFen: balance.ledgerFen,
    availableFen: balance.availableFen,
    currency: balance.currency,
  };
}
