// Messages on the browser shell's WebSocket. Electron IPC carries the same shapes.
import type { ApiErrorData } from './errors';

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
