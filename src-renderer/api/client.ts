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

export function createApi(transport: Transport): CashierApi {
  // Every property is a method: its name is the wire name, checked again by the core.
  return new Proxy({} as CashierApi, {
    get: (_target, method) => async (args: unknown) => {
      const outcome = await transport.call(String(method), args);
      if (!outcome.ok) throw new ApiCallError(outcome.error);
      return outcome.result;
    },
  });
}

const transport = chooseTransport();
export const api = createApi(transport);

export function onApiEvent<E extends ApiEventName>(
  event: E,
  listener: (payload: ApiEvents[E]) => void,
): void {
  transport.onEvent(event, listener as (payload: unknown) => void);
}

export function onConnectionChange(listener: (connected: boolean) => void): void {
  transport.onConnectionChange(listener);
}
