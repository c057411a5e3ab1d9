// The supervisor's back office: operators, settings, and applying saved settings without a restart.
import { z } from 'zod';
import { HOST_MAC_ALGORITHMS, type HostMacAlgorithm } from '../../common';
import { channel, returns } from '../channel';
import { noArgs, operatorNo, password, personName } from '../fields';
import type { Language, OperatorView } from '../views';

/** The largest page `listOperators` gives, and the size it gives when none is asked. */
export const OPERATOR_PAGE_MAX = 200;

export const adminChannel = channel({
  /**
   * Operators with role and lock state (never a password hash), one page in operator-number
   * order: pass the page's `next` as `after` for the following one (null: no more).
   */
  listOperators: {
    access: 'supervisor',
    args: z
      .object({
        after: operatorNo.optional(),
        limit: z.number().int().min(1).max(OPERATOR_PAGE_MAX).optional(),
      })
      .strict(),
    result: returns<OperatorPage>(),
  },
  /** Adds a cashier or another supervisor. */
  createOperator: {
    access: 'supervisor',
    args: z
      .object({
        operatorNo,
        name: personName,
        role: z.enum(['supervisor', 'cashier']),
        password,
      })
      .strict(),
    result: returns<OperatorAdminView>(),
  },
  /** A temporary password (also unlocks); the operator must change it at next login. */
  resetOperatorPassword: {
    access: 'supervisor',
    args: z.object({ operatorNo, newPassword: password }).strict(),
    result: returns<{ ok: true }>(),
  },
  /** Clears the lock after too many wrong passwords. */
  unlockOperator: {
    access: 'supervisor',
    args: z.object({ operatorNo }).strict(),
    result: returns<{ ok: true }>(),
  },
  /** The editable settings (nothing secret), as config.json has them. */
  getSettings: {
    access: 'supervisor',
    args: noArgs(),
    result: returns<SettingsView>(),
  },
  /** Changes some settings; checked against the config schema before writing. */
  saveSettings: {
    access: 'supervisor',
    args: z
      .object({
        mode: z.enum(['training', 'live']).optional(),
        language: z.enum(['zh-CN', 'en']).optional(),
        merchant: z
          .object({ id: z.string().max(40).optional(), name: z.string().max(80).optional() })
          .strict()
          .optional(),
        terminal: z
          .object({ id: z.string().max(40).optional() })
          .strict()
          .optional(),
        servicePhone: z.string().max(64).optional(),
        bankPhone: z.string().max(64).optional(),
        walletPhone: z.string().max(64).optional(),
        /** The wallet host is reached over a private line or VPN (only with a wallet host). */
        walletPrivateLine: z.boolean().optional(),
        /** A fixed port for the browser window (kiosks); null: automatic. Next start. */
        browserShellPort: z.number().int().nullable().optional(),
        host: z
          .object({
            address: z.string().max(253).optional(),
            port: z.number().int().optional(),
            tls: z.boolean().optional(),
            /** An empty string removes the pin. */
            pinnedCertSha256: z.string().max(120).optional(),
            connectTimeoutMs: z.number().int().optional(),
            responseTimeoutMs: z.number().int().optional(),
            macAlgorithm: z.enum(HOST_MAC_ALGORITHMS).optional(),
            /** The supervisor records that the host is reached over a private line or VPN. */
            privateLine: z.boolean().optional(),
          })
          .strict()
          .optional(),
        security: z
          .object({
            passwordMaxAgeDays: z.number().int().optional(),
            idleLockMinutes: z.number().int().optional(),
            pinTriesPerInquiry: z.number().int().optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    result: returns<{ settings: SettingsView; changed: string[]; restartNeeded: boolean }>(),
  },
  /** Reopens the host link and devices with the saved settings, without a restart. */
  applyChanges: {
    access: 'supervisor',
    args: noArgs(),
    result: returns<{ ok: true }>(),
  },
});

/** An operator as the supervisor's operators screen shows it (no password hash). */
export interface OperatorAdminView extends OperatorView {
  locked: boolean;
  /** ISO 8601, UTC. */
  passwordChangedAt: string;
  createdAt: string;
}

/** One page of operators; `next` is the `after` of the following page, null on the last. */
export interface OperatorPage {
  operators: OperatorAdminView[];
  next: string | null;
}

/** The settings a supervisor may edit on screen (devices have their own screen). */
export interface SettingsView {
  mode: 'training' | 'live';
  language: Language;
  merchant: { id: string; name: string };
  terminal: { id: string };
  servicePhone: string;
  /** The bank's and the wallet provider's own phones ('' = the service phone). */
  bankPhone: string;
  walletPhone: string;
  host: {
    address: string;
    port: number;
    tls: boolean;
    pinnedCertSha256: string;
    connectTimeoutMs: number;
    responseTimeoutMs: number;
    macAlgorithm: HostMacAlgorithm;
    /** Recorded by a supervisor: the host is reached over a private line or VPN. */
    privateLine: boolean;
  };
  /** The wallet host link, when one is configured (its URL and pin are set by the engineer). */
  walletLink: { pinned: boolean; privateLine: boolean } | null;
  security: { passwordMaxAgeDays: number; idleLockMinutes: number; pinTriesPerInquiry: number };
  /** The browser window's fixed port (kiosks); null: automatic. Applies at the next start. */
  browserShellPort: number | null;
}
