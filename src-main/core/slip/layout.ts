// Column layout done before ReceiptLine sees the text: labels and values are padded to the
// exact paper width, and long text is wrapped at spaces (English) or between characters
// (Chinese), so a value never wraps mid-number and the preview matches paper exactly.

/** Printer columns taken by text in Chinese mode: ASCII 1, everything else 2. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return width;
}

/** Splits text into lines of at most `columns`, preferring to break at spaces. */
export function wrapText(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (displayWidth(line + ch) <= columns) {
      line += ch;
      continue;
    }
    const space = line.lastIndexOf(' ');
    if (ch === ' ') {
      lines.push(line);
      line = '';
    } else if (space > 0 && ch.codePointAt(0)! < 0x80) {
      lines.push(line.slice(0, space));
      line = line.slice(space + 1) + ch;
    } else {
      lines.push(line);
      line = ch;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l) => l.trim());
}

/**
 * Label on the left and value on the right of one line; when both do not fit, the label
 * gets its own line and the value goes right-aligned below it.
 */
export function labelValueLines(label: string, value: string, columns: number): string[] {
  const gap = columns - displayWidth(label) - displayWidth(value);
  if (gap >= 1) return [label + ' '.repeat(gap) + value];
  const valueLines = wrapText(value, columns);
  return [
    ...wrapText(label, columns),
    ...valueLines.map((v) => ' '.repeat(columns - displayWidth(v)) + v),
  ];
}
