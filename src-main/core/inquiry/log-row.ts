// The log row of an inquiry: written before the host exchange, completed after it, so a console
// that stops in between leaves a row saying 'outcome unknown' rather than nothing.
import type { CardInquiry, InquiryContext, Step, WalletInquiry } from './types';

/** The full account, only to key its hash (never stored): the card's number, or the payment
 *  account's id as the customer gave it. */
function fullAccount(inquiry: InquiryContext): string | undefined {
  return inquiry.account?.kind === 'card'
    ? (inquiry as Partial<CardInquiry>).card?.pan
    : (inquiry as Partial<WalletInquiry>).accountNo;
}

/** Writes the row (outcome unknown until an ending completes it), with the account's keyed
 *  hash for the log review (two cards sharing first 6 / last 4 are told apart). */
export const openLogRow: Step<InquiryContext, never> = async (inquiry) => {
  const { account, operator, deps } = inquiry;
  if (!account) throw new Error('the account is not known yet');
  const full = fullAccount(inquiry);
  // In the row's own transaction: a row without its key would be compared by its masked number.
  const accountKey = full ? (deps.accountKeyer?.keyOf(account.kind, full) ?? null) : null;
  inquiry.txId = await deps.store.transactions.begin({
    operatorId: operator.id,
    operatorNo: operator.operatorNo,
    accountKind: account.kind,
    maskedAccount: account.masked,
    entryMode: account.entry,
    training: deps.training,
    accountKey,
  });
  return 'next';
};
