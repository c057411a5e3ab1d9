// Typed errors of the ISO 8583 codec. Bad bytes from the wire always end here, never in a
// RangeError or a hang. Messages name fields and lengths, never field contents. The bank host
// client retells them as HOST_BAD_FRAME (an answer) or HOST_BAD_REQUEST (a request).
import { CashierError, errorCatalogue, messageOf } from '../../common';

interface Field {
  /** The field concerned, when there is one. */
  field: number | undefined;
}

const inField = ({ field }: Field) => (field === undefined ? '' : ` in field ${field}`);
const inFieldZh = ({ field }: Field) => (field === undefined ? '' : `（第${field}域）`);

export const ISO8583_ERRORS = errorCatalogue({
  ISO_TRUNCATED: {
    en: (p: Field) => `bank message truncated${inField(p)}`,
    zh: (p: Field) => `银行报文不完整${inFieldZh(p)}`,
  },
  ISO_BAD_LENGTH: {
    en: (p: Field) => `wrong length${inField(p)}`,
    zh: (p: Field) => `银行报文长度错误${inFieldZh(p)}`,
  },
  ISO_NOT_BCD: {
    en: (p: Field) => `not a BCD number${inField(p)}`,
    zh: (p: Field) => `银行报文含非法数字${inFieldZh(p)}`,
  },
  ISO_UNDEFINED_FIELD: {
    en: (p: Field) =>
      `${p.field === undefined ? 'a field' : `field ${p.field}`} that the dialect does not define`,
    zh: (p: Field) => `银行报文含未定义的域${inFieldZh(p)}`,
  },
  ISO_LENGTH_EXCEEDS_MAX: {
    en: (p: Field) => `longer than allowed${inField(p)}`,
    zh: (p: Field) => `银行报文域长度超限${inFieldZh(p)}`,
  },
  ISO_BAD_VALUE: {
    en: (p: Field) => `value not valid${inField(p)}`,
    zh: (p: Field) => `报文域的值不合法${inFieldZh(p)}`,
  },
  ISO_TRAILING_BYTES: {
    en: (p: Field) => `bytes after the message${inField(p)}`,
    zh: (p: Field) => `银行报文末尾有多余数据${inFieldZh(p)}`,
  },
  ISO_BAD_MTI: {
    en: (p: Field) => `bad message type${inField(p)}`,
    zh: (p: Field) => `银行报文类型错误${inFieldZh(p)}`,
  },
  ISO_SECONDARY_BITMAP: {
    en: (p: Field) => `secondary bitmap not supported${inField(p)}`,
    zh: (p: Field) => `银行报文含不支持的扩展位图${inFieldZh(p)}`,
  },
  ISO_BAD_BALANCE: {
    en: (p: Field) => `balance not readable${inField(p)}`,
    zh: (p: Field) => `银行返回的余额格式错误${inFieldZh(p)}`,
  },
});

export type Iso8583ErrorCode = keyof typeof ISO8583_ERRORS;

export class Iso8583Error extends CashierError<Iso8583ErrorCode> {
  override readonly name = 'Iso8583Error';
  /**
   * @param detail what exactly is wrong, in English, for logs (e.g. 'length 120 > max 99')
   * @param field the field concerned, when there is one
   */
  constructor(
    code: Iso8583ErrorCode,
    detail: string,
    readonly field?: number,
  ) {
    super(code, messageOf(ISO8583_ERRORS, code, { field }).text, { detail });
  }
}
