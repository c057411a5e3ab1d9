// How an API method is defined: one entry in a channel (contract/channels/*.ts) gives its argument
// schema, its result type and who may call it. Everything else is derived from these entries:
// the method names, the dispatch's checks, the Electron preload's functions and the renderer's
// typed client. Adding a method is its entry here plus its handler in core/handlers/.
import type { z } from 'zod';

/**
 * Who may call a method, checked once by the dispatch before the handler runs:
 * - `public`: anyone, also before login (the handler sees the session, maybe not logged in);
 * - `operator`: a logged-in operator, cashier or supervisor;
 * - `supervisor`: a logged-in supervisor.
 */
export type Access = 'public' | 'operator' | 'supervisor';

/** A method's result type, for the type checker only: it carries nothing at run time. */
export interface Returns<R> {
  readonly resultType?: R;
}

export function returns<R>(): Returns<R> {
  return {};
}

export interface MethodSpec<A extends z.ZodType = z.ZodType, R = unknown> {
  readonly access: Access;
  /** The argument, checked before anything reaches the core. */
  readonly args: A;
  readonly result: Returns<R>;
  /** Open to a session that must change its password first (a temporary or expired one):
   *  such a session may only read the app state, change the password or log out. */
  readonly beforePasswordChange?: 'allowed';
}

export type ChannelSpec = Readonly<Record<string, MethodSpec>>;

/** One domain of the API: its methods, by name. */
export function channel<C extends ChannelSpec>(methods: C): C {
  return methods;
}

export type ArgsOf<S extends MethodSpec> = z.infer<S['args']>;
export type ResultOf<S extends MethodSpec> = S['result'] extends Returns<infer R> ? R : never;
