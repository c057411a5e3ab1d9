// A refused form names the argument at fault (`details.fields`), so the screen focuses that
// field (issue 16, finding 13): the argument check's own paths, and a handler's refusal by its
// method and cause. Through the same dispatch the shells use, against a training console.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';

let core: CashierCore;
let supervisor: Session;

async function refusal(session: Session, method: string, args: unknown) {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (outcome.ok) throw new Error(`${method} was not refused`);
  return outcome.error;
}

async function ok(session: Session, method: string, args: unknown): Promise<void> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (!outcome.ok) throw new Error(outcome.error.message);
}

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-fields-'));
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  supervisor = core.createSession();
  await ok(supervisor, 'createFirstSupervisor', {
    operatorNo: '1001',
    name: 'Sup',
    password: 'Secret2026',
  });
  await ok(supervisor, 'login', { operatorNo: '1001', password: 'Secret2026' });
  await ok(supervisor, 'createOperator', {
    operatorNo: '2001',
    name: 'Li',
    role: 'cashier',
    password: 'Till2026x',
  });
});

afterAll(async () => {
  await core?.close();
});

describe('the field a refusal names', () => {
  it('login: a wrong password names the password', async () => {
    const error = await refusal(core.createSession(), 'login', {
      operatorNo: '2001',
      password: 'Wrong2026',
    });
    expect(error).toMatchObject({ code: 'LOGIN_FAILED', details: { fields: ['password'] } });
  });

  it('change password: a wrong current one, then a refused new one', async () => {
    expect(
      await refusal(supervisor, 'changeOwnPassword', {
        oldPassword: 'NotMine2026',
        newPassword: 'Better2027',
      }),
    ).toMatchObject({ details: { cause: 'WRONG_PASSWORD', fields: ['oldPassword'] } });
    expect(
      await refusal(supervisor, 'changeOwnPassword', {
        oldPassword: 'Secret2026',
        newPassword: 'Secret2026',
      }),
    ).toMatchObject({ code: 'WEAK_PASSWORD', details: { fields: ['newPassword'] } });
  });

  it('operators: a number in use, a weak temporary password, an argument out of shape', async () => {
    expect(
      await refusal(supervisor, 'createOperator', {
        operatorNo: '2001',
        name: 'Wang',
        role: 'cashier',
        password: 'Till2026y',
      }),
    ).toMatchObject({ details: { cause: 'DUPLICATE', fields: ['operatorNo'] } });
    expect(
      await refusal(supervisor, 'resetOperatorPassword', {
        operatorNo: '2001',
        newPassword: 'aaaaaaaa',
      }),
    ).toMatchObject({ details: { fields: ['newPassword'] } });
    expect(
      await refusal(supervisor, 'createOperator', {
        operatorNo: 'x',
        name: 'Wang',
        role: 'cashier',
        password: 'Till2026y',
      }),
    ).toMatchObject({ code: 'BAD_ARGUMENTS', details: { fields: ['operatorNo'] } });
  });

  it('an export whose start day is after its end day names the start day', async () => {
    expect(
      await refusal(supervisor, 'exportLog', {
        fromDay: '2026-12-02',
        toDay: '2026-12-01',
        language: 'zh-CN',
      }),
    ).toMatchObject({ messageZh: '开始日期不能晚于结束日期。', details: { fields: ['fromDay'] } });
  });

  it('settings keep the config paths they name', async () => {
    expect(
      await refusal(supervisor, 'saveSettings', { security: { idleLockMinutes: 999 } }),
    ).toMatchObject({ details: { fields: ['security.idleLockMinutes'] } });
  });
});
