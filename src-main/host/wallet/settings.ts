// The wallet host settings a terminal keeps in its configuration (everything but the signing
// key, which is a secret and lives with the other keys, encrypted at rest).
import { z } from 'zod';
import type { WalletClientOptions } from './client';

export const walletHostSettingsSchema = z
  .object({
    /** https://host:port of the payment institution's wallet host. */
    url: z.url({ protocol: /^https$/ }),
    algorithm: z.enum(['HMAC-SHA256', 'HMAC-SM3']).default('HMAC-SHA256'),
    /** SHA-256 fingerprint of the host certificate ("AB:CD:..." or 64 hex digits). */
    pinnedSha256: z
      .string()
      .regex(/^([0-9A-Fa-f]{2}:?){32}$/, 'SHA-256 fingerprint: 32 bytes in hex')
      .optional(),
    /** A supervisor recorded that the wallet host is reached over a private line or VPN
     *  (the only way live mode accepts it without a pinned certificate). */
    privateLine: z.boolean().optional(),
    /** PEM file of the CA(s) to trust instead of the system store. */
    caFile: z.string().min(1).optional(),
    connectTimeoutMs: z.number().int().min(500).max(60_000).default(5000),
    responseTimeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
  })
  .strict();
export type WalletHostSettings = z.output<typeof walletHostSettingsSchema>;

/** Client options from validated settings plus the terminal id and its signing key. */
export function walletClientOptionsFrom(
  settings: WalletHostSettings,
  terminalId: string,
  signingKey: Uint8Array | string,
): WalletClientOptions {
  return {
    baseUrl: settings.url,
    terminalId,
    signingKey,
    algorithm: settings.algorithm,
    tls: {
      ...(settings.pinnedSha256 ? { pinnedSha256: settings.pinnedSha256 } : {}),
      ...(settings.caFile ? { caFile: settings.caFile } : {}),
    },
    connectTimeoutMs: settings.connectTimeoutMs,
    responseTimeoutMs: settings.responseTimeoutMs,
  };
}
