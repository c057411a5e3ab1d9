// Who may call what, checked once for every call by the dispatch, from the method's entry in the
// contract: the must-change-password gate, the idle lock, login and role.
import { ApiError, type Access, type MethodSpec } from '../contract';
import type { Operator } from '../store';
import type { Session, SessionRegistry } from './sessions';

/** Who is calling, as a handler gets it: with the operator whenever the method needs a login. */
export type Caller<A extends Access = Access> = A extends 'public'
  ? { session: Session }
  : { session: Session; operator: Operator };

export class AccessControl {
  constructor(
    private readonly sessions: SessionRegistry,
    /** Minutes without a call before a login ends; 0 = never. */
    private readonly idleLockMinutes: () => number,
  ) {}

  /**
   * Checked before the arguments are read: a session that must change its password (a temporary
   * one, or an expired one) may only do what the contract allows before that (read the app state,
   * change the password, log out).
   */
  checkPasswordChange(spec: MethodSpec, session: Session): void {
    if (!session.operator || !session.mustChangePassword) return;
    if (spec.beforePasswordChange === 'allowed') return;
    throw new ApiError('PASSWORD_CHANGE_REQUIRED');
  }

  /** The caller as the method's access asks: anyone, a logged-in operator, or a supervisor. */
  admit<S extends MethodSpec>(spec: S, session: Session): Caller<S['access']> {
    if (spec.access === 'public') return { session } as Caller<S['access']>;
    this.touch(session);
    if (!session.operator) {
      throw new ApiError('NOT_LOGGED_IN');
    }
    if (spec.access === 'supervisor' && session.operator.role !== 'supervisor') {
      throw new ApiError('SUPERVISOR_ONLY');
    }
    return { session, operator: session.operator } as Caller<S['access']>;
  }

  /** Logs out a session idle longer than the configured lock time (telling its window), and
   *  counts this call as activity. */
  touch(session: Session, nowMs = Date.now()): void {
    const idleMs = this.idleLockMinutes() * 60_000;
    if (session.operator && idleMs > 0 && nowMs - session.lastActivityMs > idleMs) {
      this.sessions.logOut(session, 'idle');
    }
    session.lastActivityMs = nowMs;
  }
}
