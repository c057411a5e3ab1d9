// A fixed sample slip for diagnostics (`cashier print-slip --sample`), tests and benchmarks.
import type { BalanceSlipData } from './types';

export function sampleBalanceSlipData(): BalanceSlipData {
  return {
    merchantName: '示例超市（南京路店）',
    merchantId: '898310048161234',
    terminalId: '10482001',
    operatorId: '01',
    dateTime: '2026-11-23T13:30:05Z',
    accountKind: 'bank-card',
    maskedAccount: '622202******1234',
    ledgerBalance: 12345678,
    availableBalance: 123456,
    rrn: '332113000123',
    trace: '000123',
    copy: 'customer',
  };
}
