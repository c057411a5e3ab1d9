// Turns ESC/POS tokens into a plain-text picture of the paper: one string per printed line,
// a marker line for each cut, images and QR codes noted in brackets. Column positions follow
// the printer's dot positions (font A: 12 dots per column, a Chinese character is 24 dots),
// so the result can be compared column for column with the on-screen preview.
// Chinese text is decoded with the platform's GB18030 decoder (ICU), not the library that
// encoded it, so tests that read this output check the bytes independently.
import type { EscPosToken } from './parser';

export const CUT_MARKER = '--- cut ---';
const DOTS_PER_COLUMN = 12;

interface Cell {
  column: number;
  text: string;
  /** Columns the glyph covers on paper. */
  span: number;
}

function isWide(ch: string): boolean {
  return ch.codePointAt(0)! >= 0x80;
}

export class EscPosTextRenderer {
  private readonly gb18030 = new TextDecoder('gb18030', { fatal: true });
  private cells: Cell[] = [];
  private x = 0;
  private leftMargin = 0;
  private areaWidth: number;
  private align = 0;
  private widthScale = 1;
  private qrData = '';
  /** Lines completed so far. */
  readonly lines: string[] = [];

  constructor(readonly columns = 48) {
    this.areaWidth = columns * DOTS_PER_COLUMN;
  }

  /** Applies one token; returns the lines it completed (if any). */
  consume(token: EscPosToken): string[] {
    const before = this.lines.length;
    switch (token.kind) {
      case 'text':
        this.addText(token.kanji ? this.decodeKanji(token.bytes) : decodeSingleByte(token.bytes));
        break;
      case 'lf':
        this.endLine();
        break;
      case 'cr':
        break;
      case 'init':
        this.resetFormatting();
        break;
      case 'cut':
        if (this.cells.length > 0) this.endLine();
        this.lines.push(CUT_MARKER);
        break;
      case 'raster':
        if (this.cells.length > 0) this.endLine();
        this.lines.push(`[image ${token.widthDots}x${token.heightDots}]`);
        break;
      case 'qr':
        this.qrCommand(token.fn, token.data);
        break;
      case 'command':
        this.command(token.name, token.params);
        break;
      default:
        break;
    }
    return this.lines.slice(before);
  }

  /** The whole rendering so far as text. */
  text(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }

  private resetFormatting(): void {
    this.leftMargin = 0;
    this.areaWidth = this.columns * DOTS_PER_COLUMN;
    this.align = 0;
    this.widthScale = 1;
  }

  private decodeKanji(bytes: Uint8Array): string {
    try {
      return this.gb18030.decode(bytes);
    } catch {
      return '\uFFFD'.repeat(Math.ceil(bytes.length / 2));
    }
  }

  private addText(text: string): void {
    for (const ch of text) {
      const dots = (isWide(ch) ? 2 : 1) * DOTS_PER_COLUMN * this.widthScale;
      this.cells.push({ column: this.x / DOTS_PER_COLUMN, text: ch, span: dots / DOTS_PER_COLUMN });
      this.x += dots;
    }
  }

  private endLine(): void {
    const used = this.cells.reduce((m, c) => Math.max(m, c.column + c.span), 0);
    const areaColumns = this.areaWidth / DOTS_PER_COLUMN;
    const shift =
      this.align === 1
        ? Math.floor((areaColumns - used) / 2)
        : this.align === 2
          ? areaColumns - used
          : 0;
    const offset = this.leftMargin / DOTS_PER_COLUMN + Math.max(0, shift);
    let line = '';
    let column = 0;
    for (const cell of [...this.cells].sort((a, b) => a.column - b.column)) {
      const at = Math.round(cell.column + offset);
      if (at < column) continue; // overprinted: keep the first glyph
      line += ' '.repeat(at - column) + cell.text;
      // a wide glyph already covers 2 columns in a monospace rendering; pad only the scaling
      line += ' '.repeat(Math.max(0, cell.span - (isWide(cell.text) ? 2 : 1)));
      column = at + cell.span;
    }
    this.lines.push(line.trimEnd());
    this.cells = [];
    this.x = 0;
  }

  private command(cmdName: string, p: Uint8Array): void {
    const word = (): number => p[0]! + p[1]! * 256;
    switch (cmdName) {
      case 'ESC $':
        this.x = word();
        break;
      case 'ESC \\': {
        const v = word();
        this.x += v >= 0x8000 ? v - 0x10000 : v;
        break;
      }
      case 'ESC a':
        this.align = p[0]! % 48;
        break;
      case 'GS L':
        this.leftMargin = word();
        break;
      case 'GS W':
        this.areaWidth = word();
        break;
      case 'GS !':
        this.widthScale = ((p[0]! >> 4) & 7) + 1;
        break;
      case 'ESC !':
        this.widthScale = p[0]! & 0x20 ? 2 : 1;
        break;
      case 'ESC d':
        if (this.cells.length > 0) this.endLine();
        for (let k = 1; k < p[0]!; k++) this.lines.push('');
        break;
      default:
        break;
    }
  }

  private qrCommand(fn: number, data: Uint8Array): void {
    if (fn === 80) this.qrData = new TextDecoder('utf-8').decode(data.slice(1));
    if (fn === 81) {
      if (this.cells.length > 0) this.endLine();
      this.lines.push(`[QR: ${this.qrData}]`);
    }
  }
}

/** Outside Chinese mode: ASCII as is, anything else as '?' (code pages differ per printer). */
function decodeSingleByte(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?';
  return s;
}
