import type { Redis } from 'ioredis';
import { storeKeys, type StoreOptions } from './keys.js';

/** What the poller remembers about one source. Times are epoch milliseconds. */
export interface FetchState {
  sourceId: string;
  etag?: string;
  lastModified?: string;
  lastSuccess?: number;
  lastAttempt?: number;
  /** Consecutive failures since the last success. */
  failures: number;
  lastError?: string;
  lastErrorCode?: string;
  pausedUntil?: number;
  pauseReason?: string;
  /** The first poll has been recorded as a baseline (nothing alerted). */
  baselineDone: boolean;
  /** Earliest next fetch the server asked for (Retry-After). */
  nextAllowedAt?: number;
}

/** Port for per-source fetch state (conditional GET, failures, pauses, baseline). */
export interface FetchStateStore {
  /** Undefined when the source was never polled. */
  get(sourceId: string): Promise<FetchState | undefined>;
  /** Resets failures, pause and Retry-After; stores the validators the server sent (drops absent ones). */
  recordSuccess(sourceId: string, success: { etag?: string; lastModified?: string; at: number }): Promise<void>;
  /** Counts a failure; returns consecutive failures so the caller can pause past its limit. */
  recordFailure(sourceId: string, failure: { error: string; code: string; at: number; retryAfterMs?: number }): Promise<number>;
  pause(sourceId: string, until: number, reason: string): Promise<void>;
  markBaselineDone(sourceId: string): Promise<void>;
  /** Every source with state, sorted by id (the `sources` table). */
  list(): Promise<FetchState[]>;
}

const int = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Reads a state hash; shared with the in-memory store so both map fields the same way. */
export function fetchStateFromFields(sourceId: string, h: Record<string, string>): FetchState {
  const state: FetchState = { sourceId, failures: int(h.failures) ?? 0, baselineDone: h.baselineDone === '1' };
  const put = <K extends keyof FetchState>(key: K, value: FetchState[K] | undefined): void => {
    if (value !== undefined) state[key] = value;
  };
  put('etag', h.etag);
  put('lastModified', h.lastModified);
  put('lastSuccess', int(h.lastSuccess));
  put('lastAttempt', int(h.lastAttempt));
  put('lastError', h.lastError);
  put('lastErrorCode', h.lastErrorCode);
  put('pausedUntil', int(h.pausedUntil));
  put('pauseReason', h.pauseReason);
  put('nextAllowedAt', int(h.nextAllowedAt));
  return state;
}

/** Redis FetchStateStore: one hash per source, `{p}:source:{id}:state`. */
export function createFetchStateStore(redis: Redis, options: StoreOptions): FetchStateStore {
  const keys = storeKeys(options.prefix);
  return {
    async get(sourceId) {
      const h = await redis.hgetall(keys.sourceState(sourceId));
      return Object.keys(h).length === 0 ? undefined : fetchStateFromFields(sourceId, h);
    },

    async recordSuccess(sourceId, { etag, lastModified, at }) {
      const key = keys.sourceState(sourceId);
      const set: Record<string, string | number> = { lastSuccess: at, lastAttempt: at, failures: 0 };
      const drop = ['lastError', 'lastErrorCode', 'pausedUntil', 'pauseReason', 'nextAllowedAt'];
      if (etag !== undefined) set.etag = etag;
      else drop.push('etag');
      if (lastModified !== undefined) set.lastModified = lastModified;
      else drop.push('lastModified');
      await redis
        .multi()
        .hset(key, set)
        .hdel(key, ...drop)
        .exec();
    },

    async recordFailure(sourceId, { error, code, at, retryAfterMs }) {
      const key = keys.sourceState(sourceId);
      const tx = redis.multi().hincrby(key, 'failures', 1).hset(key, { lastError: error, lastErrorCode: code, lastAttempt: at });
      if (retryAfterMs !== undefined) tx.hset(key, 'nextAllowedAt', at + retryAfterMs);
      else tx.hdel(key, 'nextAllowedAt');
      const replies = await tx.exec();
      const first = replies?.[0];
      if (!first || first[0]) throw first?.[0] ?? new Error(`recordFailure(${sourceId}): Redis transaction was aborted`);
      return Number(first[1]);
    },

    async pause(sourceId, until, reason) {
      await redis.hset(keys.sourceState(sourceId), { pausedUntil: until, pauseReason: reason });
    },

    async markBaselineDone(sourceId) {
      await redis.hset(keys.sourceState(sourceId), 'baselineDone', '1');
    },

    async list() {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', keys.sourceStatePattern(), 'COUNT', 500);
        cursor = next;
        found.push(...batch);
      } while (cursor !== '0');
      const head = `${options.prefix}:source:`;
      const ids = [...new Set(found)].map((k) => k.slice(head.length, -':state'.length)).sort();
      const pipe = redis.pipeline();
      for (const id of ids) pipe.hgetall(keys.sourceState(id));
      const replies = (await pipe.exec()) ?? [];
      return ids.map((id, i) => fetchStateFromFields(id, (replies[i]?.[1] ?? {}) as Record<string, string>));
    },
  };
}
