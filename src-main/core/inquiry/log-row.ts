// The log row of an inquiry: written before the host exchange, completed after it, so a console
// that stops in between leaves a row saying 'outcome unknown' rather than nothing.
import type { InquiryContext, Step } from './types';

/** Writes the row (outcome unknown until an ending completes it). */
export const openLogRow: Step<InquiryContext, never> = async (inquiry) => {
  const { account, operator, deps } = inquiry;
  if (!account) throw new Error('the account is not known yet');
  inquiry.txId = await deps.store.transactions.begin({
    operatorId: operator.id,
    operatorNo: operator.operatorNo,
    accountKind: account.kind,
    maskedAccount: account.masked,
    entryMode: account.entry,
    training: deps.training,
  });
  return 'next';
};
