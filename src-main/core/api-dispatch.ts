// The single entry both shells use. Every call goes through the same checks, in this order, all
// read from the method's entry in the contract: the name, the must-change-password gate, the
// argument schema, who may call (login, role, idle lock); only then does its handler run.
// Nothing unvalidated reaches a handler, and every failure leaves as ApiErrorData.
import {
  ApiError,
  apiSpecs,
  isApiMethod,
  type ApiCallOutcome,
  type ApiMethod,
  type MethodSpec,
} from '../contract';
import type { AccessControl, Caller } from './access';
import { toApiError } from './errors';
import { withRefusedFields } from './refused-fields';
import type { ApiHandlers } from './handlers/types';
import type { OpsLog } from './ops-log';
import type { Session } from './sessions';

export type CallOutcome = ApiCallOutcome;

/** What the dispatch needs of the console: the handlers, the access checks, the log. */
export interface ApiEndpoint {
  readonly handlers: ApiHandlers;
  readonly access: AccessControl;
  readonly opsLog: OpsLog;
}

function failed(err: unknown, method?: ApiMethod): CallOutcome {
  const error = toApiError(err).toData();
  return { ok: false, error: method ? withRefusedFields(method, error) : error };
}

export async function dispatchApiCall(
  endpoint: ApiEndpoint,
  session: Session,
  method: unknown,
  args: unknown,
): Promise<CallOutcome> {
  if (!isApiMethod(method)) {
    const error = new ApiError('UNKNOWN_METHOD', { method: String(method).slice(0, 64) });
    return { ok: false, error: error.toData() };
  }
  const spec: MethodSpec = apiSpecs[method];
  try {
    endpoint.access.checkPasswordChange(spec, session);
  } catch (err) {
    return failed(err);
  }
  const parsed = spec.args.safeParse(args ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`);
    const error = new ApiError('BAD_ARGUMENTS', { problems }, { details: { problems } });
    return { ok: false, error: withRefusedFields(method, error.toData()) };
  }
  try {
    const caller = endpoint.access.admit(spec, session);
    // The spec and the handler share the method's name, so this pairing is sound.
    const handler = endpoint.handlers[method] as (a: unknown, c: Caller) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data, caller) };
  } catch (err) {
    const apiError = toApiError(err);
    if (apiError.code === 'INTERNAL') {
      endpoint.opsLog.error('console', 'internal-error', {
        method,
        message: (err as Error)?.message ?? String(err),
        stack: (err as Error)?.stack,
      });
    }
    return { ok: false, error: withRefusedFields(method, apiError.toData()) };
  }
}
