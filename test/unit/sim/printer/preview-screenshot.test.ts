// Screenshot for people: the SVG preview next to what the emulated printer printed from the
// ESC/POS bytes, in real Chromium. Written to test-results/slip-preview.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBalanceSlip, sampleBalanceSlipData } from '../../../../src-main/core/slip';
import type { PaperWidth, SlipLanguage } from '../../../../src-main/core/slip';
import { printSlip } from '../../../../src-main/devices/printer';
import { startPrinterEmulator } from '../../../../src-main/sim/printer';
import type { PrinterEmulator, TcpAddress } from '../../../../src-main/sim/printer';
import { launchChromium } from '../../../e2e/support/chromium';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function printedText(
  paper: PaperWidth,
  lang: SlipLanguage,
): Promise<{ svg: string; text: string }> {
  const emulator: PrinterEmulator<TcpAddress> = await startPrinterEmulator({ tcpPort: 0, paper });
  try {
    const slip = renderBalanceSlip(sampleBalanceSlipData(), {
      paper,
      lang,
      timeZone: 'Asia/Shanghai',
    });
    await printSlip({ kind: 'tcp', host: '127.0.0.1', port: emulator.address.port }, slip.bytes);
    return { svg: slip.svg, text: emulator.text() };
  } finally {
    await emulator.close();
  }
}

describe('preview screenshot', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('shows the SVG preview beside the decoded paper text, 12 px per column in both', async () => {
    const rows = [await printedText(58, 'zh-CN'), await printedText(80, 'en')];
    const html = `<!doctype html><meta charset="utf-8"><style>
      body { margin: 16px; background: #ddd; font: 14px sans-serif; }
      .row { display: flex; gap: 24px; align-items: flex-start; margin-bottom: 24px; }
      .paper { background: #fff; padding: 12px; box-shadow: 0 1px 4px #888; }
      h2 { font-size: 14px; margin: 0 0 8px; }
      pre { margin: 0; font-family: 'Noto Sans Mono CJK SC', monospace; font-size: 24px; line-height: 30px; }
    </style>${rows
      .map(
        (r, i) => `<div class="row">
        <div class="paper"><h2>SVG preview (${i === 0 ? '58 mm zh-CN' : '80 mm en'})</h2>${r.svg}</div>
        <div class="paper"><h2>Emulator decoded text</h2><pre class="decoded">${escapeHtml(r.text)}</pre></div>
      </div>`,
      )
      .join(
        '',
      )}<span id="ascii" style="font-family:'Noto Sans Mono CJK SC';font-size:24px">${'x'.repeat(32)}</span>
      <span id="cjk" style="font-family:'Noto Sans Mono CJK SC';font-size:24px">${'余'.repeat(16)}</span>`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.route('**/*', (route) => route.abort()); // nothing may load from outside
    await page.setContent(html);
    const width = async (selector: string, nth = 0): Promise<number> =>
      (await page.locator(selector).nth(nth).boundingBox())!.width;
    // 32 columns = 384 px in the text and in the SVG; a Chinese character is 2 columns
    expect(await width('#ascii')).toBeCloseTo(384, 0);
    expect(await width('#cjk')).toBeCloseTo(384, 0);
    expect(await width('svg', 0)).toBe(384);
    expect(await width('svg', 1)).toBe(576);
    const decoded = await page.locator('pre.decoded').first().innerText();
    expect(decoded).toContain('卡号            622202******1234');
    await page.locator('#ascii').evaluate((el) => el.remove());
    await page.locator('#cjk').evaluate((el) => el.remove());
    const out = path.resolve('test-results', 'slip-preview.png');
    mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    await page.close();
  });
});
