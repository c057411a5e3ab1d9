// The one typed API between the renderer and the core. Each method has a runtime schema
// for its argument; both shells validate with these before anything reaches the core.
import { z } from 'zod';
import type { ApiMethod } from './names';

export type { ApiMethod, ApiEventName } from './names';

const operatorNo = z.string().regex(/^\d{2,8}$/, 'operator number: 2-8 digits');
const password = z.string().min(1).max(64);

export const apiSchemas = {
  /** What the first screen needs: is there a supervisor yet, mode, language, versions. */
  getAppState: z.object({}).strict(),
  /** First run only: creates the first supervisor. Refused once any operator exists. */
  createFirstSupervisor: z
    .object({ operatorNo, name: z.string().trim().min(1).max(32), password })
    .strict(),
  login: z.object({ operatorNo, password }).strict(),
  logout: z.object({}).strict(),
} satisfies Record<ApiMethod, z.ZodType>;
export type ApiArgs<M extends ApiMethod> = z.infer<(typeof apiSchemas)[M]>;
export type Language = 'zh-CN' | 'en';
export type Role = 'supervisor' | 'cashier';

export interface OperatorView {
  operatorNo: string;
  name: string;
  role: Role;
}

export interface AppState {
  needsFirstSupervisor: boolean;
  mode: 'training' | 'live';
  language: Language;
  version: string;
  shell: 'electron' | 'web';
  merchantName: string;
  terminalId: string;
  operator: OperatorView | null;
  /** Minutes without input before the screen locks; 0 = never. */
  idleLockMinutes: number;
  status: StatusSnapshot;
}

/** What the status bar shows. */
export interface StatusSnapshot {
  hostOnline: boolean;
  signedOn: boolean;
  pinpad: DeviceState;
  printer: DeviceState;
}

export interface LoginResult {
  operator: OperatorView;
  mustChangePassword: boolean;
}

/** Result type of every method, keyed by name. */
export interface ApiResults {
  getAppState: AppState;
  createFirstSupervisor: OperatorView;
  login: LoginResult;
  logout: { ok: true };
}

/** The API as the renderer sees it: one async function per method. */
export type CashierApi = {
  [M in ApiMethod]: (args: ApiArgs<M>) => Promise<ApiResults[M]>;
};

/** Events pushed from the core to the renderer. */
export interface ApiEvents {
  /** Sent when something the status bar shows changes. */
  status: StatusSnapshot;
}
export type DeviceState = 'ready' | 'missing' | 'error' | 'busy' | 'training';
