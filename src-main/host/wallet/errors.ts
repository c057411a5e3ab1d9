// Typed errors of the wallet client. Every error has a stable `code` (the wallet host's own codes
// as the host sends them, and the client's), an English `message` and a Chinese `messageZh` a
// cashier can read aloud, from this one catalogue. `kind` tells the workflow what to do next:
// retry later (timeout / network), call the administrator (tls / bad-response / config),
// or tell the customer (refused / input).
import { CashierError, errorCatalogue, messageOf, type ErrorMessage } from '../../common';

/** Codes the wallet host sends in `error.code` (see PROTOCOL.md, "Error codes"). */
export const walletHostErrorCodes = [
  'BAD_REQUEST',
  'UNKNOWN_TERMINAL',
  'BAD_SIGNATURE',
  'STALE_TIMESTAMP',
  'REPLAYED_NONCE',
  'UNKNOWN_ACCOUNT',
  'ACCOUNT_FROZEN',
  'SMS_TOO_FREQUENT',
  'SMS_CODE_NOT_REQUESTED',
  'SMS_CODE_WRONG',
  'SMS_CODE_EXPIRED',
  'SMS_CODE_TRIES_EXCEEDED',
  'PASSWORD_WRONG',
  'PASSWORD_LOCKED',
  'PIN_BLOCK_INVALID',
  'PIN_KEY_UNAVAILABLE',
  'SYSTEM_ERROR',
] as const;
export type WalletHostErrorCode = (typeof walletHostErrorCodes)[number];

/** Codes the client raises by itself, before or instead of a host answer. */
export type WalletLocalErrorCode =
  | 'ACCOUNT_INVALID'
  | 'SMS_CODE_FORMAT'
  | 'PIN_BLOCK_FORMAT'
  | 'CONFIG_INVALID'
  | 'CONNECT_TIMEOUT'
  | 'RESPONSE_TIMEOUT'
  | 'UNREACHABLE'
  | 'CONNECTION_LOST'
  | 'TLS_FAILED'
  | 'CERT_PIN_MISMATCH'
  | 'BAD_RESPONSE_SIGNATURE'
  | 'BAD_RESPONSE';

export type WalletErrorCode = WalletHostErrorCode | WalletLocalErrorCode;

export type WalletErrorKind =
  'input' | 'config' | 'timeout' | 'network' | 'tls' | 'bad-response' | 'refused';

/** English and Chinese texts for every code; the host sends the same texts for its codes. */
export const WALLET_ERRORS = errorCatalogue({
  BAD_REQUEST: {
    en: 'request not understood by the wallet host',
    zh: '请求格式错误',
  },
  UNKNOWN_TERMINAL: {
    en: 'terminal not registered with the wallet host',
    zh: '终端未在钱包主机登记，请联系管理员',
  },
  BAD_SIGNATURE: {
    en: 'request signature rejected (terminal key mismatch?)',
    zh: '请求签名错误，请联系管理员核对终端密钥',
  },
  STALE_TIMESTAMP: {
    en: 'terminal clock differs from the host by more than 5 minutes; check the PC clock',
    zh: '终端时间与主机相差超过5分钟，请校准电脑时间',
  },
  REPLAYED_NONCE: {
    en: 'duplicate request refused',
    zh: '重复的请求已被拒绝',
  },
  UNKNOWN_ACCOUNT: {
    en: 'account not found',
    zh: '账户不存在',
  },
  ACCOUNT_FROZEN: {
    en: 'account frozen',
    zh: '账户已冻结',
  },
  SMS_TOO_FREQUENT: {
    en: 'a code was sent moments ago; wait a minute before asking again',
    zh: '验证码发送过于频繁，请稍后再试',
  },
  SMS_CODE_NOT_REQUESTED: {
    en: 'request a code first',
    zh: '请先获取验证码',
  },
  SMS_CODE_WRONG: {
    en: 'wrong code',
    zh: '验证码错误',
  },
  SMS_CODE_EXPIRED: {
    en: 'code expired, request a new one',
    zh: '验证码已过期，请重新获取',
  },
  SMS_CODE_TRIES_EXCEEDED: {
    en: 'too many wrong codes, request a new one',
    zh: '验证码错误次数过多，请重新获取',
  },
  PASSWORD_WRONG: {
    en: 'wrong payment password',
    zh: '支付密码错误',
  },
  PASSWORD_LOCKED: {
    en: 'payment password locked after too many wrong tries',
    zh: '支付密码错误次数过多，已锁定',
  },
  PIN_KEY_UNAVAILABLE: {
    en: 'the wallet host has no payment-password key for this terminal; use an SMS code',
    zh: '钱包主机未为本终端配置支付密码密钥，请改用短信验证码',
  },
  PIN_BLOCK_INVALID: {
    en: 'password data could not be read (PIN pad key or format mismatch)',
    zh: '密码数据无法识别，请检查密码键盘密钥',
  },
  SYSTEM_ERROR: {
    en: 'wallet host system fault, try again later',
    zh: '钱包主机故障，请稍后再试',
  },
  ACCOUNT_INVALID: {
    en: 'enter an 11-digit mobile number or a 16-digit payment account number',
    zh: '请输入11位手机号或16位支付账户号',
  },
  SMS_CODE_FORMAT: {
    en: 'the code has 6 digits',
    zh: '验证码应为6位数字',
  },
  PIN_BLOCK_FORMAT: {
    en: 'password block must be 8 bytes',
    zh: '密码数据长度错误',
  },
  CONFIG_INVALID: {
    en: 'payment institution host settings are incomplete or invalid',
    zh: '支付机构主机参数设置错误，请联系管理员',
  },
  CONNECT_TIMEOUT: {
    en: 'connecting to the payment institution host timed out; check the network',
    zh: '连接支付机构主机超时，请检查网络',
  },
  RESPONSE_TIMEOUT: {
    en: 'the payment institution host did not answer in time; try again',
    zh: '支付机构主机响应超时，请重试',
  },
  UNREACHABLE: {
    en: 'cannot reach the payment institution host; check the network',
    zh: '无法连接支付机构主机，请检查网络',
  },
  CONNECTION_LOST: {
    en: 'connection to the payment institution host was cut; try again',
    zh: '与支付机构主机的连接中断，请重试',
  },
  TLS_FAILED: {
    en: 'secure connection to the payment institution host failed (certificate not trusted)',
    zh: '与支付机构主机的安全连接失败（证书不受信任），请联系管理员',
  },
  CERT_PIN_MISMATCH: {
    en: 'payment institution host certificate does not match the pinned fingerprint',
    zh: '支付机构主机证书与预置指纹不符，已中止连接，请联系管理员',
  },
  BAD_RESPONSE_SIGNATURE: {
    en: 'payment institution host reply has a bad signature (terminal key mismatch?)',
    zh: '支付机构主机应答签名错误，请联系管理员核对终端密钥',
  },
  BAD_RESPONSE: {
    en: 'payment institution host reply not understood',
    zh: '支付机构主机应答无法识别',
  },
} satisfies Record<WalletErrorCode, ErrorMessage>);

export function isWalletHostErrorCode(code: unknown): code is WalletHostErrorCode {
  return typeof code === 'string' && (walletHostErrorCodes as readonly string[]).includes(code);
}

export class WalletError extends CashierError<WalletErrorCode> {
  override readonly name: string = 'WalletError';
  declare readonly details: Record<string, unknown>;
  constructor(
    code: WalletErrorCode,
    readonly kind: WalletErrorKind,
    details: Record<string, unknown> = {},
  ) {
    super(code, messageOf(WALLET_ERRORS, code, undefined).text, { details });
  }
}

/** Bad input from the cashier screen, refused before anything is sent. */
export class WalletInputError extends WalletError {
  override readonly name = 'WalletInputError';
  constructor(code: 'ACCOUNT_INVALID' | 'SMS_CODE_FORMAT' | 'PIN_BLOCK_FORMAT') {
    super(code, 'input');
  }
}

export class WalletConfigError extends WalletError {
  override readonly name = 'WalletConfigError';
  constructor(reason: string) {
    super('CONFIG_INVALID', 'config', { reason });
  }
}

export class WalletTimeoutError extends WalletError {
  override readonly name = 'WalletTimeoutError';
  constructor(
    readonly phase: 'connect' | 'response',
    timeoutMs: number,
  ) {
    super(phase === 'connect' ? 'CONNECT_TIMEOUT' : 'RESPONSE_TIMEOUT', 'timeout', { timeoutMs });
  }
}

export class WalletNetworkError extends WalletError {
  override readonly name = 'WalletNetworkError';
  constructor(code: 'UNREACHABLE' | 'CONNECTION_LOST', cause: string) {
    super(code, 'network', { cause });
  }
}

export class WalletTlsError extends WalletError {
  override readonly name = 'WalletTlsError';
  constructor(code: 'TLS_FAILED' | 'CERT_PIN_MISMATCH', details: Record<string, unknown>) {
    super(code, 'tls', details);
  }
}

/**
 * The reply could not be trusted or read. For a bad signature, `details.unverifiedCode` holds
 * the error code the (untrusted) body claimed, which helps an administrator diagnose a key
 * mismatch but must not drive the workflow.
 */
export class WalletBadResponseError extends WalletError {
  override readonly name = 'WalletBadResponseError';
  constructor(code: 'BAD_RESPONSE_SIGNATURE' | 'BAD_RESPONSE', details: Record<string, unknown>) {
    super(code, 'bad-response', details);
  }
}

/** A signed, verified refusal from the wallet host. */
export class WalletRefusedError extends WalletError {
  override readonly name = 'WalletRefusedError';
  constructor(
    code: WalletHostErrorCode,
    readonly httpStatus: number,
    /** Wrong SMS code or password: how many more tries the host allows. */
    readonly triesLeft: number | undefined,
  ) {
    super(code, 'refused', triesLeft === undefined ? { httpStatus } : { httpStatus, triesLeft });
  }
}
