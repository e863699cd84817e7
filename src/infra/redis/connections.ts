import { Redis, type RedisOptions } from 'ioredis';
import { RedisUnavailableError, redactUrl } from './embedded.js';

/** Where connection errors go; a pino Logger fits. */
export interface ConnectionLog {
  warn(obj: object, msg: string): void;
}

export interface ConnectionOptions {
  log?: ConnectionLog;
  /** Shown in CLIENT LIST and in log lines, e.g. "refwatch:worker". */
  name?: string;
  /** Extra ioredis options (tests: a short `connectTimeout`). Ours win where they clash. */
  overrides?: Pick<RedisOptions, 'connectTimeout' | 'commandTimeout' | 'retryStrategy' | 'tls' | 'lazyConnect' | 'db'>;
}

/** Thrown when a Redis client or server is set up in a way that can lose or hang jobs. */
export class RedisConfigError extends Error {
  override name = 'RedisConfigError';
}

/** Thrown when Redis' eviction policy could delete queue keys (RELIABILITY #7). */
export class RedisPolicyError extends Error {
  override name = 'RedisPolicyError';
  constructor(readonly policy: string) {
    super(
      `Redis maxmemory-policy is ${policy}; BullMQ and Refoulement Watch need noeviction: ` +
        'set `maxmemory-policy noeviction` in redis.conf (or run `CONFIG SET maxmemory-policy noeviction` ' +
        'and `CONFIG REWRITE`), or pick that policy in your managed Redis settings. ' +
        'Any other policy lets Redis silently delete jobs, schedulers and seen-item records.',
    );
  }
}

// ioredis emits `error` on every reconnect attempt; one line per interval is enough for an operator.
const ERROR_LOG_INTERVAL_MS = 30_000;

function attachErrorListener(redis: Redis, url: string, options: ConnectionOptions): void {
  let lastLogged = 0;
  let suppressed = 0;
  redis.on('error', (err: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    lastLogged = now;
    const fields = { err, redis: redactUrl(url), connection: options.name, suppressedSinceLast: suppressed };
    suppressed = 0;
    if (options.log) options.log.warn(fields, 'Redis connection error (ioredis will keep reconnecting)');
    // Without a listener ioredis would crash the process with an unhandled `error` event.
    else process.stderr.write(`Redis connection error on ${redactUrl(url)}: ${err.message}\n`);
  });
}

/**
 * A connection for BullMQ Workers: never gives up on a command (`maxRetriesPerRequest: null`,
 * which BullMQ requires for blocking calls) and logs errors instead of crashing.
 */
export function createWorkerConnection(url: string, options: ConnectionOptions = {}): Redis {
  const redis = new Redis(url, {
    ...options.overrides,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: options.name ?? 'refwatch:worker',
  });
  attachErrorListener(redis, url, options);
  return redis;
}

/**
 * A connection for producers (Queue.add, HTTP handlers, chat commands): commands fail at
 * once when Redis is unreachable instead of queueing in memory (RELIABILITY #4).
 */
export function createProducerConnection(url: string, options: ConnectionOptions = {}): Redis {
  const redis = new Redis(url, {
    connectTimeout: 2000,
    ...options.overrides,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    enableReadyCheck: true,
    connectionName: options.name ?? 'refwatch:producer',
  });
  attachErrorListener(redis, url, options);
  return redis;
}

/** Refuses a client that BullMQ Workers would misuse: it must have `maxRetriesPerRequest: null`. */
export function assertWorkerConnection(redis: Redis): void {
  const value = redis.options.maxRetriesPerRequest;
  if (value !== null) {
    throw new RedisConfigError(
      `This Redis connection has maxRetriesPerRequest=${String(value)}; BullMQ workers need null ` +
        '(a worker would otherwise drop its blocking calls during a Redis outage). ' +
        'Create worker connections with createWorkerConnection().',
    );
  }
}

export type EvictionCheck = { ok: true; policy: string } | { ok: false; warning: string };

/**
 * Checks that Redis never evicts keys. Throws {@link RedisPolicyError} for any policy but
 * `noeviction`; when `CONFIG GET` is not permitted (managed Redis) returns a warning to log.
 */
export async function checkEvictionPolicy(redis: Redis): Promise<EvictionCheck> {
  let reply: unknown;
  try {
    reply = await redis.config('GET', 'maxmemory-policy');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      warning:
        `Could not read Redis maxmemory-policy (${message}); make sure it is noeviction ` +
        'in your provider settings, or jobs and schedulers may be evicted silently.',
    };
  }
  const pairs = Array.isArray(reply) ? reply.map(String) : [];
  const policy = pairs[1];
  if (policy === undefined) {
    return { ok: false, warning: 'Redis did not report maxmemory-policy; make sure it is noeviction.' };
  }
  if (policy !== 'noeviction') throw new RedisPolicyError(policy);
  return { ok: true, policy };
}

/**
 * Resolves once `redis` is ready; rejects with RedisUnavailableError after `timeoutMs`.
 * Producer connections refuse commands until then (no offline queue), so callers await this
 * at boot, and per command when a reconnect may be under way.
 */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'wait') void redis.connect().catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new RedisUnavailableError(`Redis is not reachable (connection ${redis.status} for ${timeoutMs} ms).`));
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}
