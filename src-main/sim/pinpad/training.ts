// Training-mode defaults: keys and cards that exist nowhere but in these simulators.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Default training master key (3DES, double length) loaded in slots 0 and 1 of both emulators.
 * It equals the TMK of the built-in host simulator configuration (src-main/sim/host), so the
 * working PIN key the host hands out at sign-on decrypts inside the emulated pad. Test key only.
 */
export const TRAINING_MASTER_KEY_HEX = '6B5E2F3A9C8D7E1F0A2B3C4D5E6F7081';
export const TRAINING_MASTER_KEY_INDEX = 1;

const hex = z.string().regex(/^([0-9A-Fa-f]{2})+$/);

export const emulatorCardSchema = z
  .object({
    id: z.string().min(1).max(32),
    /** What the card supports: magstripe (swipe), chip (insert), contactless (tap). */
    kinds: z.array(z.enum(['magstripe', 'chip', 'contactless'])).min(1),
    pan: z.string().regex(/^\d{13,19}$/),
    /** YYMM */
    expiry: z.string().regex(/^\d{4}$/),
    serviceCode: z
      .string()
      .regex(/^\d{3}$/)
      .default('201'),
    /** Full track 2 (without sentinels); built from PAN, expiry and service code when absent. */
    track2: z
      .string()
      .regex(/^\d{13,19}=\d{7,}$/)
      .optional(),
    panSequence: z
      .string()
      .regex(/^\d{2}$/)
      .default('01'),
    label: z.string().max(16).default('UNIONPAY'),
    cardholderName: z.string().max(26).optional(),
    /** Card-resident EMV data (tag hex -> value hex), e.g. 82, 84, 9F10, 9F36, 5F34. */
    emv: z.record(z.string().regex(/^[0-9A-Fa-f]{2,4}$/), hex).default({}),
  })
  .strict();

export type EmulatorCardInput = z.input<typeof emulatorCardSchema>;
export type EmulatorCard = z.output<typeof emulatorCardSchema>;

export function track2Of(card: EmulatorCard): string {
  return card.track2 ?? `${card.pan}=${card.expiry}${card.serviceCode}0000000000`;
}

/** Cards of the built-in host simulator table, so a training inquiry finds its account. */
export const DEFAULT_CARDS: EmulatorCardInput[] = [
  {
    id: 'debit-swipe',
    kinds: ['magstripe'],
    pan: '6222020200112233446',
    expiry: '3012',
    serviceCode: '101',
    label: 'UNIONPAY DEBIT',
  },
  {
    id: 'debit-chip',
    kinds: ['magstripe', 'chip', 'contactless'],
    pan: '6228480012345678903',
    expiry: '2912',
    label: 'UNIONPAY DEBIT',
    emv: {
      '82': '7C00',
      '84': 'A000000333010101',
      '9F10': '07010103A00000010A010000000000AABBCCDD',
      '9F09': '0030',
      '5F34': '01',
    },
  },
  {
    id: 'credit-swipe',
    kinds: ['magstripe'],
    pan: '6258070000000000102',
    expiry: '3106',
    serviceCode: '101',
    label: 'UNIONPAY CREDIT',
  },
];

export function parseCards(input: unknown): EmulatorCard[] {
  const cards = z.array(emulatorCardSchema).min(1).parse(input);
  const ids = new Set<string>();
  for (const c of cards) {
    if (ids.has(c.id)) throw new Error(`duplicate card id "${c.id}"`);
    ids.add(c.id);
  }
  return cards;
}

/** A cards file is a JSON array of cards (see README.md). */
export function loadCardsFile(path: string): EmulatorCard[] {
  return parseCards(JSON.parse(readFileSync(path, 'utf8')));
}
