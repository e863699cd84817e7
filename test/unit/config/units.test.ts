import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parseSize } from '../../../src/config/index.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    [' 15M ', 900_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['5 minutes', '10', '', 'm', '1y', '-5m', '10m!'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats back to the largest exact unit', () => {
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(5_400_000)).toBe('90m');
    expect(formatDuration(1_500)).toBe('1500ms');
  });
});

describe('parseSize', () => {
  it.each([
    [1024, 1024],
    ['5MiB', 5 * 1024 * 1024],
    ['512KiB', 512 * 1024],
    ['2MB', 2_000_000],
    ['100', 100],
  ] as const)('%j → %d bytes', (value, bytes) => {
    expect(parseSize(value)).toBe(bytes);
  });

  it.each(['five megs', '-1', 1.5, -3])('rejects %j', (value) => {
    expect(parseSize(value)).toBeUndefined();
  });
});
