import type { Redis } from 'ioredis';

/**
 * A per-host concurrency limit shared by every poll worker on one Redis: at most `limit`
 * fetches to one host at a time, so 40 feeds on one site never hit it 40-wide. Slots are
 * leases (a crashed worker's slot frees itself after `leaseMs`).
 */
export interface HostSlots {
  /** Takes a slot for `token`; when `token` already holds one, renews its lease from `now`. */
  acquire(host: string, token: string, now: number): Promise<boolean>;
  release(host: string, token: string): Promise<void>;
}

const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
  return 1
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
  return 1
end
return 0`;

export function createHostSlots(redis: Redis, options: { prefix: string; limit: number; leaseMs: number }): HostSlots {
  const key = (host: string) => `${options.prefix}:host:${host.toLowerCase()}:slots`;
  return {
    async acquire(host, token, now) {
      const granted = await redis.eval(ACQUIRE, 1, key(host), now, options.limit, options.leaseMs, token);
      return granted === 1;
    },
    async release(host, token) {
      await redis.zrem(key(host), token);
    },
  };
}

/** In-memory slots for tests and the dry-run scan. */
export function createMemoryHostSlots(options: { limit: number }): HostSlots {
  const held = new Map<string, Set<string>>();
  return {
    async acquire(host, token) {
      const tokens = held.get(host) ?? new Set<string>();
      held.set(host, tokens);
      if (tokens.has(token)) return true;
      if (tokens.size >= options.limit) return false;
      tokens.add(token);
      return true;
    },
    async release(host, token) {
      held.get(host)?.delete(token);
    },
  };
}
