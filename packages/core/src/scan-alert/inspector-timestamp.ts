/*
 * Inspector timestamps are not ISO-8601, and AWS changed their format between samples:
 *   2021 docs: "Dec 3, 2021, 6:02:30 PM"            (no zone; the envelope `time` shows it is UTC)
 *   2024 docs: "Wed Sep 04 16:55:38.411 UTC 2024"   (Java Date.toString with milliseconds)
 * `Date.parse` is implementation-defined for anything but ISO-8601 and reads zone-less strings as
 * local time, so both are parsed by hand here; ISO-8601 (what the API itself returns) is accepted too.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "Dec 3, 2021, 6:02:30 PM" */
const US_12_HOUR = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ([AP]M)$/;
/** "Wed Sep 04 16:55:38.411 UTC 2024" */
const JAVA_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))? UTC (\d{4})$/;
/** ISO-8601 with an explicit zone: ECMAScript defines how `new Date` reads this form. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

const INSPECTOR_TIMESTAMP_FORMATS = ['Dec 3, 2021, 6:02:30 PM', 'Wed Sep 04 16:55:38.411 UTC 2024', '2024-09-04T16:55:38.411Z'] as const;

/** Builds a UTC date, or undefined when a field is out of range (Feb 30, 25:00, ...). */
const utcDate = (year: number, monthName: string, day: number, hour: number, minute: number, second: number, ms: number): Date | undefined => {
  const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]);
  if (month < 0 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month, day, hour, minute, second, ms));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month && date.getUTCDate() === day ? date : undefined;
};

const parseUs12Hour = (value: string): Date | undefined => {
  const match = US_12_HOUR.exec(value);
  if (!match) return undefined;
  const [, month = '', day = '', year = '', hour12 = '', minute = '', second = '', meridiem = ''] = match;
  const hourOnClock = Number(hour12);
  if (hourOnClock < 1 || hourOnClock > 12) return undefined;
  // 12 AM is midnight, 12 PM is noon.
  const hour = (hourOnClock % 12) + (meridiem === 'PM' ? 12 : 0);
  return utcDate(Number(year), month, Number(day), hour, Number(minute), Number(second), 0);
};

const parseJavaDate = (value: string): Date | undefined => {
  const match = JAVA_DATE.exec(value);
  if (!match) return undefined;
  const [, month = '', day = '', hour = '', minute = '', second = '', fraction = '', year = ''] = match;
  return utcDate(Number(year), month, Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0')));
};

const parseIso = (value: string): Date | undefined => {
  if (!ISO_8601.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** Parses any timestamp format Inspector has used; undefined when the format is unknown or the date impossible. */
const parseInspectorTimestamp = (value: string): Date | undefined => {
  const trimmed = value.trim();
  return parseUs12Hour(trimmed) ?? parseJavaDate(trimmed) ?? parseIso(trimmed);
};

export { INSPECTOR_TIMESTAMP_FORMATS, parseInspectorTimestamp };
