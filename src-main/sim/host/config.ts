// Host simulator configuration: TMK, key scheme and the card table. Validated with zod so a
// wrong file is refused with a readable message instead of odd answers later.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CashierError, errorCatalogue, HOST_MAC_ALGORITHMS, messageOf } from '../../common';
import defaultConfigJson from './default-config.json';

const hex = (bytes: number[]) =>
  z
    .string()
    .regex(/^[0-9A-Fa-f]+$/, 'hex digits')
    .refine((s) => bytes.includes(s.length / 2), `must be ${bytes.join(' or ')} bytes`);

export const cardStatusSchema = z.enum(['active', 'lost', 'stolen', 'expired', 'restricted']);

export const simCardSchema = z.object({
  pan: z.string().regex(/^\d{13,19}$/, 'card number: 13-19 digits'),
  pin: z.string().regex(/^\d{4,12}$/, 'PIN: 4-12 digits'),
  /** YYMM. */
  expiry: z
    .string()
    .regex(/^\d{4}$/)
    .default('3012'),
  status: cardStatusSchema.default('active'),
  /** F54 account type n2 (10 savings/debit, 30 credit). */
  accountType: z
    .string()
    .regex(/^\d{2}$/)
    .default('10'),
  currency: z
    .string()
    .regex(/^\d{3}$/)
    .default('156'),
  /** Amounts in fen; negative means a debit balance (sign D). */
  ledgerFen: z.number().int().min(-999_999_999_999).max(999_999_999_999),
  availableFen: z.number().int().min(-999_999_999_999).max(999_999_999_999),
  note: z.string().optional(),
});

export const hostSimConfigSchema = z.object({
  about: z.string().optional(),
  tmk: hex([16, 24]),
  /** Layout used when a terminal asks for a scheme the simulator does not know. */
  keyScheme: z.enum(['001', '003', '004']).default('003'),
  /** The MAC the simulated acquirer checks and sends (as the terminal's host.macAlgorithm). */
  macAlgorithm: z.enum(HOST_MAC_ALGORITHMS).default('ecb'),
  acquirerId: z
    .string()
    .regex(/^\d{1,11}$/)
    .default('00085500'),
  issuerId: z
    .string()
    .regex(/^\d{1,11}$/)
    .default('01020000'),
  maxPinTries: z.number().int().min(1).max(99).default(3),
  /** When given, other terminal ids are answered 97 (terminal not registered). */
  terminals: z.array(z.string().min(1).max(8)).optional(),
  cards: z.array(simCardSchema).min(1),
});

export type SimCard = z.infer<typeof simCardSchema>;
export type HostSimConfig = z.infer<typeof hostSimConfigSchema>;

export const HOST_SIM_ERRORS = errorCatalogue({
  HOST_SIM_CONFIG_INVALID: {
    en: (p: { detail: string }) => `host simulator config invalid: ${p.detail}`,
    zh: (p: { detail: string }) => `银行主机模拟器配置错误：${p.detail}`,
  },
});

export class HostSimConfigError extends CashierError<'HOST_SIM_CONFIG_INVALID'> {
  override readonly name = 'HostSimConfigError';
  constructor(detail: string) {
    super(
      'HOST_SIM_CONFIG_INVALID',
      messageOf(HOST_SIM_ERRORS, 'HOST_SIM_CONFIG_INVALID', { detail }).text,
    );
  }
}

export function parseHostSimConfig(value: unknown): HostSimConfig {
  const r = hostSimConfigSchema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new HostSimConfigError(`${first?.path.join('.') ?? ''} ${first?.message ?? ''}`.trim());
  }
  return r.data;
}

export function defaultHostSimConfig(): HostSimConfig {
  return parseHostSimConfig(defaultConfigJson);
}

export function loadHostSimConfig(file: string): HostSimConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HostSimConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HostSimConfigError(`not JSON: ${(e as Error).message}`);
  }
  return parseHostSimConfig(json);
}
