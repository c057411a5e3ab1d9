// Where the core's events go: to each session's window as sessions.ts decides (nothing before
// login, status to logged-in sessions, an inquiry's progress to its own session), and to
// in-process listeners (tests, tools) that hear everything.
import { EventEmitter } from 'node:events';
import type { ApiEventName, ApiEvents } from '../contract';
import type { Audience, SessionRegistry } from './sessions';

export class EventHub {
  private readonly emitter = new EventEmitter();

  constructor(private readonly sessions: SessionRegistry) {}

  publish<E extends ApiEventName>(event: E, payload: ApiEvents[E], audience: Audience): void {
    this.emitter.emit(event, payload);
    this.sessions.publish(event, payload, audience);
  }

  /** Every event, whoever it is for: for in-process tests and tools, never for a shell. */
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  close(): void {
    this.emitter.removeAllListeners();
  }
}
