// Events pushed from the core to the renderer. Free of any schema library, so the Electron
// preload can check event names without bundling the validators.
import type { InquiryProgress, SessionEnded, StatusSnapshot } from './views';

export interface ApiEvents {
  /** Sent when something the status bar shows changes (to logged-in sessions). */
  status: StatusSnapshot;
  /** Every step of a running inquiry (only to the session that started it). */
  inquiry: InquiryProgress;
  /** This session's operator was logged out by the console: go to the login screen. */
  session: SessionEnded;
}

export type ApiEventName = keyof ApiEvents;

const eventNames: Record<ApiEventName, true> = { status: true, inquiry: true, session: true };
export const apiEventNames = Object.keys(eventNames) as readonly ApiEventName[];

export function isApiEventName(name: unknown): name is ApiEventName {
  return typeof name === 'string' && Object.hasOwn(eventNames, name);
}
