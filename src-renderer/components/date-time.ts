// Days and clock times as the console writes them, whatever the browser's locale: YYYY-MM-DD and
// 24-hour HH:MM, the same in both languages (a native date or time input shows the browser's own
// format instead: mm/dd/yyyy and "08:00 AM" in an English Chromium, also under a Chinese screen).
// What a cashier may type is read leniently (20261202, 2026-1-2, 2026/12/02; 800, 8:00, 0800) and
// written back in the one format; anything else is not a day or a time.

/** The day as YYYY-MM-DD, or null when the text is no real day (2026-02-30 is none). */
export function normalizeDay(text: string): string | null {
  const trimmed = text.trim();
  const parts =
    /^(\d{4})(\d{2})(\d{2})$/.exec(trimmed) ??
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(trimmed);
  if (!parts) return null;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null;
  }
  return `${parts[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The time as 24-hour HH:MM, or null when the text is no time of day. */
export function normalizeClock(text: string): string | null {
  const trimmed = text.trim();
  const parts = /^(\d{1,2})[:：.](\d{2})$/.exec(trimmed) ?? /^(\d{1,2})(\d{2})$/.exec(trimmed);
  if (!parts) return null;
  const [hours, minutes] = [Number(parts[1]), Number(parts[2])];
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}
