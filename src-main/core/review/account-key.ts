// The log review tells one card from another by a keyed hash of the full card number (and of a
// payment account's identifier), not by its masked 6/4, which two cards can share. The hash is
// HMAC-SHA256 under a per-install secret that never leaves this process and never reaches the
// log: it is kept like the key store's file key (host/key-store.ts `openInstallSecret`: sealed
// by the operating system where the console runs as the installed app, else a 0600 file in the
// data folder's `keys/`). Without the secret (sealed for the installed app while the browser
// shell runs, or damaged) the console still works: rows get no hash and the review compares
// them by their masked account, as before.
import { createHmac } from 'node:crypto';
import { openInstallSecret, type FileKeyProtection } from '../../host';
import type { AccountKind } from '../../store';

/** The secret's file name in the keys folder (`.sealed` when the OS seals it). */
export const ACCOUNT_HASH_KEY_FILE = 'account-hash.key';

export interface AccountKeyer {
  /** base64url HMAC-SHA256 of the account (digits of a card number, a payment account's id as
   *  the customer gave it), or null when the secret is not available here. */
  keyOf(kind: AccountKind, account: string): string | null;
  /** Why there is no secret, if there is none (for the operational log; no key material). */
  readonly problem: Error | undefined;
}

/** The one normal form per kind, so the same account always gives the same hash. */
function normalised(kind: AccountKind, account: string): string {
  return kind === 'card' ? account.replace(/\D/g, '') : account.trim().replace(/[\s-]/g, '');
}

/** A keyer over a secret (tests and the keys folder below). */
export function accountKeyer(secret: Buffer | undefined, problem?: Error): AccountKeyer {
  return {
    problem,
    keyOf(kind, account) {
      if (!secret) return null;
      // The kind is part of the message: a card and an account id with the same digits differ.
      return createHmac('sha256', secret)
        .update(`${kind}:${normalised(kind, account)}`)
        .digest('base64url');
    },
    // The secret must never reach a log through util.inspect / JSON.
    toJSON: () => '[AccountKeyer]',
    [Symbol.for('nodejs.util.inspect.custom')]: () => '[AccountKeyer]',
  } as AccountKeyer;
}

/** Opens (or creates) the install's account-hash secret in `keysDir`. */
export function openAccountKeyer(keysDir: string, protection?: FileKeyProtection): AccountKeyer {
  try {
    return accountKeyer(openInstallSecret(keysDir, ACCOUNT_HASH_KEY_FILE, protection));
  } catch (err) {
    // HOST_KEYS_SEALED / HOST_KEYS_UNREADABLE, or the folder not writable: the review falls
    // back to masked accounts; the inquiry itself never fails for want of this secret.
    return accountKeyer(undefined, err instanceof Error ? err : new Error(String(err)));
  }
}
