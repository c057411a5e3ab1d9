// Typed errors of the bank host link. A cashier sees `messageZh` (or `message` in English).
export type HostErrorCode =
  | 'HOST_CONNECT_FAILED'
  | 'HOST_CONNECT_TIMEOUT'
  | 'HOST_TIMEOUT'
  | 'HOST_CONNECTION_CLOSED'
  | 'HOST_TLS_PIN_MISMATCH'
  | 'HOST_BAD_MAC'
  | 'HOST_MISMATCHED_RESPONSE'
  | 'HOST_BAD_FRAME'
  | 'HOST_NOT_SIGNED_ON'
  | 'HOST_SIGN_ON_FAILED'
  | 'HOST_KEYS_REFUSED'
  | 'HOST_NO_MASTER_KEY'
  | 'HOST_KEYS_SEALED'
  | 'HOST_KEYS_UNREADABLE'
  | 'HOST_BAD_REQUEST'
  | 'HOST_CLOSED';

const TEXT: Record<HostErrorCode, [string, string]> = {
  HOST_CONNECT_FAILED: ['cannot connect to the bank host', '无法连接银行主机，请检查网络'],
  HOST_CONNECT_TIMEOUT: ['connecting to the bank host timed out', '连接银行主机超时，请检查网络'],
  HOST_TIMEOUT: ['the bank host did not answer in time', '银行主机应答超时，请稍后重试'],
  HOST_CONNECTION_CLOSED: ['the bank host closed the connection', '银行主机断开了连接，请稍后重试'],
  HOST_TLS_PIN_MISMATCH: [
    "the bank host's certificate does not match the pinned one",
    '银行主机证书不符，已拒绝连接，请联系管理员',
  ],
  HOST_BAD_MAC: [
    'the answer failed the MAC check and is not trusted',
    '银行应答校验失败（MAC错），结果不可信，请重新签到后重试',
  ],
  HOST_MISMATCHED_RESPONSE: [
    'the answer does not belong to this request',
    '银行应答与请求不符，结果不可信，请重试',
  ],
  HOST_BAD_FRAME: ['the bank host sent a malformed message', '银行应答报文格式错误'],
  HOST_NOT_SIGNED_ON: ['the terminal is not signed on', '终端未签到，请先签到'],
  HOST_SIGN_ON_FAILED: ['sign-on was refused by the bank host', '签到失败'],
  HOST_KEYS_REFUSED: [
    'the working keys failed their check values and were refused',
    '工作密钥校验失败，已拒绝，请检查主密钥后重新签到',
  ],
  HOST_NO_MASTER_KEY: [
    'no terminal master key is loaded',
    '未装载终端主密钥，请联系管理员灌装主密钥',
  ],
  HOST_KEYS_SEALED: [
    'the keys are sealed by the operating system for the console app: run this key command with the console app (收银台 --cli ...)',
    '密钥已由操作系统加密保护，仅收银台程序可读取：请用收银台程序执行此密钥命令（收银台 --cli ...）',
  ],
  HOST_KEYS_UNREADABLE: [
    'the key store cannot be read (damaged, or copied from another PC): load the keys again',
    '密钥文件无法读取（已损坏或来自其他电脑），请重新灌装密钥',
  ],
  HOST_BAD_REQUEST: ['the request data is not valid', '请求数据不合法'],
  HOST_CLOSED: ['the host client has been closed', '银行连接已关闭'],
};

export class HostError extends Error {
  override readonly name = 'HostError';
  readonly messageZh: string;
  constructor(
    readonly code: HostErrorCode,
    detail?: string,
    readonly responseCode?: string,
  ) {
    const [en, zh] = TEXT[code];
    super(detail ? `${en}: ${detail}` : en);
    this.messageZh = zh;
  }
}
