import { describe, expect, it } from 'vitest';
import { formatLocalDate, formatLocalDateTime, formatLocalTime } from '../../../src-main/common';

describe('date and time', () => {
  const at = '2026-11-23T16:05:09Z';

  it('formats in an IANA zone', () => {
    expect(formatLocalDateTime(at, 'Asia/Shanghai')).toBe('2026-11-24 00:05:09');
    expect(formatLocalDate(at, 'Asia/Shanghai')).toBe('2026-11-24');
    expect(formatLocalTime(at, 'Asia/Shanghai')).toBe('00:05:09');
    expect(formatLocalTime(at, 'UTC', { seconds: false })).toBe('16:05');
  });

  it('formats at a fixed offset east of UTC (the CSV export)', () => {
    expect(formatLocalDateTime(at, { utcOffsetMinutes: 480 })).toBe('2026-11-24 00:05:09');
    expect(formatLocalDateTime(at, { utcOffsetMinutes: -300 })).toBe('2026-11-23 11:05:09');
    expect(formatLocalDate(Date.parse(at), { utcOffsetMinutes: 0 })).toBe('2026-11-23');
  });

  it("formats in this machine's zone by default", () => {
    const d = new Date(2026, 0, 2, 3, 4, 5);
    expect(formatLocalDateTime(d)).toBe('2026-01-02 03:04:05');
    expect(formatLocalDate(d)).toBe('2026-01-02');
    expect(formatLocalTime(d, undefined, { seconds: false })).toBe('03:04');
    // The same instant through Intl in the machine's own zone.
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(formatLocalDateTime(d, zone)).toBe('2026-01-02 03:04:05');
  });

  it('refuses an invalid date', () => {
    expect(() => formatLocalDateTime('not a date')).toThrow(RangeError);
    expect(() => formatLocalDate(Number.NaN)).toThrow(RangeError);
  });
});
