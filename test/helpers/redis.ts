import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis found or started by test/setup/redis.ts. */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run tests through vitest (test/setup/redis.ts).');
  return url;
}

export interface TestRedis {
  redis: Redis;
  /** A prefix unique to this test; use it as REFWATCH_PREFIX / BullMQ prefix. */
  prefix: string;
  /** Deletes every key under the prefix and closes the connection. */
  cleanup(): Promise<void>;
}

/** A connection plus a random key prefix, so tests never see each other's keys. */
export function createTestRedis(): TestRedis {
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  const prefix = `test-${randomUUID()}`;
  return {
    redis,
    prefix,
    cleanup: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}
