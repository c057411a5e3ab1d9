// Events pushed from the core to the renderer. Free of any schema library, so the Electron
// preload can check event names without bundling the validators.
import type { InquiryProgress, LiveSettings, SessionEnded, StatusSnapshot } from './views';

export interface ApiEvents {
  /** Sent when something the status bar shows changes (to logged-in sessions). */
  status: StatusSnapshot;
  /** Every step of a running inquiry (only to the session that started it). */
  inquiry: InquiryProgress;
  /** This session's operator was logged out by the console: go to the login screen. */
  session: SessionEnded;
  /** Settings that open windows apply at once changed (to logged-in sessions). */
  settings: LiveSettings;
  /** How far a running verifyLog has got (only to the session that asked). */
  verify: LogVerifyProgress;
}

/** Chain entries checked of those to check, as verifyLog walks the log. */
export interface LogVerifyProgress {
  done: number;
  total: number;
}

export type ApiEventName = keyof ApiEvents;

const eventNames: Record<ApiEventName, true> = {
  status: true,
  inquiry: true,
  session: true,
  settings: true,
  verify: true,
};
export const apiEventNames = Object.keys(eventNames) as readonly ApiEventName[];

export function isApiEventName(name: unknown): name is ApiEventName {
  return typeof name === 'string' && Object.hasOwn(eventNames, name);
}
