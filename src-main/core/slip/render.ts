// ReceiptLine markup -> ESC/POS bytes (generic command set, Chinese via FS & + GB18030)
// and -> SVG for the on-screen preview with the same column grid.
import { commands, transform } from 'receiptline';
import { optimizeEscPos } from '../../protocols/escpos';
import { balanceSlipMarkup, testPageMarkup } from './templates';
import { columnsFor } from './types';
import type { BalanceSlipData, PaperWidth, SlipOptions } from './types';

export interface EscPosRenderOptions {
  /**
   * 'raster' (default) prints a QR code as a GS v 0 image, which every clone understands;
   * 'native' sends GS ( k, far fewer bytes, for printers that support it.
   */
  qrMode?: 'raster' | 'native';
  /** Feed and cut at the end (default true). */
  cut?: boolean;
  /** Drop repeated settings from ReceiptLine's output (default true; false for comparison). */
  optimize?: boolean;
}

type CommandSet = (typeof commands)['generic'];

const GS_K = '\x1d(k';

function le16(n: number): string {
  return String.fromCharCode(n & 255, (n >> 8) & 255);
}

/** GS ( k QR model 2: select model, cell size, level L, store, print. */
function nativeQr(data: string, cell: number): string {
  const bytes = Buffer.from(data, 'utf8').toString('latin1');
  return (
    `${GS_K}${le16(4)}1A2\x00` +
    `${GS_K}${le16(3)}1C${String.fromCharCode(cell)}` +
    `${GS_K}${le16(3)}1E0` +
    `${GS_K}${le16(bytes.length + 3)}1P0${bytes}` +
    `${GS_K}${le16(3)}1Q0`
  );
}

/** A fresh command object per call: ReceiptLine keeps per-document state on it. */
function escPosCommands(options: EscPosRenderOptions): CommandSet {
  const generic = commands.generic;
  const custom: CommandSet = Object.assign({}, generic, {
    // End with a cut only: the driver sends its own GS r 1 to learn when printing finished.
    close(this: CommandSet & { cutting: boolean }): string {
      return this.cutting ? this.cut() : '';
    },
    // '-' instead of a code-page glyph Chinese clones may not have; stays in Chinese mode.
    hr: (width: number): string => '-'.repeat(width),
  });
  if (options.qrMode === 'native') {
    Object.assign(custom, {
      qrcode: (symbol: { data: string; cell: number }): string =>
        symbol.data.length > 0 ? nativeQr(symbol.data, symbol.cell) : '',
    });
  }
  return custom;
}

/** ESC/POS bytes for paper. */
export function markupToEscPos(
  markup: string,
  paper: PaperWidth,
  options: EscPosRenderOptions = {},
): Buffer {
  const out = transform(markup, {
    cpl: columnsFor(paper),
    encoding: 'gb18030',
    command: escPosCommands(options),
    spacing: true,
    cutting: options.cut ?? true,
    gradient: false,
  });
  const raw = Buffer.from(out, 'latin1');
  return options.optimize === false ? raw : Buffer.from(optimizeEscPos(raw));
}

/** SVG for the screen: 12 px per column, the paper's line layout. */
export function markupToSvg(markup: string, paper: PaperWidth): string {
  return transform(markup, {
    cpl: columnsFor(paper),
    encoding: 'gb18030',
    command: 'svg',
    spacing: true,
  });
}

export interface RenderedSlip {
  markup: string;
  /** ESC/POS bytes, ending with a cut (no status query). */
  bytes: Buffer;
  svg: string;
}

export function renderBalanceSlip(
  data: BalanceSlipData,
  options: SlipOptions & EscPosRenderOptions,
): RenderedSlip {
  const markup = balanceSlipMarkup(data, options);
  return {
    markup,
    bytes: markupToEscPos(markup, options.paper, options),
    svg: markupToSvg(markup, options.paper),
  };
}

export function renderTestPage(
  options: SlipOptions & EscPosRenderOptions,
  now: Date | string = new Date(),
): RenderedSlip {
  const markup = testPageMarkup(options, now);
  return {
    markup,
    bytes: markupToEscPos(markup, options.paper, options),
    svg: markupToSvg(markup, options.paper),
  };
}
