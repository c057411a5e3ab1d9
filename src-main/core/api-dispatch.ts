// The single entry both shells use: name check, schema check, then the core handler.
// Nothing unvalidated reaches a handler, and every failure leaves as ApiErrorData.
import { ApiError, apiSchemas, isApiMethod, type ApiErrorData } from '../contract';
import type { CashierCore, Session } from './cashier-core';

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorData };

interface CodedError {
  code: string;
  message: string;
  messageZh?: string;
}

function isCodedError(err: unknown): err is CodedError {
  return err instanceof Error && typeof (err as Partial<CodedError>).code === 'string';
}

/** Known error shapes from the layers below become typed API errors; the rest stay internal. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isCodedError(err) && typeof err.messageZh === 'string') {
    const known = ['ALREADY_SET_UP', 'WEAK_PASSWORD', 'NOT_LOGGED_IN', 'FORBIDDEN'] as const;
    const code = (known as readonly string[]).includes(err.code)
      ? (err.code as (typeof known)[number])
      : 'INTERNAL';
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
      process.stderr.write(`[core] ${method} failed: ${(err as Error)?.stack ?? String(err)}\n`);
    }
    return { ok: false, error: apiError.toData() };
  }
}
