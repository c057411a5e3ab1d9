// The log review tells cards apart by a keyed hash of the full card number, not by the masked
// first 6 / last 4 two cards can share (core/review/account-key.ts): the per-install key kept
// like the key store's file key, the hash written on the row as the inquiry starts (a real card
// inquiry in training mode), and the rules over a real SQLite log: two cards with the same 6/4
// are not one card; the same card is; rows from before the hash fall back to the masked number.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InquiryView } from '../../../src-main/contract';
import {
  ACCOUNT_HASH_KEY_FILE,
  ReviewService,
  openAccountKeyer,
  type AccountKeyer,
} from '../../../src-main/core/review';
import { liveKeysDir } from '../../../src-main/core/terminal';
import type { FileKeyProtection } from '../../../src-main/host';
import type { Store } from '../../../src-main/store';
import { freshStore, removeDir, tempDir } from '../store/helpers';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function keysDir(): Promise<string> {
  const dir = await tempDir('cashier-account-key-');
  cleanups.push(() => removeDir(dir));
  return path.join(dir, 'keys');
}

// Two cards that share first 6 and last 4 (both pass Luhn), and a third.
const CARD_A = '6222021234567890128';
const CARD_B = '6222029876543210128';
const CARD_C = '6228480012345678903';
const MASKED_AB = '622202*********0128';

describe('the account-hash key', () => {
  it('hashes the same card alike and two cards with the same first 6 / last 4 apart', async () => {
    const keyer = openAccountKeyer(await keysDir());
    const a = keyer.keyOf('card', CARD_A)!;
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keyer.keyOf('card', CARD_A)).toBe(a);
    expect(keyer.keyOf('card', '6222 0212 3456 7890 128')).toBe(a);
    expect(keyer.keyOf('card', CARD_B)).not.toBe(a);
    // A payment account with the same digits is another account.
    expect(keyer.keyOf('wallet', CARD_A)).not.toBe(a);
    expect(keyer.keyOf('wallet', '138 1234-5678')).toBe(keyer.keyOf('wallet', '13812345678'));
    expect(JSON.stringify({ keyer })).not.toMatch(/[A-Za-z0-9+/]{40}/);
  });

  it('is one random secret per install, 0600 in keys/, kept across starts; no other install shares it', async () => {
    const dir = await keysDir();
    const first = openAccountKeyer(dir).keyOf('card', CARD_A);
    expect(readdirSync(dir)).toEqual([ACCOUNT_HASH_KEY_FILE]);
    if (process.platform !== 'win32') {
      expect(statSync(path.join(dir, ACCOUNT_HASH_KEY_FILE)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(path.join(dir, ACCOUNT_HASH_KEY_FILE))).toHaveLength(32);
    expect(openAccountKeyer(dir).keyOf('card', CARD_A)).toBe(first);
    expect(openAccountKeyer(await keysDir()).keyOf('card', CARD_A)).not.toBe(first);
  });

  it('is sealed by the operating system where the console can (no plain copy), and without it the review falls back', async () => {
    const osSecret = randomBytes(32);
    // Electron's safeStorage cannot run here: a stand-in with a secret the folder does not hold.
    const sealing: FileKeyProtection = {
      kind: 'os',
      seal: (key) => Buffer.from(key.map((b, i) => b ^ osSecret[i % 32]!)),
      unseal: (sealed) => Buffer.from(sealed.map((b, i) => b ^ osSecret[i % 32]!)),
    };
    const dir = await keysDir();
    const sealed = openAccountKeyer(dir, sealing);
    expect(readdirSync(dir)).toEqual([`${ACCOUNT_HASH_KEY_FILE}.sealed`]);
    expect(openAccountKeyer(dir, sealing).keyOf('card', CARD_A)).toBe(sealed.keyOf('card', CARD_A));
    // The browser shell on the same PC cannot unseal it: no hash, never a new key beside it.
    const plain = openAccountKeyer(dir);
    expect(plain.keyOf('card', CARD_A)).toBeNull();
    expect(plain.problem).toMatchObject({ code: 'HOST_KEYS_SEALED' });
    expect(readdirSync(dir)).toEqual([`${ACCOUNT_HASH_KEY_FILE}.sealed`]);
  });
});

describe('the review rules over the log, by keyed hash', () => {
  const now = new Date();
  let clock = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 12, 0, 0);

  async function setup(): Promise<{ store: Store; keyer: AccountKeyer; service: ReviewService }> {
    clock = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 12, 0, 0);
    const { store, cleanup } = await freshStore({ now: () => clock });
    cleanups.push(cleanup);
    return {
      store,
      keyer: openAccountKeyer(await keysDir()),
      service: new ReviewService(store.review, () => clock),
    };
  }

  /** One inquiry a minute later than the last; `pan` null: a row from before the hash. */
  async function ask(
    { store, keyer }: { store: Store; keyer: AccountKeyer },
    pan: string | null,
    masked: string,
    responseCode = '00',
  ): Promise<number> {
    clock = new Date(clock.getTime() + 60_000);
    const id = await store.transactions.begin({
      operatorId: null,
      operatorNo: '2001',
      accountKind: 'card',
      maskedAccount: masked,
      entryMode: 'swipe',
      training: true,
      accountKey: pan ? keyer.keyOf('card', pan) : null,
    });
    await store.transactions.complete(id, {
      outcome: responseCode === '00' ? 'approved' : 'declined',
      responseCode,
      durationMs: 500,
    });
    return id;
  }

  const rules = async (store: Store) =>
    (await store.review.listFlags({})).map((f) => [f.rule, f.txIds.length]);

  it('two cards with the same first 6 / last 4 are not flagged together', async () => {
    const t = await setup();
    await ask(t, CARD_A, MASKED_AB);
    await ask(t, CARD_B, MASKED_AB);
    await ask(t, CARD_A, MASKED_AB);
    await t.service.refresh();
    expect(await rules(t.store)).toEqual([]);
  });

  it('the same card asked 3 times within 10 minutes is', async () => {
    const t = await setup();
    await ask(t, CARD_A, MASKED_AB);
    await ask(t, CARD_B, MASKED_AB);
    const ids = [await ask(t, CARD_A, MASKED_AB), await ask(t, CARD_A, MASKED_AB)];
    await t.service.refresh();
    const flags = await t.store.review.listFlags({});
    expect(flags.map((f) => f.rule)).toEqual(['repeat-account']);
    expect(flags[0]!.txIds).toEqual([ids[0]! - 2, ...ids]);
    // What the supervisor reads is the masked number, never the hash.
    expect(flags[0]!.subject).toBe(MASKED_AB);
    expect(JSON.stringify(flags)).not.toContain(t.keyer.keyOf('card', CARD_A));
  });

  it('wrong PINs on two cards sharing 6/4 and a third are three different cards (card testing)', async () => {
    const t = await setup();
    await ask(t, CARD_A, MASKED_AB, '55');
    await ask(t, CARD_B, MASKED_AB, '55');
    await ask(t, CARD_C, '622848*********8903', '55');
    await t.service.refresh();
    const flags = await t.store.review.listFlags({});
    expect(flags.map((f) => [f.rule, f.detail.cards])).toEqual([['card-testing', 3]]);
  });

  it('rows from before the hash are compared by their masked number, as before', async () => {
    const t = await setup();
    for (let i = 0; i < 3; i++) await ask(t, null, MASKED_AB);
    await t.service.refresh();
    expect(await rules(t.store)).toEqual([['repeat-account', 3]]);
  });
});

describe('a card inquiry keeps the hash of its card on its row', () => {
  let console: TrainingConsole | undefined;
  afterEach(async () => {
    await console?.close();
    console = undefined;
  });

  it('written as the inquiry starts, with the install key; the full number is nowhere in the database', async () => {
    console = await openTrainingConsole('account-key');
    const c = console;
    const cardPrompt = c.padPrompt('card');
    const done = c.nextProgress((p) => p.step === 'done');
    await c.call(c.supervisor, 'startCardInquiry');
    await cardPrompt;
    const pinPrompt = c.padPrompt('pin');
    await c.call(c.supervisor, 'trainingPinpad', {
      action: 'card',
      cardId: 'debit-swipe',
      how: 'swipe',
    });
    await pinPrompt;
    for (const key of '123456')
      await c.call(c.supervisor, 'trainingPinpad', { action: 'key', key });
    await c.call(c.supervisor, 'trainingPinpad', { action: 'key', key: 'enter' });
    const result = (await done).result as InquiryView;
    expect(result.outcome).toBe('approved');

    const rows = await c.core.store.review.rowsBetween(0, Date.now() + 1);
    expect(rows).toHaveLength(1);
    const installKey = openAccountKeyer(liveKeysDir(c.dataDir));
    expect(rows[0]!.accountKey).toBe(installKey.keyOf('card', '6222020200112233446'));
    // The database and its write-ahead log, as they are on disk now.
    for (const name of readdirSync(c.dataDir).filter((n) => n.startsWith('cashier.sqlite'))) {
      expect(readFileSync(path.join(c.dataDir, name)).includes('6222020200112233446')).toBe(false);
    }
  });
});
