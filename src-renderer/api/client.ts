// The typed API for screens: `api.login({...})` resolves with the result or throws ApiCallError.
import type {
  ApiErrorCode,
  ApiErrorData,
  ApiEventName,
  ApiEvents,
  CashierApi,
} from '../../src-main/contract';
import { chooseTransport, type Transport } from './transport';

export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  readonly messageZh: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(data: ApiErrorData) {
    super(data.message);
    this.code = data.code;
    this.messageZh = data.messageZh;
    this.details = data.details;
  }
}

const sessionLostListeners = new Set<() => void>();

export function createApi(transport: Transport): CashierApi {
  // Every property is a method: its name is the wire name, checked again by the core.
  return new Proxy({} as CashierApi, {
    get: (_target, method) => async (args: unknown) => {
      const outcome = await transport.call(String(method), args);
      if (!outcome.ok) {
        if (outcome.error.code === 'NOT_LOGGED_IN') sessionLostListeners.forEach((l) => l());
        throw new ApiCallError(outcome.error);
      }
      return outcome.result;
    },
  });
}

/** Called when the console refuses a call because this window's login has ended. */
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

const transport = chooseTransport();
export const api = createApi(transport);

// One transport subscription per event name; screens come and go, so they get an unsubscribe.
const listeners = new Map<string, Set<(payload: unknown) => void>>();

export function onApiEvent<E extends ApiEventName>(
  event: E,
  listener: (payload: ApiEvents[E]) => void,
): () => void {
  let set = listeners.get(event);
  if (!set) {
    const created = new Set<(payload: unknown) => void>();
    listeners.set(event, created);
    transport.onEvent(event, (payload) => created.forEach((l) => l(payload)));
    set = created;
  }
  const wrapped = listener as (payload: unknown) => void;
  set.add(wrapped);
  return () => set.delete(wrapped);
}

/** Returns the function that stops listening (a component that subscribes must stop). */
export function onConnectionChange(listener: (connected: boolean) => void): () => void {
  return transport.onConnectionChange(listener);
}
