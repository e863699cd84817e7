import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHostSlots, createMemoryHostSlots, type HostSlots } from '../../../src/store/index.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';

let t: TestRedis;
beforeEach(() => {
  t = createTestRedis();
});
afterEach(async () => {
  await t.cleanup();
});

const contract: Array<[string, () => HostSlots]> = [
  ['redis', () => createHostSlots(t.redis, { prefix: t.prefix, limit: 2, leaseMs: 1000 })],
  ['memory', () => createMemoryHostSlots({ limit: 2 })],
];

describe.each(contract)('host slots (%s)', (_name, make) => {
  it('lets at most `limit` fetches at one host, independently per host', async () => {
    const slots = make();
    expect(await slots.acquire('example.org', 'a', 0)).toBe(true);
    expect(await slots.acquire('example.org', 'b', 0)).toBe(true);
    expect(await slots.acquire('example.org', 'c', 0)).toBe(false);
    expect(await slots.acquire('other.org', 'c', 0)).toBe(true);
    await slots.release('example.org', 'a');
    expect(await slots.acquire('example.org', 'c', 0)).toBe(true);
    // Re-acquiring a held slot (a retried job) is not a second slot.
    expect(await slots.acquire('example.org', 'b', 0)).toBe(true);
  });
});

describe('host slots in Redis', () => {
  it('frees a crashed worker’s slot when its lease runs out', async () => {
    const slots = createHostSlots(t.redis, { prefix: t.prefix, limit: 1, leaseMs: 1000 });
    expect(await slots.acquire('example.org', 'crashed', 10_000)).toBe(true);
    expect(await slots.acquire('example.org', 'next', 10_500)).toBe(false);
    expect(await slots.acquire('example.org', 'next', 11_001)).toBe(true);
  });

  it('extends the lease when the holder acquires again (a poll renewing before each of its fetches)', async () => {
    const slots = createHostSlots(t.redis, { prefix: t.prefix, limit: 1, leaseMs: 1000 });
    expect(await slots.acquire('example.org', 'polling', 10_000)).toBe(true);
    // robots.txt took most of the lease; the holder renews before fetching the feed itself.
    expect(await slots.acquire('example.org', 'polling', 10_900)).toBe(true);
    expect(await slots.acquire('example.org', 'other', 11_500)).toBe(false);
    expect(await slots.acquire('example.org', 'other', 11_901)).toBe(true);
  });

  it('grants exactly `limit` slots to 40 concurrent callers', async () => {
    const slots = createHostSlots(t.redis, { prefix: t.prefix, limit: 2, leaseMs: 60_000 });
    const now = Date.now();
    const granted = await Promise.all(Array.from({ length: 40 }, (_, i) => slots.acquire('feeds.example.org', `job-${i}`, now)));
    expect(granted.filter(Boolean)).toHaveLength(2);
  });
});
