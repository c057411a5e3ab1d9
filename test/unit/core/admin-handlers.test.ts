// Operators, settings, the first-run setup and the log export through the same dispatch the
// shells use, on a training core with a real SQLite file and a real config.json.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InquiryProgress, OperatorAdminView, OperatorPage } from '../../../src-main/contract';
import { dispatchApiCall } from '../../../src-main/core/api-dispatch';
import { CashierCore, type Session } from '../../../src-main/core/cashier-core';
import { parseConfig } from '../../../src-main/core/config';

let core: CashierCore;
let dataDir: string;
let supervisor: Session;
const configFile = () => path.join(dataDir, 'config.json');

async function call<T>(session: Session, method: string, args: unknown = {}): Promise<T> {
  const outcome = await dispatchApiCall(core, session, method, args);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

/** One approved swipe inquiry by the session's operator (the training customer's card). */
async function swipeInquiry(session: Session): Promise<void> {
  const pad = core.terminals.current().terminal.training!.pinpad;
  const prompt = (kind: string) =>
    new Promise<void>((resolve) => {
      const on = (p: { kind: string }) => {
        if (p.kind !== kind) return;
        pad.off('prompt', on);
        resolve();
      };
      pad.on('prompt', on);
    });
  const done = new Promise<InquiryProgress>((resolve) => {
    const off = core.on('inquiry', (p) => {
      if (p.step !== 'done') return;
      off();
      resolve(p);
    });
  });
  const cardPrompt = prompt('card');
  await call(session, 'startCardInquiry');
  await cardPrompt;
  const pinPrompt = prompt('pin');
  await call(session, 'trainingPinpad', { action: 'card', cardId: 'debit-swipe', how: 'swipe' });
  await pinPrompt;
  for (const key of '123456') await call(session, 'trainingPinpad', { action: 'key', key });
  await call(session, 'trainingPinpad', { action: 'key', key: 'enter' });
  expect((await done).result?.outcome).toBe('approved');
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cashier-admin-'));
  core = await CashierCore.open({ dataDir, shell: 'web', version: 'test' });
  supervisor = core.createSession();
});

afterAll(async () => {
  await core?.close();
});

describe('first run', () => {
  it('offers the training defaults while no operator exists', async () => {
    const defaults = await call<{ mode: string; terminal: { id: string } }>(
      supervisor,
      'getFirstRunDefaults',
    );
    expect(defaults).toMatchObject({ mode: 'training', terminal: { id: 'T0000001' } });
  });

  it('refuses a bad merchant id without creating anyone or touching config.json', async () => {
    const before = readFileSync(configFile(), 'utf8');
    await expect(
      call(supervisor, 'completeFirstRun', {
        supervisor: { operatorNo: '1001', name: '王主管', password: 'Secret2026' },
        merchant: { id: '12345', name: '便利店' },
        terminal: { id: 'T0000009' },
        mode: 'training',
      }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      messageZh: expect.stringContaining('商户号'),
    });
    expect(await core.store.operators.count()).toBe(0);
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
  });

  it('refuses live mode without a host', async () => {
    await expect(
      call(supervisor, 'completeFirstRun', {
        supervisor: { operatorNo: '1001', name: '王主管', password: 'Secret2026' },
        merchant: { id: '898440358120009', name: '便利店' },
        terminal: { id: 'T0000009' },
        mode: 'live',
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await core.store.operators.count()).toBe(0);
  });

  it('creates the supervisor and sets merchant and terminal in config.json', async () => {
    const done = await call<{ operator: { role: string }; restartNeeded: boolean }>(
      supervisor,
      'completeFirstRun',
      {
        supervisor: { operatorNo: '1001', name: '王主管', password: 'Secret2026' },
        merchant: { id: '898440358120009', name: '幸福便利店' },
        terminal: { id: 'T0000009' },
        mode: 'training',
      },
    );
    expect(done.operator.role).toBe('supervisor');
    // Applied at once: the terminal was reopened with the new terminal id.
    expect(done.restartNeeded).toBe(false);
    expect(core.terminals.config().terminal.id).toBe('T0000009');
    const saved = parseConfig(readFileSync(configFile(), 'utf8'), 'config.json');
    expect(saved).toMatchObject({
      mode: 'training',
      merchant: { id: '898440358120009', name: '幸福便利店' },
      terminal: { id: 'T0000009' },
    });
    const state = await call<{ merchantName: string; needsFirstSupervisor: boolean }>(
      supervisor,
      'getAppState',
    );
    expect(state).toMatchObject({ merchantName: '幸福便利店', needsFirstSupervisor: false });
    const audit = await core.store.audit.list({ kind: 'config-change' });
    expect(audit[0]?.detail).toMatchObject({
      fields: expect.arrayContaining(['merchant.id', 'terminal.id']),
      source: 'first-run',
    });
  });

  it('is refused once an operator exists', async () => {
    await expect(
      call(supervisor, 'completeFirstRun', {
        supervisor: { operatorNo: '1002', name: '李', password: 'Secret2026' },
        merchant: { id: '898440358120009', name: 'x' },
        terminal: { id: 'T0000009' },
        mode: 'training',
      }),
    ).rejects.toMatchObject({ code: 'ALREADY_SET_UP' });
    await expect(call(supervisor, 'getFirstRunDefaults')).rejects.toMatchObject({
      code: 'ALREADY_SET_UP',
    });
  });
});

describe('operators', () => {
  const cashier = () => core.createSession();

  beforeAll(async () => {
    await call(supervisor, 'login', { operatorNo: '1001', password: 'Secret2026' });
  });

  it('lets a supervisor create a cashier, and refuses a duplicate and a weak password in zh/en', async () => {
    const created = await call<OperatorAdminView>(supervisor, 'createOperator', {
      operatorNo: '2001',
      name: '李收银',
      role: 'cashier',
      password: 'Till2026',
    });
    expect(created).toMatchObject({ operatorNo: '2001', role: 'cashier', locked: false });
    await expect(
      call(supervisor, 'createOperator', {
        operatorNo: '2001',
        name: '又一个',
        role: 'cashier',
        password: 'Till2026',
      }),
    ).rejects.toMatchObject({ messageZh: '操作员号 2001 已被使用' });
    await expect(
      call(supervisor, 'createOperator', {
        operatorNo: '2002',
        name: '弱密码',
        role: 'cashier',
        password: '111111',
      }),
    ).rejects.toMatchObject({ code: 'WEAK_PASSWORD', messageZh: expect.stringMatching(/密码/) });
    const { operators: list, next } = await call<OperatorPage>(supervisor, 'listOperators');
    expect(list.map((o) => o.operatorNo)).toEqual(['1001', '2001']);
    expect(next).toBeNull();
    // Nothing that looks like a password hash leaves the core.
    expect(JSON.stringify(list)).not.toMatch(/hash|scrypt|\$/i);
    expect(Object.keys(list[0]!).sort()).toEqual(
      ['createdAt', 'locked', 'name', 'operatorNo', 'passwordChangedAt', 'role'].sort(),
    );
  });

  it('pages the operators in number order, each page after the last one shown', async () => {
    for (const no of ['3003', '3001', '3002']) {
      await call(supervisor, 'createOperator', {
        operatorNo: no,
        name: `收银员${no}`,
        role: 'cashier',
        password: 'Till2026',
      });
    }
    const first = await call<OperatorPage>(supervisor, 'listOperators', { limit: 2 });
    expect(first.operators.map((o) => o.operatorNo)).toEqual(['1001', '2001']);
    expect(first.next).toBe('2001');
    const second = await call<OperatorPage>(supervisor, 'listOperators', {
      after: first.next,
      limit: 2,
    });
    expect(second.operators.map((o) => o.operatorNo)).toEqual(['3001', '3002']);
    const last = await call<OperatorPage>(supervisor, 'listOperators', {
      after: second.next,
      limit: 2,
    });
    expect(last).toMatchObject({ operators: [{ operatorNo: '3003' }], next: null });
    // A page larger than the channel allows, or a cursor that is no operator number, is refused.
    await expect(call(supervisor, 'listOperators', { limit: 100_000 })).rejects.toMatchObject({
      code: 'BAD_ARGUMENTS',
    });
    await expect(call(supervisor, 'listOperators', { after: "' OR 1=1 --" })).rejects.toMatchObject(
      { code: 'BAD_ARGUMENTS' },
    );
  });

  it('refuses settings and operators to a logged-in cashier', async () => {
    const session = cashier();
    await call(session, 'login', { operatorNo: '2001', password: 'Till2026' });
    // A new operator's password is the supervisor's choice: it is changed first.
    await call(session, 'changeOwnPassword', { oldPassword: 'Till2026', newPassword: 'Till2027' });
    for (const [method, args] of [
      ['listOperators', {}],
      ['createOperator', { operatorNo: '2009', name: 'x', role: 'cashier', password: 'Abc12345' }],
      ['unlockOperator', { operatorNo: '1001' }],
      ['resetOperatorPassword', { operatorNo: '1001', newPassword: 'Abc12345' }],
      ['getSettings', {}],
      ['saveSettings', { servicePhone: '110' }],
      ['applyChanges', {}],
    ] as const) {
      await expect(call(session, method, args)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        messageZh: '只有主管可以进行此操作。',
      });
    }
    await expect(call(cashier(), 'listOperators')).rejects.toMatchObject({ code: 'NOT_LOGGED_IN' });
  });

  it('unlocks and resets a cashier locked after 5 wrong passwords', async () => {
    const session = cashier();
    const wrong = () => call(session, 'login', { operatorNo: '2001', password: 'nope-nope' });
    for (let i = 0; i < 4; i++)
      await expect(wrong()).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
    await expect(wrong()).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const listed = async () => (await call<OperatorPage>(supervisor, 'listOperators')).operators;
    let list = await listed();
    expect(list.find((o) => o.operatorNo === '2001')?.locked).toBe(true);
    // Even the right password is refused while locked.
    await expect(
      call(session, 'login', { operatorNo: '2001', password: 'Till2027' }),
    ).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });

    await call(supervisor, 'unlockOperator', { operatorNo: '2001' });
    list = await listed();
    expect(list.find((o) => o.operatorNo === '2001')?.locked).toBe(false);
    await call(session, 'login', { operatorNo: '2001', password: 'Till2027' });

    // Locked again, then a temporary password unlocks and must be changed at login.
    for (let i = 0; i < 5; i++) await wrong().catch(() => undefined);
    await call(supervisor, 'resetOperatorPassword', {
      operatorNo: '2001',
      newPassword: 'Temp2026',
    });
    const login = await call<{ mustChangePassword: boolean }>(session, 'login', {
      operatorNo: '2001',
      password: 'Temp2026',
    });
    expect(login.mustChangePassword).toBe(true);
    await expect(
      call(session, 'changeOwnPassword', { oldPassword: 'wrong-old', newPassword: 'Mine2026' }),
    ).rejects.toMatchObject({
      messageZh: '当前密码不正确',
      message: 'The current password is wrong',
    });
    await call(session, 'changeOwnPassword', { oldPassword: 'Temp2026', newPassword: 'Mine2026' });
    const again = await call<{ mustChangePassword: boolean }>(cashier(), 'login', {
      operatorNo: '2001',
      password: 'Mine2026',
    });
    expect(again.mustChangePassword).toBe(false);
    const kinds = (await core.store.audit.list({ limit: 50 })).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['lockout', 'unlock', 'password-reset', 'password-change']),
    );
    await expect(call(supervisor, 'unlockOperator', { operatorNo: '9999' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('settings', () => {
  it('shows the settings without secrets', async () => {
    const settings = await call<Record<string, unknown>>(supervisor, 'getSettings');
    expect(settings).toMatchObject({ mode: 'training', terminal: { id: 'T0000009' } });
    expect(Object.keys(settings)).not.toContain('wallet');
    expect(Object.keys(settings)).not.toContain('pinpad');
  });

  it('writes a valid config, applies live fields and audits the changed fields with their values', async () => {
    const result = await call<{ changed: string[]; restartNeeded: boolean }>(
      supervisor,
      'saveSettings',
      { servicePhone: '400-800-8888', security: { idleLockMinutes: 15 } },
    );
    expect(result.changed).toEqual(['security.idleLockMinutes', 'servicePhone']);
    const saved = parseConfig(readFileSync(configFile(), 'utf8'), 'config.json');
    expect(saved.servicePhone).toBe('400-800-8888');
    expect(saved.security.idleLockMinutes).toBe(15);
    expect(core.terminals.config().security.idleLockMinutes).toBe(15);
    const [entry] = await core.store.audit.list({ kind: 'config-change' });
    expect(entry?.detail).toMatchObject({ fields: ['security.idleLockMinutes', 'servicePhone'] });
    // From what to what (issue 15: 设置已更改：无操作自动锁定 10 → 15 分钟); settings hold no
    // secrets (keys live in the key store), so their values may be audited.
    expect(entry?.detail?.changes).toEqual([
      { field: 'security.idleLockMinutes', from: 10, to: 15 },
      { field: 'servicePhone', from: '95516', to: '400-800-8888' },
    ]);

    const hostChange = await call<{ restartNeeded: boolean }>(supervisor, 'saveSettings', {
      host: { port: 6000 },
    });
    expect(hostChange.restartNeeded).toBe(true);
    const nameOnly = await call<{ restartNeeded: boolean }>(supervisor, 'saveSettings', {
      merchant: { name: '幸福便利店二号' },
    });
    expect(nameOnly.restartNeeded).toBe(false);
    expect(core.terminals.config().merchant.name).toBe('幸福便利店二号');
  });

  it("keeps this till's PIN tries per inquiry (default 3, at once) and a kiosk's fixed port (next start)", async () => {
    const before = await call<{
      security: { pinTriesPerInquiry: number };
      browserShellPort: number | null;
    }>(supervisor, 'getSettings');
    expect(before.security.pinTriesPerInquiry).toBe(3);
    expect(before.browserShellPort).toBeNull();

    const tries = await call<{ restartNeeded: boolean }>(supervisor, 'saveSettings', {
      security: { pinTriesPerInquiry: 2 },
    });
    expect(tries.restartNeeded).toBe(false);
    expect(core.terminals.config().security.pinTriesPerInquiry).toBe(2);
    await expect(
      call(supervisor, 'saveSettings', { security: { pinTriesPerInquiry: 0 } }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      messageZh: expect.stringContaining('本机每次查询的密码输入次数（1至9次）'),
      details: { fields: ['security.pinTriesPerInquiry'] },
    });

    for (const port of [80, 1023, 65536]) {
      await expect(
        call(supervisor, 'saveSettings', { browserShellPort: port }),
      ).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('fixed port of the browser window (1024 to 65535'),
        messageZh: expect.stringContaining('浏览器界面固定端口（1024至65535，留空为自动）'),
        details: { fields: ['browserShell.port'] },
      });
    }
    const port = await call<{
      restartNeeded: boolean;
      settings: { browserShellPort: number | null };
    }>(supervisor, 'saveSettings', { browserShellPort: 18_443 });
    expect(port.restartNeeded).toBe(true);
    expect(port.settings.browserShellPort).toBe(18_443);
    expect(parseConfig(readFileSync(configFile(), 'utf8'), 'config.json').browserShell).toEqual({
      port: 18_443,
    });
    const automatic = await call<{ settings: { browserShellPort: number | null } }>(
      supervisor,
      'saveSettings',
      { browserShellPort: null, security: { pinTriesPerInquiry: 3 } },
    );
    expect(automatic.settings.browserShellPort).toBeNull();
    expect(
      parseConfig(readFileSync(configFile(), 'utf8'), 'config.json').browserShell,
    ).toBeUndefined();
  });

  it('applies saved changes without a restart, and the terminal works afterwards', async () => {
    await call(supervisor, 'saveSettings', { host: { responseTimeoutMs: 7_000 } });
    const before = core.terminals.current().terminal;
    expect(core.terminals.config().host.responseTimeoutMs).not.toBe(7_000);
    await call(supervisor, 'applyChanges', {});
    expect(core.terminals.config().host.responseTimeoutMs).toBe(7_000);
    expect(core.terminals.current().terminal).not.toBe(before);
    // The reopened terminal answers: an echo test reaches the (new) training host simulator.
    const echo = await call<{ responseCode: string }>(supervisor, 'hostEcho', {});
    expect(echo.responseCode).toBe('00');
    const [entry] = await core.store.audit.list({ kind: 'config-change' });
    expect(entry?.detail).toMatchObject({ applied: true });
  });

  it('refuses an invalid config and leaves the file as it was', async () => {
    const before = readFileSync(configFile(), 'utf8');
    await expect(
      call(supervisor, 'saveSettings', { terminal: { id: 'T123' }, servicePhone: '12345' }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      messageZh: expect.stringContaining('终端号'),
    });
    await expect(
      call(supervisor, 'saveSettings', { host: { tls: true, pinnedCertSha256: '' } }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', messageZh: expect.stringContaining('证书') });
    await expect(
      call(supervisor, 'saveSettings', { security: { idleLockMinutes: 999 } }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(readFileSync(configFile(), 'utf8')).toBe(before);
    expect(core.terminals.config().security.idleLockMinutes).toBe(15);
  });
});

describe('log export', () => {
  it('gives a supervisor the CSV with the BOM and masked accounts only; a cashier only theirs', async () => {
    await swipeInquiry(supervisor);
    const cashierSession = core.createSession();
    await call(cashierSession, 'login', { operatorNo: '2001', password: 'Mine2026' });
    await swipeInquiry(cashierSession);

    const all = await call<{ fileName: string; csv: string; rows: number }>(
      supervisor,
      'exportLog',
      {},
    );
    expect(all.rows).toBe(2);
    expect(all.csv.startsWith('\uFEFF编号 ID,')).toBe(true);
    expect(all.fileName).toMatch(/^cashier-log-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(all.csv).toContain('622202*********3446');
    expect(all.csv).not.toContain('6222020200112233446');
    expect(all.csv).not.toMatch(/\d{13,19}/);

    const own = await call<{ csv: string; rows: number }>(cashierSession, 'exportLog', {});
    expect(own.rows).toBe(1);
    expect(own.csv.startsWith('\uFEFF')).toBe(true);
    const lines = own.csv.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split(',')[2]).toBe('2001');

    const yesterday = await call<{ rows: number }>(supervisor, 'exportLog', { day: '2020-01-01' });
    expect(yesterday.rows).toBe(0);
    const exports = await core.store.audit.list({ kind: 'export' });
    expect(exports.length).toBe(3);
    expect(exports.map((e) => e.operatorNo)).toContain('2001');
  });
});
