// Typed errors of the ISO 8583 codec. Bad bytes from the wire always end here, never in a
// RangeError or a hang. Messages name fields and lengths, never field contents.
export type Iso8583ErrorCode =
  | 'ISO_TRUNCATED'
  | 'ISO_BAD_LENGTH'
  | 'ISO_NOT_BCD'
  | 'ISO_UNDEFINED_FIELD'
  | 'ISO_LENGTH_EXCEEDS_MAX'
  | 'ISO_BAD_VALUE'
  | 'ISO_TRAILING_BYTES'
  | 'ISO_BAD_MTI'
  | 'ISO_SECONDARY_BITMAP'
  | 'ISO_BAD_BALANCE';

const zh: Record<Iso8583ErrorCode, string> = {
  ISO_TRUNCATED: '银行报文不完整',
  ISO_BAD_LENGTH: '银行报文长度错误',
  ISO_NOT_BCD: '银行报文含非法数字',
  ISO_UNDEFINED_FIELD: '银行报文含未定义的域',
  ISO_LENGTH_EXCEEDS_MAX: '银行报文域长度超限',
  ISO_BAD_VALUE: '报文域的值不合法',
  ISO_TRAILING_BYTES: '银行报文末尾有多余数据',
  ISO_BAD_MTI: '银行报文类型错误',
  ISO_SECONDARY_BITMAP: '银行报文含不支持的扩展位图',
  ISO_BAD_BALANCE: '银行返回的余额格式错误',
};

export class Iso8583Error extends Error {
  override readonly name = 'Iso8583Error';
  readonly messageZh: string;
  constructor(
    readonly code: Iso8583ErrorCode,
    message: string,
    readonly field?: number,
  ) {
    super(field === undefined ? message : `field ${field}: ${message}`);
    this.messageZh = field === undefined ? zh[code] : `${zh[code]}（第${field}域）`;
  }
}
