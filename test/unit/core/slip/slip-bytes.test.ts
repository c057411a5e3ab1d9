// The slip's ESC/POS bytes read back with Node's ICU GB18030 decoder (not iconv-lite, which
// ReceiptLine used to encode them) must give the expected slip, column for column.
import { describe, expect, it } from 'vitest';
import {
  renderBalanceSlip,
  renderTestPage,
  sampleBalanceSlipData,
} from '../../../../src-main/core/slip';
import type { PaperWidth, SlipLanguage } from '../../../../src-main/core/slip';
import {
  CUT_MARKER,
  EscPosParser,
  EscPosTextRenderer,
} from '../../../../src-main/protocols/escpos';

const TZ = 'Asia/Shanghai';

function decodeToLines(bytes: Uint8Array, columns: number): string[] {
  const parser = new EscPosParser();
  const renderer = new EscPosTextRenderer(columns);
  for (const { token } of parser.push(bytes)) renderer.consume(token);
  return renderer.lines;
}

const EXPECTED_58_ZH = [
  '      示例超市（南京路店）',
  '          余额查询凭条',
  '           持卡人存根',
  '--------------------------------',
  '商户编号         898310048161234',
  '终端编号                10482001',
  '操作员                        01',
  '日期时间     2026-11-23 21:30:05',
  '--------------------------------',
  '账户类型                  银行卡',
  '卡号            622202******1234',
  '账面余额            ￥123,456.78',
  '可用余额              ￥1,234.56',
  '--------------------------------',
  '参考号              332113000123',
  '凭证号                    000123',
  '--------------------------------',
  ' 本笔为余额查询，不发生资金变动',
  '',
  CUT_MARKER,
];

const EXPECTED_58_EN = [
  '      示例超市（南京路店）',
  '         BALANCE INQUIRY',
  '         CARDHOLDER COPY',
  '--------------------------------',
  'Merchant ID      898310048161234',
  'Terminal ID             10482001',
  'Operator                      01',
  'Date/Time    2026-11-23 21:30:05',
  '--------------------------------',
  'Account type           Bank card',
  'Card No.        622202******1234',
  'Ledger balance      ￥123,456.78',
  'Available             ￥1,234.56',
  '--------------------------------',
  'Ref. No. (RRN)      332113000123',
  'Trace No.                 000123',
  '--------------------------------',
  ' Balance inquiry only: no money',
  '           was moved.',
  '',
  CUT_MARKER,
];

describe('balance slip bytes', () => {
  it('58 mm zh-CN decodes to the expected slip', () => {
    const slip = renderBalanceSlip(sampleBalanceSlipData(), {
      paper: 58,
      lang: 'zh-CN',
      timeZone: TZ,
    });
    expect(decodeToLines(slip.bytes, 32)).toEqual(EXPECTED_58_ZH);
  });

  it('58 mm en decodes to the expected slip', () => {
    const slip = renderBalanceSlip(sampleBalanceSlipData(), {
      paper: 58,
      lang: 'en',
      timeZone: TZ,
    });
    expect(decodeToLines(slip.bytes, 32)).toEqual(EXPECTED_58_EN);
  });

  it('80 mm lines are 48 columns wide with the value at the right edge', () => {
    const slip = renderBalanceSlip(sampleBalanceSlipData(), {
      paper: 80,
      lang: 'zh-CN',
      timeZone: TZ,
    });
    const lines = decodeToLines(slip.bytes, 48);
    expect(lines).toContain('-'.repeat(48));
    expect(lines).toContain(`可用余额${' '.repeat(30)}￥1,234.56`);
    expect(lines).toContain(`卡号${' '.repeat(28)}622202******1234`);
  });

  it.each([
    [58, 'zh-CN'],
    [58, 'en'],
    [80, 'zh-CN'],
    [80, 'en'],
  ] as [PaperWidth, SlipLanguage][])(
    '%i mm %s: at most 1,200 bytes, strict GB18030, FS & first, full-width ￥',
    (paper, lang) => {
      const { bytes } = renderBalanceSlip(sampleBalanceSlipData(), { paper, lang, timeZone: TZ });
      expect(bytes.length).toBeLessThanOrEqual(1200);
      // every text run with double-byte characters is printed in Chinese mode (after FS &,
      // which the parser requires again after each ESC @)
      const tokens = new EscPosParser().push(bytes).map((t) => t.token);
      const chinese = tokens.filter((t) => t.kind === 'text' && t.bytes.some((b) => b >= 0x80));
      expect(chinese.length).toBeGreaterThan(0);
      expect(chinese.every((t) => t.kind === 'text' && t.kanji)).toBe(true);
      // ￥ is GB2312 A3 A4, never the 4-byte half-width ¥ (81 30 84 36)
      expect(bytes.includes(Buffer.from('a3a4312c3233342e3536', 'hex'))).toBe(true);
      expect(bytes.includes(Buffer.from('81308436', 'hex'))).toBe(false);
      // no code-page box-drawing glyph from ReceiptLine's horizontal rule
      expect(bytes.includes(Buffer.from([0x1b, 0x74, 0x01]))).toBe(false);
      // the whole text part is valid GB18030 for the strict decoder
      const textBytes: number[] = [];
      for (const { token } of new EscPosParser().push(bytes)) {
        if (token.kind === 'text') textBytes.push(...token.bytes);
        if (token.kind === 'lf') textBytes.push(0x0a);
      }
      const text = new TextDecoder('gb18030', { fatal: true }).decode(Uint8Array.from(textBytes));
      expect(text).toContain('622202******1234');
      expect(text).toContain('￥1,234.56');
      expect(text).not.toMatch(/622202\d/); // the card appears only masked
      // ends with the cut and no status query (the driver adds GS r 1 itself)
      expect(Array.from(bytes.subarray(-4))).toEqual([0x1d, 0x56, 0x42, 0x00]);
    },
  );

  it('a merchant copy, a reprint and a payment account say so', () => {
    const data = {
      ...sampleBalanceSlipData(),
      copy: 'merchant' as const,
      reprint: true,
      accountKind: 'payment-account' as const,
      maskedAccount: '138****5678',
      ledgerBalance: undefined,
    };
    const lines = decodeToLines(
      renderBalanceSlip(data, { paper: 58, lang: 'zh-CN', timeZone: TZ }).bytes,
      32,
    );
    expect(lines).toContain('        商户存根 (重打印)');
    expect(lines).toContain('账户类型                支付账户');
    expect(lines).toContain('账号                 138****5678');
    expect(lines.some((l) => l.startsWith('账面余额'))).toBe(false);
  });

  it('a payment-account slip (a wallet reference, no trace number) prints without those rows', () => {
    const data = {
      ...sampleBalanceSlipData(),
      accountKind: 'payment-account' as const,
      maskedAccount: '138****5678',
      rrn: 'W26112300001',
      trace: undefined,
    };
    const lines = decodeToLines(
      renderBalanceSlip(data, { paper: 58, lang: 'zh-CN', timeZone: TZ }).bytes,
      32,
    );
    expect(lines).toContain('交易参考号          W26112300001');
    expect(lines.some((l) => l.startsWith('凭证号'))).toBe(false);
    const bare = { ...data, rrn: undefined };
    const bareLines = decodeToLines(
      renderBalanceSlip(bare, { paper: 58, lang: 'zh-CN', timeZone: TZ }).bytes,
      32,
    );
    expect(bareLines.filter((l) => l === '-'.repeat(32))).toHaveLength(3);
  });

  it('a slip that cannot be made says what is missing in words, never a field name', () => {
    const data = { ...sampleBalanceSlipData(), merchantName: ' ' };
    let error: { message: string; messageZh: string } | undefined;
    try {
      renderBalanceSlip(data, { paper: 58, lang: 'zh-CN', timeZone: TZ });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.messageZh).toBe('无法生成凭条：缺少商户名称，请检查设置。');
    expect(`${error?.message} ${error?.messageZh}`).not.toMatch(/merchantName|[a-z][A-Z]/);
  });

  it('a native QR code is sent as GS ( k and the emulator decoder notes its data', () => {
    const data = { ...sampleBalanceSlipData(), qr: 'RRN:332113000123' };
    const slip = renderBalanceSlip(data, { paper: 58, lang: 'en', timeZone: TZ, qrMode: 'native' });
    expect(decodeToLines(slip.bytes, 32)).toContain('[QR: RRN:332113000123]');
    const raster = renderBalanceSlip(data, { paper: 58, lang: 'en', timeZone: TZ });
    expect(decodeToLines(raster.bytes, 32).some((l) => /^\[image \d+x\d+\]$/.test(l))).toBe(true);
  });

  it('the test page shows the ruler, Chinese, ￥ and a cut', () => {
    const page = renderTestPage({ paper: 80, lang: 'zh-CN', timeZone: TZ }, '2026-11-23T13:30:05Z');
    const lines = decodeToLines(page.bytes, 48);
    expect(lines).toContain('123456789012345678901234567890123456789012345678');
    expect(lines).toContain('中文：收银台余额查询');
    expect(lines).toContain(`金额${' '.repeat(34)}￥1,234.56`);
    expect(lines.at(-1)).toBe(CUT_MARKER);
  });
});
