// The inquiry flows, side by side. Each path is its steps in order (each step a small function in
// card.ts, wallet.ts or log-row.ts). A step goes on to the next one, forks to another path (a
// card goes on by how it was presented), or ends the inquiry (machine.ts); a step that throws
// ends it as failed. Before the log row is written an ending leaves no row; after it, every
// ending completes the row.
//
//   card:      sign-on -> open pad -> read card --fork by entry--> swipe | chip | tap
//   swipe:     log row -> PIN on the pad            -> ask bank                 -> log answer
//   chip, tap: log row -> PIN + chip online request -> ask bank -> chip finish  -> log answer
//   pin-again: sign-on -> pad for the PIN --fork--> swipe   (a swiped card's retry, same card)
//   sms:       wallet host -> show account -> log row                         -> ask with code     -> log balance
//   password:  wallet host -> show account -> log row -> open pad -> password -> ask with password -> log balance
//
// Cancel aborts the running step (the PIN pad stops); timeouts come back from the pad as
// outcomes. "ask bank" may come back to the PIN pad once: after the bank renewed the keys (an
// automatic re-sign-on) the customer enters the PIN again under the new key.
//
// After a wrong PIN (55) with tries left on this till's limit, the runner (index.ts) holds a
// swiped card's data for that inquiry alone; the retry walks 'pin-again' with it: the PIN only,
// a new request (new trace number, new PIN block). A chip or tapped card's retry walks 'card'
// again: its PIN goes with the chip's own online request (a new cryptogram), which the pad makes
// only in a new chip session that starts by reading the card (ABECS: GCX, then GOX; FCX ended
// the last one; an EPP reads no chip), so the customer inserts or taps again; the screen says so.
import {
  askBank,
  chipFinish,
  chipPin,
  logBankAnswer,
  openPadForCard,
  padForPinAgain,
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
  'pin-again': [signOnIfNeeded, padForPinAgain],
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
