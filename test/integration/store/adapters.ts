/** Runs a port's contract against the Redis adapter and the in-memory one (STYLE rule 23). */
import { afterEach, describe } from 'vitest';
import type { Redis } from 'ioredis';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';

export interface AdapterContext {
  /** Present for the Redis adapter only (to inspect keys and TTLs). */
  redis?: { client: Redis; prefix: string };
}

/** Calls `body` once per adapter; `make` builds a fresh store for each test. */
export function forEachAdapter<S>(
  port: string,
  factories: { redis: (redis: Redis, prefix: string) => S; memory: () => S },
  body: (make: () => { store: S; ctx: AdapterContext }) => void,
): void {
  describe(`${port} (redis)`, () => {
    const handles: TestRedis[] = [];
    afterEach(async () => {
      await Promise.all(handles.splice(0).map((h) => h.cleanup()));
    });
    body(() => {
      const h = createTestRedis();
      handles.push(h);
      return { store: factories.redis(h.redis, h.prefix), ctx: { redis: { client: h.redis, prefix: h.prefix } } };
    });
  });
  describe(`${port} (memory)`, () => {
    body(() => ({ store: factories.memory(), ctx: {} }));
  });
}
