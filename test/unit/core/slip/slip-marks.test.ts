// What a slip says about itself: whose copy it is (a bank card's customer is the cardholder),
// a reprint only when a slip was printed before, and a training mark on every training slip,
// on paper (ESC/POS read back as GB18030) and in the preview alike.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src-main/core/config';
import { slipDataFrom } from '../../../../src-main/core/handlers/inquiry';
import {
  renderBalanceSlip,
  sampleBalanceSlipData,
  type BalanceSlipData,
  type PaperWidth,
  type SlipLanguage,
} from '../../../../src-main/core/slip';
import { EscPosParser, EscPosTextRenderer } from '../../../../src-main/protocols/escpos';
import type { InquiryRecord } from '../../../../src-main/store';
import { svgToLines } from './svg-lines';

const TZ = 'Asia/Shanghai';

function paperAndPreview(data: BalanceSlipData, lang: SlipLanguage, paper: PaperWidth = 58) {
  const slip = renderBalanceSlip(data, { paper, lang, timeZone: TZ });
  const parser = new EscPosParser();
  const renderer = new EscPosTextRenderer(paper === 58 ? 32 : 48);
  for (const { token } of parser.push(slip.bytes)) renderer.consume(token);
  return {
    paper: renderer.lines.map((l) => l.trim()),
    preview: svgToLines(slip.svg).map((l) => l.trim()),
  };
}

const record: InquiryRecord = {
  id: 7,
  createdAt: '2026-11-23T13:30:05.000Z',
  completedAt: '2026-11-23T13:30:06.000Z',
  operatorId: 1,
  operatorNo: '1001',
  accountKind: 'card',
  maskedAccount: '622202*********3446',
  last4: '3446',
  entryMode: 'swipe',
  stan: '000123',
  training: true,
  outcome: 'approved',
  responseCode: '00',
  responseClass: 'approved',
  rrn: '332113000123',
  ledgerFen: 1_234_567,
  availableFen: 1_200_000,
  currency: '156',
  durationMs: 900,
  errorCode: null,
  errorMessage: null,
  printedCount: 0,
  lastPrintedAt: null,
};

describe('whose copy a slip is', () => {
  it('a bank card slip is the cardholder copy, a payment account slip the customer copy', () => {
    const card = paperAndPreview(sampleBalanceSlipData(), 'zh-CN');
    expect(card.paper).toContain('持卡人存根');
    expect(card.preview).toContain('持卡人存根');
    expect(paperAndPreview(sampleBalanceSlipData(), 'en').paper).toContain('CARDHOLDER COPY');
    const wallet = paperAndPreview(
      { ...sampleBalanceSlipData(), accountKind: 'payment-account', maskedAccount: '138****5678' },
      'zh-CN',
    );
    expect(wallet.paper).toContain('客户存根');
    expect(wallet.paper.join('\n')).not.toContain('持卡人');
    const merchant = paperAndPreview({ ...sampleBalanceSlipData(), copy: 'merchant' }, 'zh-CN');
    expect(merchant.paper).toContain('商户存根');
  });
});

describe('reprints', () => {
  it('a first print from the log is not a reprint; a print after a printed slip is', () => {
    const config = defaultConfig();
    const first = slipDataFrom(config, { ...record, printedCount: 0 }, 'customer');
    expect(first.reprint).toBe(false);
    expect(paperAndPreview(first, 'zh-CN').paper.join('\n')).not.toContain('重打印');
    const again = slipDataFrom(config, { ...record, printedCount: 1 }, 'customer');
    expect(again.reprint).toBe(true);
    expect(paperAndPreview(again, 'zh-CN').paper).toContain('持卡人存根 (重打印)');
  });
});

describe('training slips', () => {
  it('carry the training mark at the top and the bottom, in both languages and widths', () => {
    const data = slipDataFrom(defaultConfig(), record, 'customer');
    expect(data.training).toBe(true);
    for (const paper of [58, 80] as const) {
      for (const lang of ['zh-CN', 'en'] as const) {
        const { paper: lines, preview } = paperAndPreview(data, lang, paper);
        const marks = lines.filter((l) => l.includes('培训') && l.includes('TRAINING'));
        expect(marks, `${lang} ${paper} mm`).toHaveLength(2);
        // Right under the title, and the last words on the slip.
        expect(lines.indexOf(marks[0]!)).toBeLessThan(4);
        expect(lines.filter((l) => l !== '' && !l.startsWith('\u0000')).at(-2)).toBe(marks[1]);
        expect(preview.filter((l) => l.includes('TRAINING'))).toHaveLength(2);
      }
    }
  });

  it('a live slip has no training mark', () => {
    const data = slipDataFrom(defaultConfig(), { ...record, training: false }, 'customer');
    const { paper, preview } = paperAndPreview(data, 'zh-CN');
    // (The default training merchant is called 培训商户 Training Shop: look for the mark.)
    expect(paper.join('\n')).not.toMatch(/\*\*\*.*TRAINING/);
    expect(preview.join('\n')).not.toMatch(/\*\*\*.*TRAINING/);
  });
});
