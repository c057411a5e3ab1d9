// Errors as the core meets them. Every layer below throws its own typed error (PinpadError,
// SerialError, HostError, WalletError, PrinterError, StoreError, CryptoError, Iso8583Error,
// TerminalError ...), each with a stable `code` and the same text in English (`message`) and
// Chinese (`messageZh`). This is the one place that recognises that shape; the inquiry's log rows
// and the API's typed errors are both made from it.

/** An error from a layer below: a stable code and text in both languages. */
export interface LayerError extends Error {
  readonly code: string;
  readonly messageZh: string;
}

export function isLayerError(err: unknown): err is LayerError {
  if (!(err instanceof Error)) return false;
  const { code, messageZh } = err as Partial<LayerError>;
  return typeof code === 'string' && typeof messageZh === 'string';
}

/** Refused while an inquiry runs: another inquiry, or reopening the terminal under it. */
export class BusyError extends Error {
  override readonly name = 'BusyError';
  readonly code = 'BUSY';
  readonly messageZh = '上一笔查询尚未结束，请稍候或先取消。';
  constructor() {
    super('Another inquiry is still running. Wait, or cancel it first.');
  }
}
