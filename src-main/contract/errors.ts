// Errors crossing the API as plain data. The renderer shows `messageZh` or `message` depending on
// the language; `code` is stable for tests and logs. The console's own refusals take their words
// from API_ERRORS below (one message per situation, each with the wire code it leaves as); an
// error of a layer below leaves in its own words under the code of its kind (DEVICE, HOST ...),
// with its own code in `details.cause` (core/api-dispatch.ts).
import { errorCatalogue, errorClass, type CashierErrorOptions, type ErrorText } from '../common';

export type ApiErrorCode =
  | 'UNKNOWN_METHOD'
  | 'BAD_ARGUMENTS'
  | 'NOT_LOGGED_IN'
  | 'FORBIDDEN'
  | 'ALREADY_SET_UP'
  | 'LOGIN_FAILED'
  | 'ACCOUNT_LOCKED'
  | 'LOGIN_RATE_LIMITED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'WEAK_PASSWORD'
  | 'CONFIG_INVALID'
  | 'BUSY'
  | 'NOT_FOUND'
  | 'TRAINING_ONLY'
  /** The terminal could not be opened again after a settings change (or the console stops). */
  | 'TERMINAL_CLOSED'
  | 'DEVICE'
  | 'HOST'
  | 'PRINTER'
  | 'WALLET'
  | 'FAILED'
  | 'INTERNAL';

interface Problems {
  /** `field: what is wrong`, as the schema check says it. */
  problems: readonly string[];
}

/** The console's own refusals, by situation; `code` is what the renderer gets. */
export const API_ERRORS = errorCatalogue({
  // The dispatch and the access checks.
  UNKNOWN_METHOD: {
    en: (p: { method: string }) => `Unknown method: ${p.method}`,
    zh: (p: { method: string }) => `未知的调用：${p.method}`,
  },
  BAD_ARGUMENTS: {
    en: (p: Problems) => `Invalid input: ${p.problems.join('; ')}`,
    zh: '输入有误',
  },
  BAD_DATE_RANGE: {
    code: 'BAD_ARGUMENTS',
    en: 'The start date must not be after the end date.',
    zh: '开始日期不能晚于结束日期。',
  },
  UNTRUSTED_SENDER: {
    code: 'FORBIDDEN',
    en: 'Untrusted sender',
    zh: '拒绝来自未知页面的调用',
  },
  NOT_LOGGED_IN: {
    en: 'Please log in first.',
    zh: '请先登录。',
  },
  SUPERVISOR_ONLY: {
    code: 'FORBIDDEN',
    en: 'Only a supervisor may do this.',
    zh: '只有主管可以进行此操作。',
  },
  PASSWORD_CHANGE_REQUIRED: {
    en: 'Change your password first: it was set by someone else or has expired.',
    zh: '请先修改密码：当前密码由他人设置或已过期。',
  },
  INTERNAL: {
    en: 'Something went wrong inside the console. The action was not completed.',
    zh: '收银台内部出错，操作未完成。',
  },
  // Session.
  LOGIN_FAILED: {
    en: (p: { triesLeft: number | undefined }) =>
      `Wrong operator number or password.${p.triesLeft !== undefined ? ` ${p.triesLeft} ${p.triesLeft === 1 ? 'try' : 'tries'} left.` : ''}`,
    zh: (p: { triesLeft: number | undefined }) =>
      `操作员号或密码错误。${p.triesLeft !== undefined ? `还可尝试 ${p.triesLeft} 次。` : ''}`,
  },
  LOGINS_BUSY: {
    code: 'BUSY',
    en: 'Too many logins at once on this console. Try again in a moment.',
    zh: '同时登录的人过多，请稍后再试。',
  },
  LOGIN_RATE_LIMITED: {
    en: (p: { seconds: number }) => `Too many login attempts. Try again in ${p.seconds} s.`,
    zh: (p: { seconds: number }) => `登录尝试过于频繁，请 ${p.seconds} 秒后再试。`,
  },
  ACCOUNT_LOCKED: {
    /** The store's lockout notice: when the operator may try again, in local time. */
    en: (p: { notice: ErrorText }) => p.notice.en,
    zh: (p: { notice: ErrorText }) => p.notice.zh,
  },
  // Set-up, operators, settings.
  ALREADY_SET_UP: {
    en: 'The console is already set up; a supervisor changes settings after logging in.',
    zh: '收银台已完成初始设置，请由主管登录后修改设置。',
  },
  NO_SUCH_OPERATOR: {
    code: 'NOT_FOUND',
    en: (p: { operatorNo: string }) => `No operator ${p.operatorNo}.`,
    zh: (p: { operatorNo: string }) => `没有操作员号为 ${p.operatorNo} 的操作员。`,
  },
  LIVE_NEEDS_HOST: {
    code: 'CONFIG_INVALID',
    en: 'Live mode needs the bank host address and port.',
    zh: '生产模式需要填写银行主机地址和端口。',
  },
  SETTINGS_INVALID: {
    code: 'CONFIG_INVALID',
    // The fields in words (the problems, with config paths, stay in the details for support).
    en: (p: Problems & { fieldsZh: string; fieldsEn: string }) =>
      `The settings were not saved. Check the ${p.fieldsEn}.`,
    zh: (p: Problems & { fieldsZh: string; fieldsEn: string }) => `设置有误，未保存：${p.fieldsZh}`,
  },
  LINK_UNPROTECTED: {
    code: 'CONFIG_INVALID',
    en: (p: { reasons: readonly ErrorText[] }) =>
      `Not saved: ${p.reasons.map((r) => r.en).join(' ')}`,
    zh: (p: { reasons: readonly ErrorText[] }) => `未保存：${p.reasons.map((r) => r.zh).join('')}`,
  },
  DEVICE_CONFIG_INVALID: {
    code: 'CONFIG_INVALID',
    en: (p: Problems) =>
      `Not saved, the configuration would not be valid: ${p.problems.join('; ')}`,
    zh: (p: Problems) => `未保存：配置无效（${p.problems.join('；')}）`,
  },
  // The terminal.
  INQUIRY_RUNNING: {
    code: 'BUSY',
    en: 'Another inquiry is still running. Wait, or cancel it first.',
    zh: '上一笔查询尚未结束，请稍候或先取消。',
  },
  DEVICE_TEST_RUNNING: {
    code: 'BUSY',
    en: 'An inquiry or another device test is running. Wait until it ends, then try again.',
    zh: '正在查询或测试设备，请等其结束后再试。',
  },
  TERMINAL_REOPENING: {
    code: 'BUSY',
    en: 'The terminal is being reopened with the new settings. Try again in a moment.',
    zh: '正在按新设置重新打开终端，请稍后再试。',
  },
  CONSOLE_STOPPING: {
    code: 'TERMINAL_CLOSED',
    en: 'The console is stopping.',
    zh: '收银台正在关闭。',
  },
  TERMINAL_CLOSED: {
    en: (p: { why: ErrorText }) =>
      `The terminal is closed: it could not be opened with the new settings nor with the previous ones (${p.why.en}). A supervisor can correct the settings and apply them again, or restart the console.`,
    zh: (p: { why: ErrorText }) =>
      `终端已关闭：新设置和原设置都无法打开终端（${p.why.zh}）。请主管修改设置后重新应用，或重启收银台。`,
  },
  TRAINING_ONLY: {
    en: 'Only in training mode.',
    zh: '仅培训模式可用。',
  },
  // Devices.
  NO_PINPAD_DRIVER: {
    code: 'BAD_ARGUMENTS',
    en: (p: { protocol: string }) => `No PIN pad driver for the protocol "${p.protocol}".`,
    zh: (p: { protocol: string }) => `没有该协议的密码键盘驱动："${p.protocol}"。`,
  },
  DEVICE_APPROVAL_PASSWORD: {
    code: 'FORBIDDEN',
    en: 'Not approved: wrong password. Enter your own supervisor password.',
    zh: '未批准：密码错误，请输入您本人的主管密码。',
  },
  NOTHING_TO_APPROVE: {
    code: 'NOT_FOUND',
    en: 'No replaced PIN pad is waiting for approval.',
    zh: '没有待确认的更换密码键盘。',
  },
  PRINTER_NOTHING_TO_APPROVE: {
    code: 'NOT_FOUND',
    en: 'No replaced printer is waiting for approval.',
    zh: '没有待确认的更换打印机。',
  },
  PINPAD_MODEL_NOT_APPROVED: {
    code: 'FORBIDDEN',
    en: (p: { model: string }) =>
      `The PIN pad model ${p.model} is not on the approved models list. Use an approved model, or add this one to the list first.`,
    zh: (p: { model: string }) =>
      `密码键盘型号 ${p.model} 不在已批准型号清单中，请使用清单内的型号，或先将其加入清单。`,
  },
  PINPAD_IDENTITY_UNREADABLE: {
    code: 'DEVICE',
    en: (p: { why: ErrorText }) =>
      `Not assigned: the PIN pad on this port did not say which model it is, so it cannot be checked against the approved models list (${p.why.en}).`,
    zh: (p: { why: ErrorText }) =>
      `未指定：该串口上的密码键盘未能报告型号，无法与已批准型号清单核对（${p.why.zh}）。`,
  },
  NO_PRINTER: {
    code: 'PRINTER',
    en: 'No printer is configured.',
    zh: '未配置打印机。',
  },
  NO_PRINTER_VIEW_ONLY: {
    code: 'PRINTER',
    en: 'No printer is configured.',
    zh: '未配置打印机，只能查看。',
  },
  // Inquiries and the log.
  INQUIRY_NOT_FOUND: {
    code: 'NOT_FOUND',
    en: 'No such inquiry in the log.',
    zh: '日志中没有这笔查询。',
  },
  NO_SLIP: {
    code: 'NOT_FOUND',
    en: 'Only an answered inquiry with a balance has a slip.',
    zh: '只有查询成功并返回余额的交易才能打印凭条。',
  },
  CANCEL_FORBIDDEN: {
    code: 'FORBIDDEN',
    en: 'Only the operator who started this inquiry, or a supervisor, may cancel it.',
    zh: '只有发起该查询的操作员或主管可以取消。',
  },
});

export interface ApiErrorData {
  name: 'ApiError';
  code: ApiErrorCode;
  message: string;
  messageZh: string;
  details?: Record<string, unknown>;
}

/**
 * An API error: one of the console's refusals (`new ApiError('NOT_LOGGED_IN')`), or a layer's
 * error retold under the code of its kind (`new ApiError({ code: 'HOST', from: err })`).
 */
export class ApiError extends errorClass<typeof API_ERRORS, CashierErrorOptions, ApiErrorCode>(
  API_ERRORS,
) {
  override readonly name = 'ApiError';

  toData(): ApiErrorData {
    const data: ApiErrorData = {
      name: 'ApiError',
      code: this.code,
      message: this.message,
      messageZh: this.messageZh,
    };
    if (this.details) data.details = this.details;
    return data;
  }
}

export function isApiErrorData(value: unknown): value is ApiErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ApiErrorData).name === 'ApiError' &&
    typeof (value as ApiErrorData).code === 'string'
  );
}
