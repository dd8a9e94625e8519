import { describe, expect, it } from 'vitest';
import { parseInspectorTimestamp } from './inspector-timestamp.js';

describe('parseInspectorTimestamp', () => {
  it.each([
    ['2021 format, afternoon', 'Dec 3, 2021, 6:02:30 PM', '2021-12-03T18:02:30.000Z'],
    ['2021 format, midnight is 12 AM', 'Oct 16, 2019, 12:00:00 AM', '2019-10-16T00:00:00.000Z'],
    ['2021 format, noon is 12 PM', 'Jan 1, 2022, 12:15:00 PM', '2022-01-01T12:15:00.000Z'],
    ['2024 format with milliseconds', 'Wed Sep 04 16:55:38.411 UTC 2024', '2024-09-04T16:55:38.411Z'],
    ['2024 format, zero milliseconds', 'Tue Sep 03 00:00:00.000 UTC 2024', '2024-09-03T00:00:00.000Z'],
    ['ISO-8601 with Z', '2024-09-04T16:55:38.411Z', '2024-09-04T16:55:38.411Z'],
    ['ISO-8601 with an offset', '2024-09-04T18:55:38+02:00', '2024-09-04T16:55:38.000Z'],
  ])('reads the %s', (_label, input, expected) => {
    // Act
    const date = parseInspectorTimestamp(input);

    // Assess
    expect(date?.toISOString()).toBe(expected);
  });

  it.each([
    ['an unknown format', '04/09/2024 16:55'],
    ['an impossible day', 'Feb 30, 2024, 1:00:00 PM'],
    ['hour 13 on a 12-hour clock', 'Dec 3, 2021, 13:02:30 PM'],
    ['an unknown month', 'Wed Foo 04 16:55:38.411 UTC 2024'],
    ['ISO without a zone (would be local time)', '2024-09-04T16:55:38'],
    ['an empty string', ''],
  ])('rejects %s', (_label, input) => {
    // Act
    const date = parseInspectorTimestamp(input);

    // Assess
    expect(date).toBeUndefined();
  });
});
