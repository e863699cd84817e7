import type { Redis } from 'ioredis';
import type { Alert } from '../domain/index.js';
import { storeKeys, type StoreOptions } from './keys.js';

/** Port for alerts, their posted markers and in-flight sends (at-most-once delivery). */
export interface AlertStore {
  /** Stores the latest version; the time index keeps the first discoveredAt. */
  save(alert: Alert): Promise<void>;
  /**
   * Read-modify-write under compare-and-set (see the pipeline's AlertPort): `change` may run
   * more than once; throws {@link AlertStoreError} when the alert keeps changing under it.
   */
  update(id: string, change: (current: Alert | undefined) => Alert): Promise<Alert>;
  get(id: string): Promise<Alert | undefined>;
  /** target ("discord:123") → message id, for every target already posted. */
  getPosted(alertId: string): Promise<Record<string, string>>;
  /** Records the message id and clears the pending marker, in one transaction. */
  markPosted(alertId: string, target: string, messageId: string): Promise<void>;
  /** Notes a send in flight: if the worker dies, the retry checks the platform before posting again. */
  markPending(alertId: string, target: string, at: number): Promise<void>;
  /** target → send start ms of sends not known to have finished. */
  getPending(alertId: string): Promise<Record<string, number>>;
  clearPending(alertId: string, target: string): Promise<void>;
  /** Newest first. */
  listRecent(limit: number): Promise<Alert[]>;
  /** Alerts discovered at or after `sinceMs`, oldest first (digests, stats). */
  listSince(sinceMs: number): Promise<Alert[]>;
}

export interface AlertStoreOptions extends StoreOptions {
  /** How long alerts and their markers are kept; default 90 days. */
  retentionDays?: number;
}

/** Thrown when a stored alert is not valid JSON of an alert. */
export class AlertStoreError extends Error {
  override readonly name = 'AlertStoreError';
}

/** Parses stored alert JSON, checking the fields every reader relies on. */
export function parseStoredAlert(id: string, json: string): Alert {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new AlertStoreError(`alert ${id}: stored value is not JSON; delete the key to drop it`);
  }
  const a = value as Partial<Alert> | null;
  if (!a || typeof a.id !== 'string' || typeof a.storyId !== 'string' || typeof a.title !== 'string') {
    throw new AlertStoreError(`alert ${id}: stored JSON lacks id/storyId/title; delete the key to drop it`);
  }
  return a as Alert;
}

/** Score for the time index: discoveredAt, else now (an unparsable date must not drop the alert from digests). */
export function alertTime(alert: Alert): number {
  const t = Date.parse(alert.discoveredAt);
  return Number.isFinite(t) ? t : Date.now();
}

const DAY_MS = 86_400_000;

/** Tries before {@link AlertStore.update} gives up; each lost race means another writer made progress. */
const UPDATE_TRIES = 10;

/**
 * Writes the alert only if its key still holds what was read (ARGV[1] '1' = it was absent), then
 * indexes it like `save`. The JSON is built in TypeScript: Lua's cjson would turn [] into {}.
 * KEYS: 1 alert, 2 time index. ARGV: 1 absent flag, 2 expected, 3 next, 4 retention ms, 5 score, 6 id, 7 trim before.
 */
const UPDATE_SCRIPT = `
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if cur then return 0 end
elseif cur ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[7])
return 1
`;

/** Redis AlertStore: `{p}:alert:{id}` JSON, `…:posted` / `…:pending` hashes, `{p}:alerts:by-time` zset. */
export function createAlertStore(redis: Redis, options: AlertStoreOptions): AlertStore {
  const keys = storeKeys(options.prefix);
  const retentionMs = (options.retentionDays ?? 90) * DAY_MS;

  async function load(ids: string[]): Promise<Alert[]> {
    if (ids.length === 0) return [];
    const values = await redis.mget(...ids.map((id) => keys.alert(id)));
    const out: Alert[] = [];
    ids.forEach((id, i) => {
      const v = values[i];
      if (v !== null && v !== undefined) out.push(parseStoredAlert(id, v));
    });
    return out;
  }

  return {
    async save(alert) {
      await redis
        .multi()
        .set(keys.alert(alert.id), JSON.stringify(alert), 'PX', retentionMs)
        .zadd(keys.alertIndex(), 'NX', alertTime(alert), alert.id)
        // Trim the index with the same retention so it never points at long-gone alerts.
        .zremrangebyscore(keys.alertIndex(), '-inf', `(${Date.now() - retentionMs}`)
        .exec();
    },
    async update(id, change) {
      for (let attempt = 0; attempt < UPDATE_TRIES; attempt += 1) {
        const raw = await redis.get(keys.alert(id));
        const next = change(raw === null ? undefined : parseStoredAlert(id, raw));
        const json = JSON.stringify(next);
        if (json === raw) return next;
        const written = await redis.eval(
          UPDATE_SCRIPT,
          2,
          keys.alert(id),
          keys.alertIndex(),
          raw === null ? '1' : '0',
          raw ?? '',
          json,
          retentionMs,
          alertTime(next),
          id,
          Date.now() - retentionMs,
        );
        if (written === 1) return next;
      }
      throw new AlertStoreError(`alert ${id}: changed by other writers ${UPDATE_TRIES} times in a row; the job will be retried`);
    },
    async get(id) {
      const v = await redis.get(keys.alert(id));
      return v === null ? undefined : parseStoredAlert(id, v);
    },
    async getPosted(alertId) {
      return redis.hgetall(keys.alertPosted(alertId));
    },
    async markPosted(alertId, target, messageId) {
      await redis
        .multi()
        .hset(keys.alertPosted(alertId), target, messageId)
        .pexpire(keys.alertPosted(alertId), retentionMs)
        .hdel(keys.alertPending(alertId), target)
        .exec();
    },
    async markPending(alertId, target, at) {
      await redis.multi().hset(keys.alertPending(alertId), target, at).pexpire(keys.alertPending(alertId), retentionMs).exec();
    },
    async getPending(alertId) {
      const h = await redis.hgetall(keys.alertPending(alertId));
      return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
    },
    async clearPending(alertId, target) {
      await redis.hdel(keys.alertPending(alertId), target);
    },
    async listRecent(limit) {
      if (limit <= 0) return [];
      return load(await redis.zrevrange(keys.alertIndex(), 0, limit - 1));
    },
    async listSince(sinceMs) {
      return load(await redis.zrangebyscore(keys.alertIndex(), sinceMs, '+inf'));
    },
  };
}
