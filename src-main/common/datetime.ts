// Dates and times as the console shows them everywhere (screens, slips, CSV, messages):
// "2026-11-23 21:30:05", in the machine's local time unless a zone is given.

/** An IANA zone ('Asia/Shanghai'), a fixed offset east of UTC, or undefined: this machine's. */
export type TimeZoneSpec = string | { utcOffsetMinutes: number } | undefined;

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

const two = (n: number): string => String(n).padStart(2, '0');
const formatters = new Map<string, Intl.DateTimeFormat>();

function toDate(value: Date | string | number): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid date and time: ${String(value)}`);
  return date;
}

function partsOf(value: Date | string | number, zone: TimeZoneSpec): Parts {
  const date = toDate(value);
  if (zone === undefined) {
    return {
      year: String(date.getFullYear()),
      month: two(date.getMonth() + 1),
      day: two(date.getDate()),
      hour: two(date.getHours()),
      minute: two(date.getMinutes()),
      second: two(date.getSeconds()),
    };
  }
  if (typeof zone === 'object') {
    const shifted = new Date(date.getTime() + zone.utcOffsetMinutes * 60_000);
    return {
      year: String(shifted.getUTCFullYear()),
      month: two(shifted.getUTCMonth() + 1),
      day: two(shifted.getUTCDate()),
      hour: two(shifted.getUTCHours()),
      minute: two(shifted.getUTCMinutes()),
      second: two(shifted.getUTCSeconds()),
    };
  }
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, format);
  }
  const parts = format.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** "2026-11-23 21:30:05". Throws RangeError for an invalid date. */
export function formatLocalDateTime(value: Date | string | number, zone?: TimeZoneSpec): string {
  const p = partsOf(value, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "2026-11-23" (a local day, as the log's daily summary and search take it). */
export function formatLocalDate(value: Date | string | number, zone?: TimeZoneSpec): string {
  const p = partsOf(value, zone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "21:30:05", or "21:30" with `{ seconds: false }`. */
export function formatLocalTime(
  value: Date | string | number,
  zone?: TimeZoneSpec,
  opts: { seconds?: boolean } = {},
): string {
  const p = partsOf(value, zone);
  return opts.seconds === false ? `${p.hour}:${p.minute}` : `${p.hour}:${p.minute}:${p.second}`;
}
