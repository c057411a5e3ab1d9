// Which argument a refusal is about, so a form focuses the field in error after the console
// refused it (as Settings does with `details.fields`). The API's argument names are the words
// both sides share: a screen maps them to its own field names where they differ. Bad arguments
// name their own paths; a handler's refusal is looked up here by method and by its cause (the
// lower layer's code) or its API code.
import type { ApiErrorData, ApiMethod } from '../contract';

const FIELD_OF_REFUSAL: Partial<Record<ApiMethod, Record<string, string>>> = {
  login: {
    LOGIN_FAILED: 'password',
    LOGIN_RATE_LIMITED: 'password',
    ACCOUNT_LOCKED: 'operatorNo',
  },
  // A reused or unchanged password is thrown as WEAK_PASSWORD too (store/errors.ts).
  changeOwnPassword: { WRONG_PASSWORD: 'oldPassword', WEAK_PASSWORD: 'newPassword' },
  createFirstSupervisor: { WEAK_PASSWORD: 'password' },
  completeFirstRun: { WEAK_PASSWORD: 'supervisor.password', LIVE_NEEDS_HOST: 'host.address' },
  createOperator: { DUPLICATE: 'operatorNo', WEAK_PASSWORD: 'password' },
  resetOperatorPassword: { WEAK_PASSWORD: 'newPassword', NOT_FOUND: 'operatorNo' },
  acknowledgeReviewFlag: { BAD_INPUT: 'note' },
  decideReplacedPinpad: { FORBIDDEN: 'password' },
  decideReplacedPrinter: { FORBIDDEN: 'password' },
  // A start day after the end day (BAD_DATE_RANGE, sent as BAD_ARGUMENTS): the start.
  exportLog: { BAD_ARGUMENTS: 'fromDay' },
  searchAudit: { BAD_ARGUMENTS: 'fromDay' },
  exportAudit: { BAD_ARGUMENTS: 'fromDay' },
};

/** The error with `details.fields` (argument paths) when the method's table or the argument
 *  check names them; unchanged otherwise. */
export function withRefusedFields(method: ApiMethod, error: ApiErrorData): ApiErrorData {
  const details = error.details ?? {};
  if (Array.isArray(details['fields'])) return error;
  let fields: string[] = [];
  if (Array.isArray(details['problems'])) {
    // "newPassword: too short" -> newPassword (a nested path keeps its dots).
    fields = details['problems']
      .map((p) => (typeof p === 'string' ? p.split(':')[0]!.trim() : ''))
      .filter((f) => f && f !== 'args');
  } else {
    const table = FIELD_OF_REFUSAL[method];
    const cause = typeof details['cause'] === 'string' ? details['cause'] : undefined;
    const field = table && ((cause && table[cause]) || table[error.code]);
    if (field) fields = [field];
  }
  return fields.length > 0 ? { ...error, details: { ...details, fields } } : error;
}
