// Printed wording per language. Chinese first: most slips in the shop are read in Chinese.
import type { AccountKind, SlipCopy, SlipLanguage } from './types';

export interface SlipLabels {
  title: string;
  copy: Record<SlipCopy, string>;
  /** The customer's copy of a bank-card slip is the cardholder's. */
  cardholderCopy: string;
  reprint: string;
  /** On every slip of a training inquiry, so it is never taken for a real one. */
  training: string;
  merchantId: string;
  terminalId: string;
  operator: string;
  dateTime: string;
  accountKind: string;
  accountKinds: Record<AccountKind, string>;
  accountNumber: Record<AccountKind, string>;
  ledgerBalance: string;
  availableBalance: string;
  /** The host's reference: a bank card's RRN (F37), a payment account's wallet host reference. */
  rrn: Record<AccountKind, string>;
  trace: string;
  noMoneyMoved: string;
  testTitle: string;
  testChinese: string;
  testPaper: string;
  testColumns: string;
  testAmount: string;
  testEnd: string;
}

export const SLIP_LABELS: Record<SlipLanguage, SlipLabels> = {
  'zh-CN': {
    title: '余额查询凭条',
    copy: { customer: '客户存根', merchant: '商户存根' },
    cardholderCopy: '持卡人存根',
    reprint: '重打印',
    training: '*** 培训 仅供练习 TRAINING ***',
    merchantId: '商户编号',
    terminalId: '终端编号',
    operator: '操作员',
    dateTime: '日期时间',
    accountKind: '账户类型',
    accountKinds: { 'bank-card': '银行卡', 'payment-account': '支付账户' },
    accountNumber: { 'bank-card': '卡号', 'payment-account': '账号' },
    ledgerBalance: '账面余额',
    availableBalance: '可用余额',
    rrn: { 'bank-card': '参考号', 'payment-account': '交易参考号' },
    trace: '凭证号',
    noMoneyMoved: '本笔为余额查询，不发生资金变动',
    testTitle: '打印机测试页',
    testChinese: '中文：收银台余额查询',
    testPaper: '纸宽',
    testColumns: '每行字数',
    testAmount: '金额',
    testEnd: '测试结束',
  },
  en: {
    title: 'BALANCE INQUIRY',
    copy: { customer: 'CUSTOMER COPY', merchant: 'MERCHANT COPY' },
    cardholderCopy: 'CARDHOLDER COPY',
    reprint: 'REPRINT',
    training: '*** TRAINING ONLY 培训 ***',
    merchantId: 'Merchant ID',
    terminalId: 'Terminal ID',
    operator: 'Operator',
    dateTime: 'Date/Time',
    accountKind: 'Account type',
    accountKinds: { 'bank-card': 'Bank card', 'payment-account': 'Payment account' },
    accountNumber: { 'bank-card': 'Card No.', 'payment-account': 'Account' },
    ledgerBalance: 'Ledger balance',
    availableBalance: 'Available',
    rrn: { 'bank-card': 'Ref. No. (RRN)', 'payment-account': 'Reference' },
    trace: 'Trace No.',
    noMoneyMoved: 'Balance inquiry only: no money was moved.',
    testTitle: 'PRINTER TEST PAGE',
    testChinese: 'Chinese: 收银台余额查询',
    testPaper: 'Paper',
    testColumns: 'Columns',
    testAmount: 'Amount',
    testEnd: 'END OF TEST',
  },
};
