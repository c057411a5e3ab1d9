// Typed errors for slip input that must never reach paper.

export type SlipErrorCode = 'SLIP_ACCOUNT_NOT_MASKED' | 'SLIP_BAD_DATA';

export class SlipError extends Error {
  override readonly name = 'SlipError';
  constructor(
    readonly code: SlipErrorCode,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
  }
}
