// Typed errors for slip input that must never reach paper: SLIP_ codes and their words from this
// one catalogue.
import { errorCatalogue, errorClass, type CodeOf } from '../../common';

/** What each required slip field is called, for a message a cashier can read. */
const REQUIRED_FIELDS = {
  merchantName: { en: 'merchant name', zh: '商户名称' },
  merchantId: { en: 'merchant ID', zh: '商户编号' },
  terminalId: { en: 'terminal ID', zh: '终端编号' },
  operatorId: { en: 'operator number', zh: '操作员号' },
  maskedAccount: { en: 'account number', zh: '账号' },
} as const;

export type RequiredSlipField = keyof typeof REQUIRED_FIELDS;

interface Missing {
  field: RequiredSlipField;
}

export const SLIP_ERRORS = errorCatalogue({
  SLIP_ACCOUNT_NOT_MASKED: {
    en: 'Refusing to print an account number that is not masked (at most the first 6 and last 4 digits)',
    zh: '账号未做掩码处理，拒绝打印',
  },
  SLIP_FIELD_MISSING: {
    code: 'SLIP_BAD_DATA',
    en: (p: Missing) =>
      `The slip cannot be made: the ${REQUIRED_FIELDS[p.field].en} is missing. Check the settings.`,
    zh: (p: Missing) => `无法生成凭条：缺少${REQUIRED_FIELDS[p.field].zh}，请检查设置。`,
  },
  SLIP_BAD_AMOUNT: {
    code: 'SLIP_BAD_DATA',
    en: 'Amount must be a whole number of fen',
    zh: '金额格式错误（须为整数分）',
  },
  SLIP_BAD_DATE: {
    code: 'SLIP_BAD_DATA',
    en: 'Invalid date and time',
    zh: '日期时间无效',
  },
});

export type SlipErrorCode = CodeOf<typeof SLIP_ERRORS>;

export class SlipError extends errorClass(SLIP_ERRORS) {
  override readonly name = 'SlipError';
}
