// The balance inquiry: a bank card on the PIN pad, or a payment account proved by an SMS code or
// the payment password; then its slip. Progress arrives as `inquiry` events (contract/events.ts).
import { z } from 'zod';
import { channel, returns } from '../channel';
import { noArgs, slipCopy, transactionId, walletAccount } from '../fields';
import type { Bilingual } from '../views';

export const inquiryChannel = channel({
  /** Starts a bank card inquiry; progress arrives as `inquiry` events. */
  startCardInquiry: {
    access: 'operator',
    args: noArgs(),
    result: returns<{ inquiryId: number }>(),
  },
  /** After a wrong PIN: the same card inquiry asks for the PIN again (a swiped card is not asked
   *  for again; a chip card is read again). Its new run has a new id. */
  retryCardPin: {
    access: 'operator',
    args: z.object({ inquiryId: z.number().int().positive() }).strict(),
    result: returns<{ inquiryId: number }>(),
  },
  /** Stops the running inquiry (the PIN pad returns to idle): the operator who started it, or a
   *  supervisor. */
  cancelInquiry: {
    access: 'operator',
    args: z.object({ inquiryId: z.number().int().positive() }).strict(),
    result: returns<{ ok: true }>(),
  },
  /** Asks the wallet host to send an SMS code to the account's phone. */
  requestWalletCode: {
    access: 'operator',
    args: z.object({ account: walletAccount }).strict(),
    result: returns<{
      accountMasked: string;
      sentToMasked: string;
      expiresInSeconds: number;
      /** The host refuses another code for this account before then (the screen counts down). */
      resendAfterSeconds: number;
    }>(),
  },
  /** Starts a payment-account inquiry, proven by an SMS code or the payment password. */
  startWalletInquiry: {
    access: 'operator',
    args: z
      .object({
        account: walletAccount,
        proof: z.discriminatedUnion('kind', [
          z
            .object({ kind: z.literal('sms'), code: z.string().regex(/^\d{6}$/, '6 digits') })
            .strict(),
          z.object({ kind: z.literal('password') }).strict(),
        ]),
      })
      .strict(),
    result: returns<{ inquiryId: number }>(),
  },
  /** Prints the slip of a logged inquiry (first print or reprint). */
  printSlip: {
    access: 'operator',
    args: z.object({ transactionId, copy: slipCopy }).strict(),
    result: returns<{ bytesSent: number; warnings: Bilingual[] }>(),
  },
  /** The same slip as SVG, column for column as on paper. */
  slipPreview: {
    access: 'operator',
    args: z.object({ transactionId, copy: slipCopy }).strict(),
    result: returns<{ svg: string }>(),
  },
});
