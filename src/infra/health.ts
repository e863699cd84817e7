import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { getQueueStats } from './queue-stats.js';

export interface HealthCheckResult {
  name: string;
  ok: boolean;
  /** What an operator reads: the failure and what to look at. */
  detail: string;
}

export interface HealthReport {
  status: 'ok' | 'fail';
  checks: HealthCheckResult[];
}

/** A running consumer; BullMQ's Worker fits. */
export interface WorkerLike {
  readonly name: string;
  isRunning(): boolean;
}

export interface HealthCheckOptions {
  /** Usually the producer connection: it fails fast when Redis is gone. */
  redis: Pick<Redis, 'ping'>;
  queues: readonly Queue[];
  /** Workers this process is expected to run (none for a producer-only role). */
  workers?: () => readonly WorkerLike[];
  /** A runnable job older than this means workers are not consuming (default 10 min). */
  maxWaitingAgeMs?: number;
  /** Per-check timeout, so a stalled Redis turns into a failure instead of a hung probe (default 1 s). */
  timeoutMs?: number;
  now?: () => number;
}

class CheckTimeoutError extends Error {
  override name = 'CheckTimeoutError';
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Builds the `/healthz` probe: Redis answers PING, expected workers run, and no queue has a
 * runnable job older than the threshold (RELIABILITY #5: workers can stop while PING looks fine).
 */
export function createHealthCheck(options: HealthCheckOptions): () => Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? 1000;
  const maxAgeMs = options.maxWaitingAgeMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;

  return async () => {
    const checks: HealthCheckResult[] = [];
    let redisOk = false;
    try {
      await withTimeout(options.redis.ping(), timeoutMs, 'Redis PING');
      redisOk = true;
      checks.push({ name: 'redis', ok: true, detail: 'PING answered' });
    } catch (err) {
      checks.push({ name: 'redis', ok: false, detail: `Redis unreachable: ${messageOf(err)}` });
    }

    for (const worker of options.workers?.() ?? []) {
      const running = worker.isRunning();
      checks.push({
        name: `worker:${worker.name}`,
        ok: running,
        detail: running ? 'running' : `worker for queue ${worker.name} is not running; restart the process`,
      });
    }

    for (const queue of options.queues) {
      const name = `queue:${queue.name}`;
      if (!redisOk) {
        checks.push({ name, ok: false, detail: 'not checked: Redis unreachable' });
        continue;
      }
      try {
        const stats = await withTimeout(getQueueStats(queue, now()), timeoutMs, `queue ${queue.name}`);
        const ok = stats.oldestWaitingMs <= maxAgeMs;
        const ageS = Math.round(stats.oldestWaitingMs / 1000);
        checks.push({
          name,
          ok,
          detail: ok
            ? `oldest runnable job ${ageS} s`
            : `oldest runnable job has waited ${ageS} s (limit ${Math.round(maxAgeMs / 1000)} s): workers are not consuming ${queue.name}`,
        });
      } catch (err) {
        checks.push({ name, ok: false, detail: messageOf(err) });
      }
    }
    return { status: checks.every((check) => check.ok) ? 'ok' : 'fail', checks };
  };
}
