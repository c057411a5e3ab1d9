// A handler per API method: it gets the checked arguments and the caller (with the operator when
// the method needs a login: the dispatch has checked that, and the role, already).
import type { ApiSpecs, ArgsOf, ChannelSpec, MethodSpec, ResultOf } from '../../contract';
import type { Caller } from '../access';

export type Handler<S extends MethodSpec> = (
  args: ArgsOf<S>,
  caller: Caller<S['access']>,
) => Promise<ResultOf<S>>;

/** One handler for every method of a channel. */
export type ChannelHandlers<C extends ChannelSpec> = { [M in keyof C]: Handler<C[M]> };

/** One handler for every method of the API. */
export type ApiHandlers = ChannelHandlers<ApiSpecs>;
