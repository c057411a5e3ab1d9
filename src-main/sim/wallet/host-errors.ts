// Error answers of the simulated wallet host: stable code, HTTP status, English and Chinese text.
// The host is a separate system from the till, so it keeps its own table (a test checks that it
// agrees with the client's).

export type WalletSimErrorCode =
  | 'BAD_REQUEST'
  | 'UNKNOWN_TERMINAL'
  | 'BAD_SIGNATURE'
  | 'STALE_TIMESTAMP'
  | 'REPLAYED_NONCE'
  | 'UNKNOWN_ACCOUNT'
  | 'ACCOUNT_FROZEN'
  | 'SMS_TOO_FREQUENT'
  | 'SMS_CODE_NOT_REQUESTED'
  | 'SMS_CODE_WRONG'
  | 'SMS_CODE_EXPIRED'
  | 'SMS_CODE_TRIES_EXCEEDED'
  | 'PASSWORD_WRONG'
  | 'PASSWORD_LOCKED'
  | 'PIN_BLOCK_INVALID'
  | 'PIN_KEY_UNAVAILABLE'
  | 'SYSTEM_ERROR';

export const walletSimErrors: Record<
  WalletSimErrorCode,
  { status: number; en: string; zh: string }
> = {
  BAD_REQUEST: {
    status: 400,
    en: 'request not understood by the wallet host',
    zh: '请求格式错误',
  },
  UNKNOWN_TERMINAL: {
    status: 401,
    en: 'terminal not registered with the wallet host',
    zh: '终端未在钱包主机登记，请联系管理员',
  },
  BAD_SIGNATURE: {
    status: 401,
    en: 'request signature rejected (terminal key mismatch?)',
    zh: '请求签名错误，请联系管理员核对终端密钥',
  },
  STALE_TIMESTAMP: {
    status: 401,
    en: 'terminal clock differs from the host by more than 5 minutes; check the PC clock',
    zh: '终端时间与主机相差超过5分钟，请校准电脑时间',
  },
  REPLAYED_NONCE: {
    status: 401,
    en: 'duplicate request refused',
    zh: '重复的请求已被拒绝',
  },
  UNKNOWN_ACCOUNT: {
    status: 404,
    en: 'account not found',
    zh: '账户不存在',
  },
  ACCOUNT_FROZEN: {
    status: 403,
    en: 'account frozen',
    zh: '账户已冻结',
  },
  SMS_TOO_FREQUENT: {
    status: 429,
    en: 'a code was sent moments ago; wait a minute before asking again',
    zh: '验证码发送过于频繁，请稍后再试',
  },
  SMS_CODE_NOT_REQUESTED: {
    status: 422,
    en: 'request a code first',
    zh: '请先获取验证码',
  },
  SMS_CODE_WRONG: {
    status: 422,
    en: 'wrong code',
    zh: '验证码错误',
  },
  SMS_CODE_EXPIRED: {
    status: 422,
    en: 'code expired, request a new one',
    zh: '验证码已过期，请重新获取',
  },
  SMS_CODE_TRIES_EXCEEDED: {
    status: 429,
    en: 'too many wrong codes, request a new one',
    zh: '验证码错误次数过多，请重新获取',
  },
  PASSWORD_WRONG: {
    status: 422,
    en: 'wrong payment password',
    zh: '支付密码错误',
  },
  PASSWORD_LOCKED: {
    status: 423,
    en: 'payment password locked after too many wrong tries',
    zh: '支付密码错误次数过多，已锁定',
  },
  PIN_BLOCK_INVALID: {
    status: 422,
    en: 'password data could not be read (PIN pad key or format mismatch)',
    zh: '密码数据无法识别，请检查密码键盘密钥',
  },
  PIN_KEY_UNAVAILABLE: {
    status: 409,
    en: 'the wallet host has no payment-password key for this terminal; use an SMS code',
    zh: '钱包主机未为本终端配置支付密码密钥，请改用短信验证码',
  },
  SYSTEM_ERROR: {
    status: 500,
    en: 'wallet host system fault, try again later',
    zh: '钱包主机故障，请稍后再试',
  },
};

export function isWalletSimErrorCode(code: unknown): code is WalletSimErrorCode {
  return typeof code === 'string' && Object.hasOwn(walletSimErrors, code);
}
