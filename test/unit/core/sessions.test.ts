// Sessions and roles as the server enforces them, whatever a window shows: who gets which
// events, who may cancel what, what a must-change session may do, and logins that cannot freeze
// the console. A training core, several sessions, the same dispatch the shells use.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEventName } from '../../../src-main/contract';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';

let core: CashierCore;

async function call<T>(session: Session, method: string, args: unknown = {}): Promise<T> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

async function refused(session: Session, method: string, args: unknown = {}) {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (outcome.ok) throw new Error(`${method} was allowed`);
  return outcome.error;
}

/** A window: a session and the events its shell would forward to it. */
function window(): { session: Session; events: Array<{ event: ApiEventName; payload: unknown }> } {
  const session = core.createSession();
  const events: Array<{ event: ApiEventName; payload: unknown }> = [];
  core.subscribe(session, (event, payload) => events.push({ event, payload }));
  return { session, events };
}

async function login(session: Session, operatorNo: string, password: string) {
  return call<{ mustChangePassword: boolean }>(session, 'login', { operatorNo, password });
}

let supervisor: Session;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-sessions-'));
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  supervisor = core.createSession();
  await call(supervisor, 'createFirstSupervisor', {
    operatorNo: '1001',
    name: 'Sup',
    password: 'Secret2026',
  });
  await login(supervisor, '1001', 'Secret2026');
  for (const operatorNo of ['2001', '2002']) {
    await call(supervisor, 'createOperator', {
      operatorNo,
      name: `Cashier ${operatorNo}`,
      role: 'cashier',
      password: 'Temp2026x',
    });
    // Each cashier sets their own password once (a temporary one must be changed).
    const own = core.createSession();
    await login(own, operatorNo, 'Temp2026x');
    await call(own, 'changeOwnPassword', { oldPassword: 'Temp2026x', newPassword: 'Mine2026x' });
  }
});

afterAll(async () => {
  await core?.close();
});

describe('events go only where they belong', () => {
  it("an inquiry's progress reaches only the window that started it; nothing before login", async () => {
    const a = window();
    const b = window();
    const stranger = window();
    await login(a.session, '2001', 'Mine2026x');
    await login(b.session, '2002', 'Mine2026x');
    const { inquiryId } = await call<{ inquiryId: number }>(a.session, 'startCardInquiry');
    await expect
      .poll(() => a.events.some((e) => e.event === 'inquiry'), { timeout: 10_000 })
      .toBe(true);
    await call(a.session, 'cancelInquiry', { inquiryId });
    await core.terminals.current().inquiries.idle();
    const done = a.events.filter((e) => e.event === 'inquiry').at(-1)!.payload as {
      step: string;
      result: { maskedAccount: string };
    };
    expect(done.step).toBe('done');
    expect(b.events.some((e) => e.event === 'inquiry')).toBe(false);
    expect(stranger.events).toEqual([]);
  });

  it('status changes reach logged-in windows only', async () => {
    const loggedIn = window();
    const stranger = window();
    await login(loggedIn.session, '2001', 'Mine2026x');
    await call(loggedIn.session, 'trainingFault', { fault: 'paper-out' }).catch(() => undefined);
    core.status.set({ printer: 'error' });
    core.status.set({ printer: 'training' });
    expect(loggedIn.events.some((e) => e.event === 'status')).toBe(true);
    expect(stranger.events).toEqual([]);
  });
});

describe('who may cancel', () => {
  it("a cashier cannot cancel another's inquiry; a supervisor can", async () => {
    const a = window();
    const b = window();
    await login(a.session, '2001', 'Mine2026x');
    await login(b.session, '2002', 'Mine2026x');
    const { inquiryId } = await call<{ inquiryId: number }>(a.session, 'startCardInquiry');
    const error = await refused(b.session, 'cancelInquiry', { inquiryId });
    expect(error.code).toBe('FORBIDDEN');
    expect(core.terminals.current().inquiries.busy).toBe(true);
    await call(supervisor, 'cancelInquiry', { inquiryId });
    await core.terminals.current().inquiries.idle();
    expect(core.terminals.current().inquiries.busy).toBe(false);
  });
});

describe('the idle lock reaches open windows', () => {
  it('a new idle-lock time is pushed to every logged-in window at once', async () => {
    const open = window();
    const stranger = window();
    await login(open.session, '2001', 'Mine2026x');
    await call(supervisor, 'saveSettings', { security: { idleLockMinutes: 3 } });
    expect(open.events).toContainEqual({ event: 'settings', payload: { idleLockMinutes: 3 } });
    expect(stranger.events).toEqual([]);
    await call(supervisor, 'saveSettings', { security: { idleLockMinutes: 10 } });
  });

  it('the console ends an idle login by itself and tells its window, before any call', async () => {
    const idle = window();
    await login(idle.session, '2002', 'Mine2026x');
    idle.session.lastActivityMs = Date.now() - 11 * 60_000;
    core.sessions.lockIdle(10 * 60_000);
    expect(idle.session.operator).toBeNull();
    expect(idle.events).toContainEqual({ event: 'session', payload: { reason: 'idle' } });
    // A supervisor working in another window meanwhile is not locked.
    expect(supervisor.operator).not.toBeNull();
  });
});

describe('a password set by someone else must be changed first, on the server', () => {
  it('a must-change session may only change the password, read the app state or log out', async () => {
    await call(supervisor, 'resetOperatorPassword', {
      operatorNo: '2002',
      newPassword: 'Reset2026x',
    });
    const w = window();
    const result = await login(w.session, '2002', 'Reset2026x');
    expect(result.mustChangePassword).toBe(true);
    for (const method of ['startCardInquiry', 'searchLog', 'exportLog', 'dailySummary']) {
      const error = await refused(
        w.session,
        method,
        method === 'exportLog' ? { day: '2026-12-02' } : {},
      );
      expect([error.code, method]).toEqual(['PASSWORD_CHANGE_REQUIRED', method]);
      expect(error.messageZh).toContain('请先修改密码');
    }
    expect(
      (await call<{ mustChangePassword: boolean }>(w.session, 'getAppState')).mustChangePassword,
    ).toBe(true);
    await call(w.session, 'changeOwnPassword', {
      oldPassword: 'Reset2026x',
      newPassword: 'Mine2026y',
    });
    await call(w.session, 'searchLog', {});
  });
});

describe('a reset, a lockout or a password change ends the other logins at once', () => {
  it('a supervisor reset logs the operator out of every window, which is told why', async () => {
    const w1 = window();
    const w2 = window();
    await login(w1.session, '2001', 'Mine2026x');
    await login(w2.session, '2001', 'Mine2026x');
    await call(supervisor, 'resetOperatorPassword', {
      operatorNo: '2001',
      newPassword: 'Again2026x',
    });
    for (const w of [w1, w2]) {
      expect(w.events.at(-1)).toEqual({ event: 'session', payload: { reason: 'password-reset' } });
      expect((await refused(w.session, 'searchLog')).code).toBe('NOT_LOGGED_IN');
    }
  });

  it('changing my password ends my other windows, not this one', async () => {
    const here = window();
    const there = window();
    await login(here.session, '2001', 'Again2026x');
    await login(there.session, '2001', 'Again2026x');
    await call(here.session, 'changeOwnPassword', {
      oldPassword: 'Again2026x',
      newPassword: 'Mine2026z',
    });
    await call(here.session, 'searchLog', {});
    expect(there.events.at(-1)).toEqual({
      event: 'session',
      payload: { reason: 'password-changed' },
    });
    expect((await refused(there.session, 'searchLog')).code).toBe('NOT_LOGGED_IN');
  });

  it('wrong passwords typed elsewhere lock the operator and log out their open windows', async () => {
    const working = window();
    await login(working.session, '2001', 'Mine2026z');
    let last: Awaited<ReturnType<typeof refused>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await refused(core.createSession(), 'login', {
        operatorNo: '2001',
        password: 'wrong-one',
      });
    }
    // The login screen says when to try again, in words.
    expect(last?.code).toBe('ACCOUNT_LOCKED');
    expect(last?.messageZh).toMatch(/分钟后）再试/);
    expect(last?.details?.['retryAfterSeconds']).toBeGreaterThan(0);
    expect(working.events.at(-1)).toEqual({ event: 'session', payload: { reason: 'locked' } });
    expect((await refused(working.session, 'searchLog')).code).toBe('NOT_LOGGED_IN');
  });
});

describe('logins cannot freeze the console', () => {
  it('300 pipelined logins on one connection are refused fast, and another window is answered meanwhile', async () => {
    const flood = core.createSession();
    const attempts = Array.from({ length: 300 }, () =>
      dispatchApiCall(core, flood, 'login', { operatorNo: '1001', password: 'not-it-0' }),
    );
    // While the flood is in flight, another window's call is answered.
    let otherAnsweredFirst = false;
    const other = call(supervisor, 'getAppState').then(() => {
      otherAnsweredFirst = true;
    });
    const outcomes = await Promise.all(attempts);
    await other;
    expect(otherAnsweredFirst).toBe(true);
    const codes = outcomes.map((o) => (o.ok ? 'ok' : o.error.code));
    // One attempt at a time per connection: the rest are refused at once, not queued.
    expect(
      codes.filter((c) => c === 'LOGIN_FAILED' || c === 'ACCOUNT_LOCKED').length,
    ).toBeLessThanOrEqual(10);
    expect(codes.filter((c) => c === 'LOGIN_RATE_LIMITED').length).toBeGreaterThanOrEqual(290);
  });
});
