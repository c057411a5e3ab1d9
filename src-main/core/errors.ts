// Errors as the core meets them. Every layer below throws its own typed error (PinpadError,
// SerialError, HostError, WalletError, PrinterError, StoreError, CryptoError, Iso8583Error,
// TerminalError ...), and every one of them is a CashierError (src-main/common/errors.ts): a
// stable code and its words in English (`message`) and Chinese (`messageZh`) from its layer's
// catalogue. This is the one place that turns them into what the API sends; the inquiry's log
// rows keep them as they are (inquiry/failures.ts). Recognised by `instanceof`, never by shape.
import { CashierError } from '../common';
import { ApiError, type ApiErrorCode } from '../contract';
import { PinpadError } from '../devices/pinpad';
import { PrinterError } from '../devices/printer';
import { SerialError } from '../devices/serial';
import { HostError } from '../host';
import { WalletError } from '../host/wallet';

/** Layer codes that are the API's own too (the first-run and password screens rely on the
 *  store's; a PIN pad that is BUSY is busy like the console). */
const PASSED_THROUGH: ReadonlySet<string> = new Set<ApiErrorCode>([
  'ALREADY_SET_UP',
  'WEAK_PASSWORD',
  'BUSY',
  'NOT_FOUND',
]);

function apiCodeOf(err: CashierError): ApiErrorCode {
  if (PASSED_THROUGH.has(err.code)) return err.code as ApiErrorCode;
  if (err instanceof PinpadError || err instanceof SerialError) return 'DEVICE';
  if (err instanceof HostError) return 'HOST';
  if (err instanceof PrinterError) return 'PRINTER';
  if (err instanceof WalletError) return 'WALLET';
  return 'FAILED';
}

/** Errors from the layers below become typed API errors with their own words, keeping their
 *  own code in `details.cause`; anything else is an internal error. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof CashierError) {
    return new ApiError({ code: apiCodeOf(err), from: err }, { details: { cause: err.code } });
  }
  return new ApiError('INTERNAL', { cause: err });
}
