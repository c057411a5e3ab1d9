// What the status bar shows (host online, signed on, link protection, PIN pad, printer, armed
// training faults), and who hears of a change:
// every logged-in window, once per real change.
import type { StatusSnapshot } from '../contract';

/** Host failures in which the host never answered (it is offline); after any other HOST_ code
 *  (a bad MAC, a malformed or mismatched answer, refused keys) it did answer. */
const HOST_SILENT = new Set([
  'HOST_CONNECT_FAILED',
  'HOST_CONNECT_TIMEOUT',
  'HOST_TIMEOUT',
  'HOST_CONNECTION_CLOSED',
  'HOST_TLS_PIN_MISMATCH',
  'HOST_CLOSED',
]);

/** After an inquiry: was the host online, and what went wrong (undefined: says nothing). */
export function hostAfterInquiry(
  errorCode: string | null,
  responseCode: string | null,
): { online?: boolean; problem?: string | null } {
  if (errorCode?.startsWith('HOST_')) {
    return { online: !HOST_SILENT.has(errorCode), problem: errorCode };
  }
  return responseCode ? { online: true, problem: null } : {};
}

export class StatusBoard {
  private current: StatusSnapshot = {
    hostOnline: false,
    signedOn: false,
    pinpad: 'missing',
    printer: 'missing',
    link: 'unprotected',
    walletLink: null,
    certExpiry: null,
    hostProblem: null,
    printerProblem: null,
    pinpadReplaced: false,
    printerReplaced: false,
    trainingFaults: [],
  };

  constructor(private readonly changed: (next: StatusSnapshot) => void) {}

  snapshot(): StatusSnapshot {
    return this.current;
  }

  set(change: Partial<StatusSnapshot>): void {
    const next = { ...this.current, ...change };
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.changed(next);
  }

  /** After a host exchange: `online` is what it showed; left out, the host keeps its last
   *  known state. `signedOn` is the host client's own. */
  hostSeen(signedOn: boolean, online?: boolean, problem?: string | null): void {
    const hostOnline = online ?? this.current.hostOnline;
    this.set({
      signedOn,
      hostOnline,
      // A host that answered well clears the last problem; left out, it stays.
      hostProblem: problem !== undefined ? problem : online ? null : this.current.hostProblem,
    });
  }
}
