// The inquiry flows, side by side. Each path is its steps in order (each step a small function in
// card.ts, wallet.ts or log-row.ts). A step goes on to the next one, forks to another path (a
// card goes on by how it was presented), or ends the inquiry (machine.ts); a step that throws
// ends it as failed. Before the log row is written an ending leaves no row; after it, every
// ending completes the row.
//
//   card:      sign-on -> open pad -> read card --fork by entry--> swipe | chip | tap
//   swipe:     log row -> PIN on the pad            -> ask bank                 -> log answer
//   chip, tap: log row -> PIN + chip online request -> ask bank -> chip finish  -> log answer
//   sms:       wallet host -> show account -> log row                         -> ask with code     -> log balance
//   password:  wallet host -> show account -> log row -> open pad -> password -> ask with password -> log balance
//
// Cancel aborts the running step (the PIN pad stops); timeouts come back from the pad as
// outcomes. "ask bank" may come back to the PIN pad once: after the bank renewed the keys (an
// automatic re-sign-on) the customer enters the PIN again under the new key.
import {
  askBank,
  chipFinish,
  chipPin,
  logBankAnswer,
  openPadForCard,
  readCard,
  signOnIfNeeded,
  swipePin,
  type CardPath,
} from './card';
import { openLogRow } from './log-row';
import type { Paths } from './machine';
import type { CardInquiry, WalletInquiry } from './types';
import {
  askWalletWithPassword,
  askWalletWithSmsCode,
  enterPassword,
  findWalletHost,
  logWalletBalance,
  openPadForPassword,
  showAccount,
  type WalletPath,
} from './wallet';

export const CARD_PATHS: Paths<CardInquiry, CardPath> = {
  card: [signOnIfNeeded, openPadForCard, readCard],
  swipe: [openLogRow, swipePin, askBank, logBankAnswer],
  chip: [openLogRow, chipPin, askBank, chipFinish, logBankAnswer],
  tap: [openLogRow, chipPin, askBank, chipFinish, logBankAnswer],
};

export const WALLET_PATHS: Paths<WalletInquiry, WalletPath> = {
  sms: [findWalletHost, showAccount, openLogRow, askWalletWithSmsCode, logWalletBalance],
  password: [
    findWalletHost,
    showAccount,
    openLogRow,
    openPadForPassword,
    enterPassword,
    askWalletWithPassword,
    logWalletBalance,
  ],
};
