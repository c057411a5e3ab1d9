// Test helper: reads ReceiptLine's SVG back into text lines by the x position of each glyph
// (12 px per column; a tspan's x is the centre of its glyph), to compare with paper.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? '?';
  });
}

export function svgToLines(svg: string): string[] {
  const lines: string[] = [];
  const groups = svg.split(/<g transform="translate\(0,\d+\)">/).slice(1);
  for (const group of groups) {
    let line = '';
    for (const m of group.matchAll(/<tspan x="([\d.]+)">([^<]*)<\/tspan>/g)) {
      const ch = decodeEntities(m[2]!).replace(/\u00a0/g, ' ');
      const wide = ch.codePointAt(0)! >= 0x80;
      const column = Math.round((Number(m[1]) - (wide ? 12 : 6)) / 12);
      // wide glyphs take 2 columns, so pad by columns, not by string length
      line = padToColumn(line, column) + ch;
    }
    lines.push(line.trimEnd());
  }
  while (lines.at(-1) === '') lines.pop(); // the final feed
  return lines;
}

function columnsOf(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.codePointAt(0)! >= 0x80 ? 2 : 1;
  return n;
}

function padToColumn(text: string, column: number): string {
  let out = '';
  for (const ch of text) {
    if (columnsOf(out + ch) > column) break;
    out += ch;
  }
  return out + ' '.repeat(Math.max(0, column - columnsOf(out)));
}
