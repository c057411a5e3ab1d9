// Messages on the browser shell's WebSocket. Electron IPC carries the same shapes.
import type { CallOutcome } from '../common';
import type { ApiErrorData } from './errors';

/** One call's answer as both shells carry it: a result, or a typed error. */
export type ApiCallOutcome = CallOutcome<ApiErrorData>;

export interface WireRequest {
  id: number;
  method: string;
  args: unknown;
}

export type WireResponse =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ApiErrorData };

export interface WireEvent {
  event: string;
  payload: unknown;
}
