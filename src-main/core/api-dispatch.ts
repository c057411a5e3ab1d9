// The single entry both shells use: name check, schema check, then the core handler.
// Nothing unvalidated reaches a handler, and every failure leaves as ApiErrorData.
import {
  ApiError,
  apiSchemas,
  isApiMethod,
  type ApiErrorCode,
  type ApiErrorData,
} from '../contract';
import type { CashierCore, Session } from './cashier-core';

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorData };

interface CodedError {
  name: string;
  code: string;
  message: string;
  messageZh?: string;
}

function isCodedError(err: unknown): err is CodedError {
  return err instanceof Error && typeof (err as Partial<CodedError>).code === 'string';
}

const PASSED_THROUGH = ['ALREADY_SET_UP', 'WEAK_PASSWORD', 'BUSY', 'NOT_FOUND'] as const;
const BY_ERROR_CLASS: Record<string, ApiErrorCode> = {
  PinpadError: 'DEVICE',
  SerialError: 'DEVICE',
  HostError: 'HOST',
  PrinterError: 'PRINTER',
  WalletError: 'WALLET',
};

/** Errors from the layers below that carry a Chinese text become typed API errors, keeping
 *  their own code in `details.cause`; anything else is an internal error. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isCodedError(err) && typeof err.messageZh === 'string') {
    const code: ApiErrorCode = (PASSED_THROUGH as readonly string[]).includes(err.code)
      ? (err.code as ApiErrorCode)
      : (BY_ERROR_CLASS[err.name] ?? (err.name.startsWith('Wallet') ? 'WALLET' : 'FAILED'));
    return new ApiError(code, err.message, err.messageZh, { cause: err.code });
  }
  return new ApiError(
    'INTERNAL',
    'Something went wrong inside the console. The action was not completed.',
    '收银台内部出错，操作未完成。',
  );
}

export async function dispatchApiCall(
  core: CashierCore,
  session: Session,
  method: unknown,
  args: unknown,
): Promise<CallOutcome> {
  if (!isApiMethod(method)) {
    const error = new ApiError(
      'UNKNOWN_METHOD',
      `Unknown method: ${String(method).slice(0, 64)}`,
      `未知的调用：${String(method).slice(0, 64)}`,
    );
    return { ok: false, error: error.toData() };
  }
  try {
    core.gate(method, session);
  } catch (err) {
    return { ok: false, error: toApiError(err).toData() };
  }
  const parsed = apiSchemas[method].safeParse(args ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`);
    const error = new ApiError(
      'BAD_ARGUMENTS',
      `Invalid input: ${problems.join('; ')}`,
      '输入有误',
      {
        problems,
      },
    );
    return { ok: false, error: error.toData() };
  }
  try {
    // The schema map and the handler map share keys, so this pairing is sound.
    const handler = core.handlers[method] as (a: unknown, s: Session) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data, session) };
  } catch (err) {
    const apiError = toApiError(err);
    if (apiError.code === 'INTERNAL') {
      core.opsLog.error('console', 'internal-error', {
        method,
        message: (err as Error)?.message ?? String(err),
        stack: (err as Error)?.stack,
      });
    }
    return { ok: false, error: apiError.toData() };
  }
}
