import type { Redis } from 'ioredis';
import { storeKeys, type StoreOptions } from './keys.js';

/** Port for "have we seen this item?" per source, and first-claim for analyze idempotency. */
export interface SeenStore {
  /** The ids (deduplicated, in input order) never marked seen. Does not mark. */
  filterNew(sourceId: string, ids: string[], now: number): Promise<string[]>;
  /** Marks ids seen at `now`, keeping the first-seen time of ids already there. */
  markSeen(sourceId: string, ids: string[], now: number): Promise<void>;
  /**
   * Forgets ids first seen before `olderThan`, except `keep` (ids still in the feed: forgetting
   * those would make them new again on the next poll). Returns how many were removed.
   */
  prune(sourceId: string, olderThan: number, options?: { keep?: string[] }): Promise<number>;
  /** True for exactly one caller per (source, item): the analyze job that may post it. */
  claim(sourceId: string, itemId: string, now: number): Promise<boolean>;
}

/** Redis SeenStore: zset `{p}:source:{id}:seen` (id → first-seen ms) and `…:claimed`. */
export function createSeenStore(redis: Redis, options: StoreOptions): SeenStore {
  const keys = storeKeys(options.prefix);
  return {
    async filterNew(sourceId, ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const scores = await redis.zmscore(keys.seen(sourceId), ...unique);
      return unique.filter((_, i) => scores[i] === null || scores[i] === undefined);
    },

    async markSeen(sourceId, ids, now) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return;
      await redis.zadd(keys.seen(sourceId), 'NX', ...unique.flatMap((id) => [now, id]));
    },

    async prune(sourceId, olderThan, opts) {
      const keep = new Set(opts?.keep ?? []);
      const pruneKey = async (key: string): Promise<number> => {
        if (keep.size === 0) return redis.zremrangebyscore(key, '-inf', `(${olderThan}`);
        const drop = (await redis.zrangebyscore(key, '-inf', `(${olderThan}`)).filter((id) => !keep.has(id));
        return drop.length === 0 ? 0 : redis.zrem(key, ...drop);
      };
      const removed = await pruneKey(keys.seen(sourceId));
      await pruneKey(keys.claimed(sourceId));
      return removed;
    },

    async claim(sourceId, itemId, now) {
      return (await redis.zadd(keys.claimed(sourceId), 'NX', now, itemId)) === 1;
    },
  };
}
