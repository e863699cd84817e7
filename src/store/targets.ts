import type { Redis } from 'ioredis';
import { storeKeys, type StoreOptions } from './keys.js';

/** A delivery target switched off after 403/404 (RELIABILITY row 11), with why. */
export interface DisabledTarget {
  target: string;
  reason: string;
}

/** Port for disabled delivery targets (`formatTarget` strings such as "discord:123"). */
export interface TargetStateStore {
  disable(target: string, reason: string): Promise<void>;
  isDisabled(target: string): Promise<boolean>;
  /** Returns false when the target was not disabled. */
  enable(target: string): Promise<boolean>;
  list(): Promise<DisabledTarget[]>;
}

/** Redis TargetStateStore: hash `{p}:target:disabled` (target → reason). */
export function createTargetStateStore(redis: Redis, options: StoreOptions): TargetStateStore {
  const key = storeKeys(options.prefix).targetsDisabled();
  return {
    async disable(target, reason) {
      await redis.hset(key, target, reason);
    },
    async isDisabled(target) {
      return (await redis.hexists(key, target)) === 1;
    },
    async enable(target) {
      return (await redis.hdel(key, target)) === 1;
    },
    async list() {
      const h = await redis.hgetall(key);
      return Object.entries(h)
        .map(([target, reason]) => ({ target, reason }))
        .sort((a, b) => a.target.localeCompare(b.target));
    },
  };
}
