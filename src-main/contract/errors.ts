// Errors crossing the API as plain data. The renderer shows `messageZh` or `message`
// depending on the language; `code` is stable for tests and logs.

export type ApiErrorCode =
  | 'UNKNOWN_METHOD'
  | 'BAD_ARGUMENTS'
  | 'NOT_LOGGED_IN'
  | 'FORBIDDEN'
  | 'ALREADY_SET_UP'
  | 'LOGIN_FAILED'
  | 'ACCOUNT_LOCKED'
  | 'LOGIN_RATE_LIMITED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'WEAK_PASSWORD'
  | 'CONFIG_INVALID'
  | 'BUSY'
  | 'NOT_FOUND'
  | 'TRAINING_ONLY'
  /** The terminal could not be opened again after a settings change (or the console stops). */
  | 'TERMINAL_CLOSED'
  | 'DEVICE'
  | 'HOST'
  | 'PRINTER'
  | 'WALLET'
  | 'FAILED'
  | 'INTERNAL';

export interface ApiErrorData {
  name: 'ApiError';
  code: ApiErrorCode;
  message: string;
  messageZh: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly messageZh: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toData(): ApiErrorData {
    const data: ApiErrorData = {
      name: 'ApiError',
      code: this.code,
      message: this.message,
      messageZh: this.messageZh,
    };
    if (this.details) data.details = this.details;
    return data;
  }
}

export function isApiErrorData(value: unknown): value is ApiErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ApiErrorData).name === 'ApiError' &&
    typeof (value as ApiErrorData).code === 'string'
  );
}
