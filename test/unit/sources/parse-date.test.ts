import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../../src/sources/parse/index.js';

describe('parseFeedDate', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['Sun, 27 Sep 2026 19:00:00 +0900', undefined, '2026-09-27T10:00:00Z'],
    ['Sun,27 Sep 2026 19:00:00 +0900', undefined, '2026-09-27T10:00:00Z'],
    ['27 09 2026 19:00:00 +0900', undefined, '2026-09-27T10:00:00Z'],
    ['Sun, 27 Sep  2026 19:00:00 +0900', undefined, '2026-09-27T10:00:00Z'],
    ['Sun, 27 Sep 2026 19:00:00 +09:00', undefined, '2026-09-27T10:00:00Z'],
    ['Sun, 27 Sep 2026 10:00:00 GMT', undefined, '2026-09-27T10:00:00Z'],
    ['Mon, 28 Sep 2026 07:00:00 EDT', undefined, '2026-09-28T11:00:00Z'],
    ['Sat, 07 Sep 02 00:00:01 GMT', undefined, '2002-09-07T00:00:01Z'],
    ['2026-09-27T10:00:00Z', undefined, '2026-09-27T10:00:00Z'],
    ['2026-09-27T10:00:00.123+02:00', undefined, '2026-09-27T08:00:00Z'],
    ['2026-09-27 19:00:00', 'Asia/Seoul', '2026-09-27T10:00:00Z'],
    ['2026-09-27 19:00:00', undefined, '2026-09-27T19:00:00Z'],
    ['Mon, 28 Sep 2026 09:30:00', 'Asia/Seoul', '2026-09-28T00:30:00Z'],
    ['2026.09.27', 'Asia/Seoul', '2026-09-26T15:00:00Z'],
    ['2026년 9월 27일 19:00', 'Asia/Seoul', '2026-09-27T10:00:00Z'],
    ['September 27, 2026 7:00 PM', 'America/New_York', '2026-09-27T23:00:00Z'],
    ['27 September 2026', undefined, '2026-09-27T00:00:00Z'],
    ['20260927T190000Z', undefined, '2026-09-27T19:00:00Z'],
    ['garbage', undefined, undefined],
    ['', undefined, undefined],
    ['2026-02-30', undefined, undefined],
    ['32 Foo 2026', undefined, undefined],
    ['Sun, 27 Sep 2026 19:00:00 XYZ', undefined, undefined],
    ['Sun, 27 Sep 2026 25:00:00 GMT', undefined, undefined],
  ];
  it.each(cases)('%j in %s → %s', (input, zone, expected) => {
    expect(parseFeedDate(input, zone)).toBe(expected);
  });

  it('does not depend on the host time zone for zone-less dates', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      expect(parseFeedDate('2026-09-27 19:00:00', 'Asia/Seoul')).toBe('2026-09-27T10:00:00Z');
      expect(parseFeedDate('2026-09-27 19:00:00')).toBe('2026-09-27T19:00:00Z');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
