import { describe, expect, it } from 'vitest';
import { formatDuration, parseTimestamp } from '../../../../lambda/domain/task/timestamp.js';

describe('parseTimestamp', () => {
  it.each([
    ['no fractional digits', '2020-01-23T17:57:58Z', '2020-01-23T17:57:58.000Z'],
    ['one fractional digit', '2016-12-06T16:41:06.8Z', '2016-12-06T16:41:06.800Z'],
    ['two fractional digits', '2023-05-03T15:18:04.11Z', '2023-05-03T15:18:04.110Z'],
    ['three fractional digits', '2020-01-23T17:57:34.402Z', '2020-01-23T17:57:34.402Z'],
    ['CLI v2 microseconds with an offset', '2021-08-11T12:21:26.681000-04:00', '2021-08-11T16:21:26.681Z'],
  ])('reads ISO-8601 with %s', (_, input, expected) => {
    expect(parseTimestamp(input)?.toISOString()).toBe(expected);
  });

  it('reads epoch seconds as floats and as integers (the wire, CLI v1)', () => {
    expect(parseTimestamp(1557134016.971)?.toISOString()).toBe('2019-05-06T09:13:36.971Z');
    expect(parseTimestamp(1563421497)?.toISOString()).toBe('2019-07-18T03:44:57.000Z');
  });

  it('returns undefined for what is not a timestamp', () => {
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp('2020-13-45T99:00:00Z')).toBeUndefined();
    expect(parseTimestamp(Number.NaN)).toBeUndefined();
    expect(parseTimestamp({})).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('shows hours, minutes and seconds as a person reads them', () => {
    expect(formatDuration(350)).toBe('350ms');
    expect(formatDuration(6_000)).toBe('6s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(3_723_000)).toBe('1h 02m 03s');
  });
});
