// Who is connected, who is logged in where, and who may see what. Each window or browser tab
// is a session; events reach a session only if they are its business: nothing before login,
// status to logged-in sessions, an inquiry's progress only to the session that started it.
import type { ApiEventName, ApiEvents, SessionEnded } from '../contract';
import type { Operator } from '../store';

/** One renderer connection (a window or a browser tab). */
export interface Session {
  readonly id: number;
  operator: Operator | null;
  /** Logged in with a password someone else set or that expired: only a change is allowed. */
  mustChangePassword: boolean;
  /** Why it must: a password someone else set, or an expired one (the screen says which). */
  passwordChangeReason?: 'temporary' | 'expired' | null;
  lastActivityMs: number;
}

export type SessionListener = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

/** Who an event is for. */
export type Audience = { to: 'logged-in' } | { to: 'session'; sessionId: number | undefined };

export class SessionRegistry {
  private nextId = 1;
  private readonly open = new Map<number, { session: Session; listeners: Set<SessionListener> }>();

  create(): Session {
    const session: Session = {
      id: this.nextId++,
      operator: null,
      mustChangePassword: false,
      lastActivityMs: Date.now(),
    };
    this.open.set(session.id, { session, listeners: new Set() });
    return session;
  }

  /** The window or tab went away. */
  end(session: Session): void {
    this.open.delete(session.id);
  }

  /** What a shell forwards to this session's window or tab. */
  subscribe(session: Session, listener: SessionListener): () => void {
    const entry = this.open.get(session.id);
    if (!entry) return () => undefined;
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  publish<E extends ApiEventName>(event: E, payload: ApiEvents[E], audience: Audience): void {
    for (const { session, listeners } of this.open.values()) {
      const mine =
        session.operator !== null &&
        (audience.to === 'logged-in' || audience.sessionId === session.id);
      if (!mine) continue;
      for (const listener of listeners) listener(event, payload);
    }
  }

  /** Ends a session's login and tells its window why. */
  logOut(session: Session, reason: SessionEnded['reason']): void {
    if (!session.operator) return;
    const entry = this.open.get(session.id);
    // Tell the window first: after this the session no longer receives anything.
    for (const listener of entry?.listeners ?? []) listener('session', { reason });
    session.operator = null;
    session.mustChangePassword = false;
  }

  /** Ends every login idle longer than `idleMs` (0 = never), telling its window: an idle window
   *  goes to the login screen by itself, not only when its next call is refused. */
  lockIdle(idleMs: number, nowMs = Date.now()): void {
    if (idleMs <= 0) return;
    for (const { session } of this.open.values()) {
      if (session.operator && nowMs - session.lastActivityMs > idleMs) this.logOut(session, 'idle');
    }
  }

  /** A reset, a lockout or a password change ends the operator's other logins at once. */
  logOutOperator(operatorId: number, reason: SessionEnded['reason'], except?: Session): void {
    for (const { session } of this.open.values()) {
      if (session !== except && session.operator?.id === operatorId) this.logOut(session, reason);
    }
  }
}

/**
 * Login attempts, per session and overall. Each attempt costs a scrypt hash (about 50 ms and
 * 16 MiB on the libuv thread pool, which SQLite shares): a session gets one attempt at a time
 * and at most `perWindow` a minute, and at most `concurrent` hashes run at once, so no client
 * can starve the console of threads.
 */
export class LoginLimiter {
  private readonly recent = new Map<number, number[]>();
  private readonly inFlight = new Set<number>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly limits = { perWindow: 30, windowMs: 60_000, concurrent: 2, queue: 8 },
  ) {}

  /** Seconds to wait before this session may try again, or 0. */
  retryAfterSeconds(sessionId: number, now = Date.now()): number {
    if (this.inFlight.has(sessionId)) return 1;
    const times = (this.recent.get(sessionId) ?? []).filter((t) => now - t < this.limits.windowMs);
    this.recent.set(sessionId, times);
    if (times.length < this.limits.perWindow) return 0;
    return Math.ceil((times[0]! + this.limits.windowMs - now) / 1000);
  }

  /** Runs one attempt for the session; the caller has checked retryAfterSeconds() first. */
  async attempt<T>(sessionId: number, run: () => Promise<T>): Promise<T | 'busy'> {
    if (this.running >= this.limits.concurrent && this.waiting.length >= this.limits.queue) {
      return 'busy';
    }
    this.inFlight.add(sessionId);
    const times = this.recent.get(sessionId) ?? [];
    times.push(Date.now());
    this.recent.set(sessionId, times);
    if (this.running >= this.limits.concurrent) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running++;
    try {
      return await run();
    } finally {
      this.running--;
      this.inFlight.delete(sessionId);
      this.waiting.shift()?.();
    }
  }

  forget(sessionId: number): void {
    this.recent.delete(sessionId);
    this.inFlight.delete(sessionId);
  }
}
