// Bytes per balance slip and time on the wire, our text slip versus the same slip sent as a
// raster image. Serial costs 10 bits per byte (8N1), so 9600 baud = 960 bytes/s.
// The raster size is exact for an uncompressed GS v 0 image: (width / 8) bytes per dot row;
// the row count is the height of the SVG preview, which lays the slip out 1 px = 1 dot
// (12 dots per column, 30 dots per line with default line spacing, taller double-height title);
// a second figure packs the same lines at 24 dots each, the smallest a legible image can be.
import { performance } from 'node:perf_hooks';
import { markupToEscPos, renderBalanceSlip, sampleBalanceSlipData } from '../src-main/core/slip';
import type { PaperWidth, SlipLanguage } from '../src-main/core/slip';

const BAUDS = [9600, 115200];
const wire = (bytes: number, baud: number): string => `${((bytes * 10) / baud).toFixed(2)} s`;

function rasterBytes(widthDots: number, heightDots: number): number {
  const init = 2; // ESC @
  const header = 8; // GS v 0 m xL xH yL yH
  const cut = 4; // GS V B 0
  return init + header + (widthDots / 8) * heightDots + cut;
}

function row(label: string, bytes: number): string {
  return `${label.padEnd(44)} ${String(bytes).padStart(7)} B   ${BAUDS.map((b) => `${b} baud: ${wire(bytes, b).padStart(7)}`).join('   ')}`;
}

const data = sampleBalanceSlipData();
const lines: string[] = ['Balance slip: bytes and seconds on the wire (10 bits per byte)', ''];
for (const paper of [58, 80] as PaperWidth[]) {
  for (const lang of ['zh-CN', 'en'] as SlipLanguage[]) {
    const options = { paper, lang, timeZone: 'Asia/Shanghai' };
    const slip = renderBalanceSlip(data, options);
    const raw = markupToEscPos(slip.markup, paper, { optimize: false });
    const withQr = renderBalanceSlip({ ...data, qr: 'RRN:332113000123' }, options);
    const withNativeQr = renderBalanceSlip(
      { ...data, qr: 'RRN:332113000123' },
      { ...options, qrMode: 'native' },
    );
    const height = Number(/height="(\d+)px"/.exec(slip.svg)![1]);
    const width = paper === 58 ? 384 : 576;
    const tag = `${paper} mm ${lang}`;
    lines.push(row(`${tag}: text (ours)`, slip.bytes.length));
    lines.push(row(`${tag}: text, ReceiptLine unoptimised`, raw.length));
    lines.push(row(`${tag}: text + raster QR (GS v 0)`, withQr.bytes.length));
    lines.push(row(`${tag}: text + native QR (GS ( k)`, withNativeQr.bytes.length));
    lines.push(row(`${tag}: whole slip as ${width}x${height} raster`, rasterBytes(width, height)));
    // the tightest image: 24 dots per printed line, no line spacing
    const printedLines = (slip.svg.match(/<g transform="translate\(0,/g) ?? []).length;
    lines.push(
      row(
        `${tag}: as ${width}x${printedLines * 24} raster (24 dots/line)`,
        rasterBytes(width, printedLines * 24),
      ),
    );
    lines.push(
      `${''.padEnd(44)} raster / text = ${(rasterBytes(width, height) / slip.bytes.length).toFixed(1)}x`,
      '',
    );
  }
}

// Rendering cost (template + ReceiptLine + optimiser + SVG), for the record.
const N = 200;
const t0 = performance.now();
for (let i = 0; i < N; i++) renderBalanceSlip(data, { paper: 80, lang: 'zh-CN' });
const perSlip = (performance.now() - t0) / N;
lines.push(`render bytes + SVG, 80 mm zh-CN: ${perSlip.toFixed(2)} ms per slip (mean of ${N})`);
process.stdout.write(`${lines.join('\n')}\n`);
