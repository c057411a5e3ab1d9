// Training mode only: what the customer does on the simulated PIN pad, faults to rehearse, and
// the public test data. Refused (TRAINING_ONLY) in live mode.
import { z } from 'zod';
import { channel, returns } from '../channel';
import { noArgs } from '../fields';
import { KEYPAD_KEYS } from '../../common';
import type { Bilingual } from '../views';

export const trainingChannel = channel({
  /** What the customer does on the simulated PIN pad. */
  trainingPinpad: {
    access: 'operator',
    args: z.discriminatedUnion('action', [
      z
        .object({
          action: z.literal('card'),
          cardId: z.string().max(32),
          how: z.enum(['swipe', 'insert', 'tap']),
        })
        .strict(),
      z
        .object({
          action: z.literal('key'),
          key: z.enum(KEYPAD_KEYS),
        })
        .strict(),
    ]),
    result: returns<{ ok: true }>(),
  },
  /** Rehearse a fault (the host stops answering, the printer runs out of paper). */
  trainingFault: {
    access: 'operator',
    args: z
      .object({
        host: z.enum(['none', 'no-answer', 'bad-mac']).optional(),
        printer: z
          .enum(['none', 'paper-out', 'paper-out-mid-slip', 'cover-open', 'offline'])
          .optional(),
        /** Another simulated PIN pad (another serial number) takes the pad's place, or the
         *  original comes back: rehearses the trusted-device check. */
        pinpad: z.enum(['replaced', 'original']).optional(),
        /** The same for the printer's GS I identity; silent: a printer that ignores GS I. */
        printerIdentity: z.enum(['replaced', 'original', 'silent']).optional(),
      })
      .strict(),
    result: returns<{ ok: true }>(),
  },
  /** The simulated cards and the SMS codes "sent" to customers' phones. */
  trainingInfo: {
    access: 'operator',
    args: noArgs(),
    result: returns<TrainingInfo>(),
  },
});

/** The training cards and accounts are public test data, so their PINs are shown. */
export interface TrainingInfo {
  cards: {
    id: string;
    maskedPan: string;
    kinds: ('magstripe' | 'chip' | 'contactless')[];
    /** What the card is, in words (银联借记卡). */
    label: Bilingual;
    pin: string;
    status: string;
    /** The status in words when the host refuses the card (已挂失), else empty. */
    note: Bilingual;
  }[];
  smsCodes: { accountMasked: string; code: string; at: string }[];
  walletAccounts: { account: string; password: string; note: Bilingual }[];
}
