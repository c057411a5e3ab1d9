// Typed store errors: stable `code`, English `message`, Chinese `messageZh` for the cashier.

export type StoreErrorCode =
  | 'ALREADY_SET_UP'
  | 'WEAK_PASSWORD'
  | 'WRONG_PASSWORD'
  | 'SCHEMA_TOO_NEW'
  | 'SCHEMA_TOO_OLD'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'FORBIDDEN'
  | 'BAD_INPUT'
  | 'FULL_PAN_REFUSED'
  | 'ALREADY_COMPLETED'
  | 'CORRUPT'
  | 'IO_ERROR';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly messageZh: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function badInput(what: string, whatZh: string): StoreError {
  return new StoreError('BAD_INPUT', `Invalid ${what}`, `${whatZh}无效`, { field: what });
}

export function notFound(what: string, whatZh: string): StoreError {
  return new StoreError('NOT_FOUND', `${what} not found`, `未找到${whatZh}`);
}
