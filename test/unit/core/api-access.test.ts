// Who may call what comes from each method's entry in the contract, and the dispatch checks it
// once, before any handler: the must-change-password gate, then the arguments, then login and role.
import { describe, expect, it } from 'vitest';
import {
  apiMethodNames,
  apiSpecs,
  type Access,
  type ApiMethod,
  type MethodSpec,
} from '../../../src-main/contract';
import { AccessControl } from '../../../src-main/core/access';
import { dispatchApiCall, type ApiEndpoint } from '../../../src-main/core/api-dispatch';
import type { ApiHandlers } from '../../../src-main/core/handlers/types';
import { NO_OPS_LOG } from '../../../src-main/core/ops-log';
import { SessionRegistry, type Session } from '../../../src-main/core/sessions';
import type { Operator } from '../../../src-main/store';

/** The methods there were before the channels, and who could call them: a change here is a
 *  change of the server's rules. (A new method needs no line here: its entry says it.) */
const EXPECTED_ACCESS: Partial<Record<ApiMethod, Access>> = {
  getAppState: 'public',
  login: 'public',
  logout: 'public',
  changeOwnPassword: 'operator',
  createFirstSupervisor: 'public',
  getFirstRunDefaults: 'public',
  completeFirstRun: 'public',
  startCardInquiry: 'operator',
  cancelInquiry: 'operator',
  requestWalletCode: 'operator',
  startWalletInquiry: 'operator',
  printSlip: 'operator',
  slipPreview: 'operator',
  searchLog: 'operator',
  verifyLog: 'supervisor',
  dailySummary: 'operator',
  exportLog: 'operator',
  listOperators: 'supervisor',
  createOperator: 'supervisor',
  resetOperatorPassword: 'supervisor',
  unlockOperator: 'supervisor',
  getSettings: 'supervisor',
  saveSettings: 'supervisor',
  applyChanges: 'supervisor',
  listDevices: 'supervisor',
  detectPinpad: 'supervisor',
  testPinpad: 'operator',
  printTestPage: 'operator',
  assignDevice: 'supervisor',
  signOn: 'operator',
  hostEcho: 'operator',
  opsLogTail: 'supervisor',
  trainingPinpad: 'operator',
  trainingFault: 'operator',
  trainingInfo: 'operator',
};

function operator(role: 'cashier' | 'supervisor'): Operator {
  return {
    id: role === 'cashier' ? 2 : 1,
    operatorNo: role === 'cashier' ? '2001' : '1001',
    role,
  } as Operator;
}

/** A dispatch over handlers that only record that they ran. */
function recordingEndpoint() {
  const sessions = new SessionRegistry();
  const ran: string[] = [];
  const handlers = new Proxy({} as ApiHandlers, {
    get: (_target, method) => async () => {
      ran.push(String(method));
      return { ran: method };
    },
  });
  const endpoint: ApiEndpoint = {
    handlers,
    access: new AccessControl(sessions, () => 15),
    opsLog: NO_OPS_LOG,
  };
  const session = (role?: 'cashier' | 'supervisor', mustChangePassword = false): Session => {
    const s = sessions.create();
    if (role) s.operator = operator(role);
    s.mustChangePassword = mustChangePassword;
    return s;
  };
  return { endpoint, ran, session };
}

describe('the access table', () => {
  it('gives every method its role, as the server enforced it before the channels', () => {
    const access = Object.fromEntries(
      Object.keys(EXPECTED_ACCESS).map((m) => [m, apiSpecs[m as ApiMethod].access]),
    );
    expect(access).toEqual(EXPECTED_ACCESS);
  });

  it('lets a session that must change its password only read the state, change it, log out', () => {
    const spec = (m: ApiMethod): MethodSpec => apiSpecs[m];
    const allowed = apiMethodNames.filter((m) => spec(m).beforePasswordChange === 'allowed');
    expect(allowed.sort()).toEqual(['changeOwnPassword', 'getAppState', 'logout']);
  });

  it.each(apiMethodNames)('%s: checked against login and role by its entry', (method) => {
    const { endpoint, session } = recordingEndpoint();
    const spec = apiSpecs[method];
    const nobody = () => endpoint.access.admit(spec, session());
    const cashier = () => endpoint.access.admit(spec, session('cashier'));
    const supervisor = () => endpoint.access.admit(spec, session('supervisor'));
    expect(supervisor).not.toThrow();
    if (spec.access === 'public') {
      expect(nobody).not.toThrow();
      expect(cashier).not.toThrow();
    } else {
      expect(nobody).toThrow(expect.objectContaining({ code: 'NOT_LOGGED_IN' }));
      if (spec.access === 'supervisor') {
        expect(cashier).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
      } else {
        expect(cashier).not.toThrow();
        expect(cashier()).toMatchObject({ operator: { role: 'cashier' } });
      }
    }
  });
});

describe('the dispatch', () => {
  it('never runs a handler for a caller the entry refuses', async () => {
    const { endpoint, ran, session } = recordingEndpoint();
    const asCashier = await dispatchApiCall(endpoint, session('cashier'), 'listOperators', {});
    expect(asCashier).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const loggedOut = await dispatchApiCall(endpoint, session(), 'verifyLog', {});
    expect(loggedOut).toMatchObject({ ok: false, error: { code: 'NOT_LOGGED_IN' } });
    expect(ran).toEqual([]);
    const allowed = await dispatchApiCall(endpoint, session('supervisor'), 'listOperators', {});
    expect(allowed).toEqual({ ok: true, result: { ran: 'listOperators' } });
    expect(ran).toEqual(['listOperators']);
  });

  it('checks in order: name, password gate, arguments, login and role', async () => {
    const { endpoint, session } = recordingEndpoint();
    const code = async (s: Session, method: string, args: unknown) => {
      const outcome = await dispatchApiCall(endpoint, s, method, args);
      return outcome.ok ? 'ok' : outcome.error.code;
    };
    expect(await code(session(), 'noSuchMethod', {})).toBe('UNKNOWN_METHOD');
    expect(await code(session('cashier', true), 'searchLog', { day: 'x' })).toBe(
      'PASSWORD_CHANGE_REQUIRED',
    );
    expect(await code(session(), 'searchLog', { day: 'x' })).toBe('BAD_ARGUMENTS');
    expect(await code(session(), 'searchLog', {})).toBe('NOT_LOGGED_IN');
    expect(await code(session('cashier', true), 'getAppState', {})).toBe('ok');
    expect(await code(session('cashier'), 'searchLog', {})).toBe('ok');
  });

  it('ends a login left idle longer than the lock time before the call runs', async () => {
    const { endpoint, session } = recordingEndpoint();
    const idle = session('cashier');
    idle.lastActivityMs = Date.now() - 16 * 60_000;
    const outcome = await dispatchApiCall(endpoint, idle, 'searchLog', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'NOT_LOGGED_IN' } });
    expect(idle.operator).toBeNull();
  });
});
