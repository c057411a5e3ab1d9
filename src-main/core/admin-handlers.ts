// API handlers for the supervisor's back office: operators, settings, the first-run setup and
// the log export. The store audits operator changes and exports itself; settings changes are
// audited here as 'config-change' with the names of the changed fields (never their values).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FirstRunDefaults, OperatorAdminView, SettingsView } from '../contract';
import { ApiError } from '../contract';
import type { Operator } from '../store';
import { csvHeader, csvRows } from '../store/csv';
import type { CashierCore, CoreHandlers } from './cashier-core';
import { ConfigError, loadConfig, type CashierConfig } from './config';
import { checkConfig, updateConfigFile } from './settings-file';

export type AdminMethod =
  | 'listOperators'
  | 'createOperator'
  | 'resetOperatorPassword'
  | 'unlockOperator'
  | 'changeOwnPassword'
  | 'getSettings'
  | 'saveSettings'
  | 'getFirstRunDefaults'
  | 'completeFirstRun'
  | 'applyChanges'
  | 'exportLog';

/** Fields that take effect at once; any other change needs a restart (the host client, the
 *  devices and the inquiry runner are built from the config when the console starts). */
const LIVE_FIELDS = new Set([
  'merchant.name',
  'language',
  'security.passwordMaxAgeDays',
  'security.idleLockMinutes',
]);

function adminView(operator: Operator): OperatorAdminView {
  return {
    operatorNo: operator.operatorNo,
    name: operator.name,
    role: operator.role,
    locked: operator.locked,
    passwordChangedAt: operator.passwordChangedAt,
    createdAt: operator.createdAt,
  };
}

export function settingsView(config: CashierConfig): SettingsView {
  return {
    mode: config.mode,
    language: config.language,
    merchant: { id: config.merchant.id, name: config.merchant.name },
    terminal: { id: config.terminal.id },
    servicePhone: config.servicePhone,
    host: {
      address: config.host.address,
      port: config.host.port,
      tls: config.host.tls,
      pinnedCertSha256: config.host.pinnedCertSha256 ?? '',
      connectTimeoutMs: config.host.connectTimeoutMs,
      responseTimeoutMs: config.host.responseTimeoutMs,
    },
    security: { ...config.security },
  };
}

/** Plain-words names of config fields for the Chinese message. */
const FIELD_ZH: Record<string, string> = {
  'merchant.id': '商户号（15位字母或数字）',
  'merchant.name': '商户名称（1至40个字符）',
  'terminal.id': '终端号（8位字母或数字）',
  servicePhone: '服务电话',
  'host.address': '主机地址',
  'host.port': '主机端口（1至65535）',
  'host.pinnedCertSha256': '主机证书指纹（启用TLS时必填）',
  'host.connectTimeoutMs': '连接超时（500至60000毫秒）',
  'host.responseTimeoutMs': '应答超时（1000至120000毫秒）',
  'security.passwordMaxAgeDays': '密码有效期（0至365天）',
  'security.idleLockMinutes': '无操作锁定时间（0至240分钟）',
};

function invalidSettings(err: ConfigError): ApiError {
  const fields = err.problems.map((p) => p.split(':')[0]!.trim());
  const zh = [...new Set(fields.map((f) => FIELD_ZH[f] ?? f))].join('、');
  return new ApiError(
    'CONFIG_INVALID',
    `The settings were not saved: ${err.problems.join('; ')}`,
    `设置有误，未保存：${zh}`,
    { problems: err.problems, fields },
  );
}

/** Local day [from, to) of this PC. */
function dayRange(day: string): { from: Date; to: Date } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { from: new Date(y, m - 1, d), to: new Date(y, m - 1, d + 1) };
}

function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function adminHandlers(core: CashierCore): Pick<CoreHandlers, AdminMethod> {
  const { store } = core;

  async function operatorByNo(operatorNo: string): Promise<Operator> {
    const operator = await store.operators.findByNo(operatorNo);
    if (!operator) {
      throw new ApiError(
        'NOT_FOUND',
        `No operator ${operatorNo}.`,
        `没有操作员号为 ${operatorNo} 的操作员。`,
      );
    }
    return operator;
  }

  async function refuseAfterSetup(): Promise<void> {
    if ((await store.operators.count()) > 0) {
      throw new ApiError(
        'ALREADY_SET_UP',
        'The console is already set up; a supervisor changes settings after logging in.',
        '收银台已完成初始设置，请由主管登录后修改设置。',
      );
    }
  }

  /** Writes the change, keeps the running core's copy of the live fields in step. */
  async function applyConfig(
    change: (draft: CashierConfig) => void,
  ): Promise<{ after: CashierConfig; changed: string[]; restartNeeded: boolean }> {
    let update;
    try {
      update = await updateConfigFile(core.options.dataDir, change);
    } catch (err) {
      if (err instanceof ConfigError) throw invalidSettings(err);
      throw err;
    }
    const { after, changed } = update;
    core.config.merchant.name = after.merchant.name;
    core.config.language = after.language;
    core.config.security.passwordMaxAgeDays = after.security.passwordMaxAgeDays;
    core.config.security.idleLockMinutes = after.security.idleLockMinutes;
    return { after, changed, restartNeeded: changed.some((f) => !LIVE_FIELDS.has(f)) };
  }

  return {
    listOperators: async (_args, session) => {
      core.requireOperator(session, 'supervisor');
      return (await store.operators.list()).map(adminView);
    },

    createOperator: async (args, session) => {
      const supervisor = core.requireOperator(session, 'supervisor');
      return adminView(await store.operators.create(args, supervisor.id));
    },

    resetOperatorPassword: async (args, session) => {
      const supervisor = core.requireOperator(session, 'supervisor');
      const target = await operatorByNo(args.operatorNo);
      await store.operators.resetPassword(target.id, supervisor.id, args.newPassword);
      // The old password no longer opens anything: their open windows go to the login screen.
      core.sessions.logOutOperator(target.id, 'password-reset');
      return { ok: true };
    },

    unlockOperator: async (args, session) => {
      const supervisor = core.requireOperator(session, 'supervisor');
      const target = await operatorByNo(args.operatorNo);
      await store.operators.unlock(target.id, supervisor.id);
      return { ok: true };
    },

    changeOwnPassword: async (args, session) => {
      const operator = core.requireOperator(session);
      await store.operators.changePassword(operator.id, args.oldPassword, args.newPassword);
      session.mustChangePassword = false;
      core.sessions.logOutOperator(operator.id, 'password-changed', session);
      return { ok: true };
    },

    getSettings: async (_args, session) => {
      core.requireOperator(session, 'supervisor');
      // The file, not the running copy: it shows what the next start will use.
      try {
        return settingsView(await loadConfig(core.options.dataDir));
      } catch (err) {
        if (err instanceof ConfigError) throw invalidSettings(err);
        throw err;
      }
    },

    saveSettings: async (args, session) => {
      const supervisor = core.requireOperator(session, 'supervisor');
      const { after, changed, restartNeeded } = await applyConfig((draft) => {
        if (args.mode !== undefined) draft.mode = args.mode;
        if (args.language !== undefined) draft.language = args.language;
        if (args.servicePhone !== undefined) draft.servicePhone = args.servicePhone.trim();
        if (args.merchant?.id !== undefined) draft.merchant.id = args.merchant.id.trim();
        if (args.merchant?.name !== undefined) draft.merchant.name = args.merchant.name.trim();
        if (args.terminal?.id !== undefined) draft.terminal.id = args.terminal.id.trim();
        const host = args.host ?? {};
        if (host.address !== undefined) draft.host.address = host.address.trim();
        if (host.port !== undefined) draft.host.port = host.port;
        if (host.tls !== undefined) draft.host.tls = host.tls;
        if (host.connectTimeoutMs !== undefined)
          draft.host.connectTimeoutMs = host.connectTimeoutMs;
        if (host.responseTimeoutMs !== undefined) {
          draft.host.responseTimeoutMs = host.responseTimeoutMs;
        }
        if (host.pinnedCertSha256 !== undefined) {
          const pin = host.pinnedCertSha256.trim();
          if (pin) draft.host.pinnedCertSha256 = pin;
          else delete draft.host.pinnedCertSha256;
        }
        const security = args.security ?? {};
        if (security.passwordMaxAgeDays !== undefined) {
          draft.security.passwordMaxAgeDays = security.passwordMaxAgeDays;
        }
        if (security.idleLockMinutes !== undefined) {
          draft.security.idleLockMinutes = security.idleLockMinutes;
        }
      });
      if (changed.length > 0) {
        await store.audit.record({
          kind: 'config-change',
          operatorId: supervisor.id,
          operatorNo: supervisor.operatorNo,
          detail: { fields: changed, restartNeeded, source: 'ui' },
        });
      }
      return { settings: settingsView(after), changed, restartNeeded };
    },

    getFirstRunDefaults: async () => {
      await refuseAfterSetup();
      const config = core.config;
      const defaults: FirstRunDefaults = {
        merchant: { id: config.merchant.id, name: config.merchant.name },
        terminal: { id: config.terminal.id },
        mode: config.mode,
        host: { address: config.host.address, port: config.host.port },
      };
      return defaults;
    },

    completeFirstRun: async (args, session) => {
      await refuseAfterSetup();
      const apply = (draft: CashierConfig): void => {
        draft.merchant.id = args.merchant.id.trim();
        draft.merchant.name = args.merchant.name.trim();
        draft.terminal.id = args.terminal.id.trim();
        draft.mode = args.mode;
        if (args.host) {
          draft.host.address = args.host.address.trim();
          draft.host.port = args.host.port;
        }
      };
      if (args.mode === 'live' && !args.host) {
        throw new ApiError(
          'CONFIG_INVALID',
          'Live mode needs the bank host address and port.',
          '生产模式需要填写银行主机地址和端口。',
          { fields: ['host.address', 'host.port'] },
        );
      }
      // Check the settings before creating anyone, so a typo leaves nothing half done.
      const draft = structuredClone(core.config);
      apply(draft);
      try {
        checkConfig(draft, 'config.json');
      } catch (err) {
        if (err instanceof ConfigError) throw invalidSettings(err);
        throw err;
      }
      // The store refuses (ALREADY_SET_UP) if another window finished first.
      const operator = await store.operators.createFirstSupervisor(args.supervisor);
      session.lastActivityMs = Date.now();
      const { changed, restartNeeded } = await applyConfig(apply);
      if (changed.length > 0) {
        await store.audit.record({
          kind: 'config-change',
          operatorId: operator.id,
          operatorNo: operator.operatorNo,
          detail: { fields: changed, restartNeeded, source: 'first-run' },
        });
      }
      // Nothing runs yet on a fresh install, so the new merchant, terminal and mode apply now.
      if (restartNeeded) await core.applyChanges(operator.operatorNo);
      return {
        operator: { operatorNo: operator.operatorNo, name: operator.name, role: operator.role },
        restartNeeded: false,
      };
    },

    applyChanges: async (_args, session) => {
      const operator = core.requireOperator(session, 'supervisor');
      await core.applyChanges(operator.operatorNo);
      await store.audit.record({
        kind: 'config-change',
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
        detail: { applied: true, source: 'ui' },
      });
      return { ok: true };
    },

    exportLog: async (args, session) => {
      const operator = core.requireOperator(session);
      const range = args.day
        ? dayRange(args.day)
        : {
            ...(args.from ? { from: new Date(args.from) } : {}),
            ...(args.to ? { to: new Date(args.to) } : {}),
          };
      const label = args.day ?? (args.from ? localDay(new Date(args.from)) : localDay(new Date()));
      const fileName = `cashier-log-${label}.csv`;
      if (operator.role === 'supervisor') {
        // The store writes the file (and audits the export); the screen gets its text.
        const dir = await mkdtemp(path.join(os.tmpdir(), 'cashier-export-'));
        try {
          const out = path.join(dir, fileName);
          const written = await store.exportCsv({
            out,
            ...range,
            operatorId: operator.id,
            operatorNo: operator.operatorNo,
            source: 'ui',
          });
          return { fileName, csv: await readFile(out, 'utf8'), rows: written.rows };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
      // A cashier exports only their own inquiries, in the same format.
      const offset = -new Date().getTimezoneOffset();
      const pages: string[] = [];
      let rows = 0;
      let cursor: string | undefined;
      do {
        const page = await store.transactions.search({
          ...range,
          operatorNo: operator.operatorNo,
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        rows += page.rows.length;
        pages.push(csvRows([...page.rows].reverse(), offset));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      await store.audit.record({
        kind: 'export',
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
        detail: {
          file: fileName,
          rows,
          source: 'ui',
          own: true,
          from: range.from?.toISOString() ?? null,
          to: range.to?.toISOString() ?? null,
        },
      });
      // Pages come newest first; oldest first reads like the supervisor's export.
      return { fileName, csv: csvHeader() + pages.reverse().join(''), rows };
    },
  };
}
