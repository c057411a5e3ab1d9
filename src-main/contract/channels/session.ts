// Who is at the console: the first screen's state, login, logout and one's own password.
import { z } from 'zod';
import { channel, returns } from '../channel';
import { noArgs, operatorNo, password } from '../fields';
import type { Language, OperatorView, StatusSnapshot } from '../views';

export const sessionChannel = channel({
  /** What the first screen needs: is there a supervisor yet, mode, language, versions. */
  getAppState: {
    access: 'public',
    args: noArgs(),
    result: returns<AppState>(),
    beforePasswordChange: 'allowed',
  },
  login: {
    access: 'public',
    args: z.object({ operatorNo, password }).strict(),
    result: returns<LoginResult>(),
  },
  logout: {
    access: 'public',
    args: noArgs(),
    result: returns<{ ok: true }>(),
    beforePasswordChange: 'allowed',
  },
  /** Anyone logged in: their own password. */
  changeOwnPassword: {
    access: 'operator',
    args: z.object({ oldPassword: password, newPassword: password }).strict(),
    result: returns<{ ok: true }>(),
    beforePasswordChange: 'allowed',
  },
});

export interface AppState {
  needsFirstSupervisor: boolean;
  mode: 'training' | 'live';
  language: Language;
  version: string;
  shell: 'electron' | 'web';
  merchantName: string;
  terminalId: string;
  operator: OperatorView | null;
  /** The logged-in operator must change the password before anything else. */
  mustChangePassword: boolean;
  /** Why: 'temporary' (set by a supervisor, or a new operator's), 'expired'; null otherwise.
   *  (Optional only so that screens built before it, and their fixtures, still type-check.) */
  passwordChangeReason?: PasswordChangeReason | null;
  /** Whole days until the logged-in operator's password expires; null when it never does. */
  passwordExpiresInDays?: number | null;
  /** Minutes without input before the screen locks; 0 = never. */
  idleLockMinutes: number;
  status: StatusSnapshot;
}

export interface LoginResult {
  operator: OperatorView;
  mustChangePassword: boolean;
  passwordChangeReason: PasswordChangeReason | null;
  passwordExpiresInDays: number | null;
}

export type PasswordChangeReason = 'temporary' | 'expired';
