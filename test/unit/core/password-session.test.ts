// The session side of password hygiene, through the dispatch the shells use: a new operator's
// login says the password is temporary (and the app state says so after a reload); nothing but
// the change is allowed; a recent password is refused in both languages; the expiry reminder's
// days left come with the login and the app state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState, LoginResult } from '../../../src-main/contract';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

let tc: TrainingConsole;

beforeAll(async () => {
  tc = await openTrainingConsole('password-session');
  await tc.call(tc.supervisor, 'createOperator', {
    operatorNo: '2001',
    name: 'Li',
    role: 'cashier',
    password: 'Temp2026',
  });
}, 60_000);

afterAll(async () => {
  await tc?.close();
});

describe('password hygiene at the session', () => {
  it('a new operator must change the temporary password, and the reason is given', async () => {
    const session = tc.core.createSession();
    const login = await tc.call<LoginResult>(session, 'login', {
      operatorNo: '2001',
      password: 'Temp2026',
    });
    expect(login).toMatchObject({ mustChangePassword: true, passwordChangeReason: 'temporary' });
    expect(await tc.call<AppState>(session, 'getAppState')).toMatchObject({
      mustChangePassword: true,
      passwordChangeReason: 'temporary',
    });
    expect((await tc.refused(session, 'searchLog', {})).code).toBe('PASSWORD_CHANGE_REQUIRED');
    await tc.call(session, 'changeOwnPassword', {
      oldPassword: 'Temp2026',
      newPassword: 'Mine2026',
    });
    expect(await tc.call<AppState>(session, 'getAppState')).toMatchObject({
      mustChangePassword: false,
      passwordChangeReason: null,
    });
    const reused = await tc.refused(session, 'changeOwnPassword', {
      oldPassword: 'Mine2026',
      newPassword: 'Temp2026',
    });
    expect(reused.code).toBe('WEAK_PASSWORD');
    expect(reused.messageZh).toBe('新密码不能与最近 5 次使用过的密码相同，请换一个');
  });

  it('gives the days left before expiry at login and in the app state (null when it never expires)', async () => {
    await tc.call(tc.supervisor, 'saveSettings', { security: { passwordMaxAgeDays: 5 } });
    const session = tc.core.createSession();
    const login = await tc.call<LoginResult>(session, 'login', {
      operatorNo: '2001',
      password: 'Mine2026',
    });
    expect(login).toMatchObject({ mustChangePassword: false, passwordExpiresInDays: 5 });
    expect((await tc.call<AppState>(session, 'getAppState')).passwordExpiresInDays).toBe(5);
    await tc.call(tc.supervisor, 'saveSettings', { security: { passwordMaxAgeDays: 0 } });
    expect((await tc.call<AppState>(session, 'getAppState')).passwordExpiresInDays).toBeNull();
  });
});
