// What the Log screen asks of the core: the daily summary counts every outcome, so its parts
// add up to the total (cancelled ones included), with names per operator; the list names the
// operators; the CSV is in the screen's language (成功 / 刷卡 / 人民币) for a range of days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalDate, outcomeParts, type Outcome } from '../../../src-main/common';
import type { DailySummaryView, LogPage } from '../../../src-main/contract';
import type { FinalOutcome } from '../../../src-main/common';
import { csvHeader, csvRows } from '../../../src-main/store/csv';
import type { InquiryRecord } from '../../../src-main/store';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

let tc: TrainingConsole;

async function logged(outcome: FinalOutcome | 'unknown', i: number): Promise<void> {
  const tx = tc.core.store.transactions;
  const id = await tx.begin({
    operatorId: null,
    operatorNo: '1001',
    accountKind: i % 2 ? 'wallet' : 'card',
    maskedAccount: i % 2 ? '138****5678' : '622202******1234',
    entryMode: i % 2 ? 'sms-code' : 'swipe',
    training: true,
  });
  if (outcome === 'unknown') return;
  await tx.complete(id, {
    outcome,
    responseCode: outcome === 'approved' ? '00' : outcome === 'declined' ? '55' : null,
    ...(outcome === 'approved' ? { availableFen: 12345, ledgerFen: 12345, currency: '156' } : {}),
    durationMs: 10,
  });
}

beforeAll(async () => {
  tc = await openTrainingConsole('log-screen');
  // 7 approved, 2 declined, 2 cancelled, 1 failed: 12 (the 7 + 2 + 2 ≠ 12).
  const outcomes: FinalOutcome[] = [
    ...Array<FinalOutcome>(7).fill('approved'),
    'declined',
    'declined',
    'cancelled',
    'cancelled',
    'failed',
  ];
  for (const [i, o] of outcomes.entries()) await logged(o, i);
}, 60_000);

afterAll(async () => {
  await tc?.close();
});

describe('the Log screen', () => {
  it('summary: the parts add up to the total, cancelled included, per operator with a name', async () => {
    const day = formatLocalDate(new Date());
    const summary = await tc.call<DailySummaryView>(tc.supervisor, 'dailySummary', { day });
    expect(summary.total).toBe(12);
    const { total, parts } = outcomeParts(summary.byOutcome);
    expect(total).toBe(summary.total);
    expect(parts.map((p) => [p.outcome, p.count])).toEqual([
      ['approved', 7],
      ['declined', 2],
      ['failed', 1],
      ['cancelled', 2],
      ['unknown', 0],
    ]);
    expect(summary.byOperator).toEqual([
      expect.objectContaining({ operatorNo: '1001', name: 'Sup', total: 12 }),
    ]);
    const op = summary.byOperator[0]!;
    expect(outcomeParts(op.byOutcome).total).toBe(op.total);
  });

  it('outcomeParts leaves no outcome out', () => {
    const counts: Record<Outcome, number> = {
      unknown: 1,
      approved: 2,
      declined: 3,
      failed: 4,
      cancelled: 5,
    };
    const { total, parts } = outcomeParts(counts);
    expect(total).toBe(15);
    expect(parts).toHaveLength(5);
  });

  it('search names the operators on the page', async () => {
    const page = await tc.call<LogPage>(tc.supervisor, 'searchLog', { operatorNo: '1001' });
    expect(page.rows).toHaveLength(12);
    expect(page.operatorNames).toEqual({ '1001': 'Sup' });
  });

  it('exports a range of days in Chinese, or English, and refuses a range backwards', async () => {
    const today = formatLocalDate(new Date());
    const yesterday = formatLocalDate(new Date(Date.now() - 86_400_000));
    const zh = await tc.call<{ fileName: string; csv: string; rows: number }>(
      tc.supervisor,
      'exportLog',
      {
        fromDay: yesterday,
        toDay: today,
        language: 'zh-CN',
      },
    );
    expect(zh.rows).toBe(12);
    expect(zh.fileName).toBe(`cashier-log-${yesterday}_${today}.csv`);
    const lines = zh.csv.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFF编号,时间,操作员,账户类型,账号,读卡/验证方式,流水号,参考号,结果,应答码,应答类别,账面余额,可用余额,币种,耗时毫秒,打印次数,培训,错误码,错误信息',
    );
    expect(lines[1]).toContain(',银行卡,622202******1234,刷卡,');
    expect(lines[1]).toContain(',成功,00,');
    expect(lines[1]).toContain(',123.45,123.45,人民币,');
    expect(lines[1]).toContain(',是,');
    expect(lines[2]).toContain(',支付账户,138****5678,短信验证码,');
    expect(zh.csv).toContain(',已取消,');
    const en = await tc.call<{ csv: string }>(tc.supervisor, 'exportLog', {
      fromDay: today,
      toDay: today,
      language: 'en',
    });
    expect(en.csv.split('\r\n')[0]).toMatch(/^\uFEFFID,Time,Operator,Account kind/);
    expect(en.csv).toContain(',Bank card,622202******1234,Swipe,');
    expect(en.csv).toContain(',Approved,00,');
    // Yesterday alone holds nothing.
    const none = await tc.call<{ rows: number }>(tc.supervisor, 'exportLog', {
      fromDay: yesterday,
      toDay: yesterday,
      language: 'zh-CN',
    });
    expect(none.rows).toBe(0);
    const backwards = await tc.refused(tc.supervisor, 'exportLog', {
      fromDay: today,
      toDay: yesterday,
    });
    expect(backwards.messageZh).toBe('开始日期不能晚于结束日期。');
  });

  it('without a language (the command line) keeps bilingual headers and the log codes', () => {
    const row = {
      id: 1,
      createdAt: '2026-06-01T02:00:00.000Z',
      outcome: 'approved',
      entryMode: 'chip',
      accountKind: 'card',
      currency: 'CNY',
      training: false,
      printedCount: 0,
    } as InquiryRecord;
    expect(csvHeader().startsWith('\uFEFF编号 ID,时间 Time,')).toBe(true);
    const line = csvRows(
      [
        {
          ...row,
          operatorNo: '01',
          maskedAccount: '622202******1234',
          last4: '1234',
          completedAt: null,
          operatorId: null,
          stan: null,
          responseCode: '00',
          responseClass: null,
          rrn: null,
          ledgerFen: null,
          availableFen: null,
          durationMs: null,
          errorCode: null,
          errorMessage: null,
          lastPrintedAt: null,
        },
      ],
      480,
    );
    expect(line).toContain(',银行卡 card,622202******1234,chip,');
    expect(line).toContain(',approved,00,');
    expect(line).toContain(',CNY,');
  });
});
