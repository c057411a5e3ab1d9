// Typed errors of the bank host link: HOST_ codes and the words a cashier reads, from this one
// catalogue. Codec and key errors below (ISO 8583, crypto) are retold as these where the client
// meets them (HOST_BAD_FRAME, HOST_BAD_REQUEST, HOST_KEYS_REFUSED).
import { errorCatalogue, errorClass, type CashierErrorOptions, type CodeOf } from '../common';

export interface HostErrorOptions extends CashierErrorOptions {
  /** The host's response code (F39), when it answered with one. */
  responseCode?: string;
}

export const HOST_ERRORS = errorCatalogue({
  HOST_CONNECT_FAILED: {
    en: 'cannot connect to the bank host',
    zh: '无法连接银行主机，请检查网络',
  },
  HOST_CONNECT_TIMEOUT: {
    en: 'connecting to the bank host timed out',
    zh: '连接银行主机超时，请检查网络',
  },
  HOST_TIMEOUT: {
    en: 'the bank host did not answer in time',
    zh: '银行主机应答超时，请稍后重试',
  },
  HOST_CONNECTION_CLOSED: {
    en: 'the bank host closed the connection',
    zh: '银行主机断开了连接，请稍后重试',
  },
  HOST_TLS_PIN_MISMATCH: {
    en: "the bank host's certificate does not match the pinned one",
    zh: '银行主机证书不符，已拒绝连接，请联系管理员',
  },
  HOST_BAD_MAC: {
    en: 'the answer failed the MAC check and is not trusted',
    zh: '银行应答校验失败（MAC错），结果不可信，请重新签到后重试',
  },
  HOST_MISMATCHED_RESPONSE: {
    en: 'the answer does not belong to this request',
    zh: '银行应答与请求不符，结果不可信，请重试',
  },
  HOST_BAD_FRAME: {
    en: 'the bank host sent a malformed message',
    zh: '银行应答报文格式错误',
  },
  HOST_NOT_SIGNED_ON: {
    en: 'the terminal is not signed on',
    zh: '终端未签到，请先签到',
  },
  HOST_SIGN_ON_FAILED: {
    en: 'sign-on was refused by the bank host',
    zh: '签到失败',
  },
  HOST_KEYS_REFUSED: {
    en: 'the working keys failed their check values and were refused',
    zh: '工作密钥校验失败，已拒绝，请检查主密钥后重新签到',
  },
  HOST_NO_MASTER_KEY: {
    en: 'no terminal master key is loaded',
    zh: '未装载终端主密钥，请联系管理员灌装主密钥',
  },
  HOST_KEYS_SEALED: {
    en: 'the keys are sealed by the operating system for the console app: run this key command with the console app (收银台 --cli ...)',
    zh: '密钥已由操作系统加密保护，仅收银台程序可读取：请用收银台程序执行此密钥命令（收银台 --cli ...）',
  },
  HOST_KEYS_UNREADABLE: {
    en: 'the key store cannot be read (damaged, or copied from another PC): load the keys again',
    zh: '密钥文件无法读取（已损坏或来自其他电脑），请重新灌装密钥',
  },
  HOST_BAD_REQUEST: {
    en: 'the request data is not valid',
    zh: '请求数据不合法',
  },
  HOST_CLOSED: {
    en: 'the host client has been closed',
    zh: '银行连接已关闭',
  },
});

export type HostErrorCode = CodeOf<typeof HOST_ERRORS>;

export class HostError extends errorClass<typeof HOST_ERRORS, HostErrorOptions>(HOST_ERRORS) {
  override readonly name = 'HostError';
  /** The host's response code (F39), when it answered with one. */
  readonly responseCode?: string = this.options?.responseCode;
}
