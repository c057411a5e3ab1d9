// What the status bar shows (host online, signed on, PIN pad, printer), and who hears of a change:
// every logged-in window, once per real change.
import type { StatusSnapshot } from '../contract';

export class StatusBoard {
  private current: StatusSnapshot = {
    hostOnline: false,
    signedOn: false,
    pinpad: 'missing',
    printer: 'missing',
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
  hostSeen(signedOn: boolean, online?: boolean): void {
    this.set({ signedOn, hostOnline: online ?? this.current.hostOnline });
  }
}
