import type { WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { assertWorkerConnection } from '../infra/index.js';
import type { QueueName } from './catalog.js';

/** Per-queue worker defaults. Polls wait on the network; notify is paced by platform rate limits. */
export const WORKER_DEFAULTS = {
  poll: { concurrency: 8, lockDurationMs: 60_000 },
  analyze: { concurrency: 4, lockDurationMs: 30_000 },
  notify: { concurrency: 2, lockDurationMs: 30_000 },
} as const satisfies Record<QueueName, { concurrency: number; lockDurationMs: number }>;

export interface WorkerOptionsInput {
  queue: QueueName;
  /** A connection from createWorkerConnection (checked: `maxRetriesPerRequest` must be null). */
  connection: Redis;
  prefix: string;
  concurrency?: number;
  /** How long a job's lock lasts without renewal; a worker blocked longer than this is "stalled". */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (default 30 s; tests use ~100 ms). */
  stalledIntervalMs?: number;
  /** Stalls before a job fails for good (BullMQ default 1). */
  maxStalledCount?: number;
}

/** BullMQ WorkerOptions with the project's defaults, refusing an unsafe connection (RELIABILITY #4). */
export function createWorkerOptions(input: WorkerOptionsInput): WorkerOptions {
  assertWorkerConnection(input.connection);
  const defaults = WORKER_DEFAULTS[input.queue];
  return {
    connection: input.connection,
    prefix: input.prefix,
    concurrency: input.concurrency ?? defaults.concurrency,
    lockDuration: input.lockDurationMs ?? defaults.lockDurationMs,
    stalledInterval: input.stalledIntervalMs ?? 30_000,
    maxStalledCount: input.maxStalledCount ?? 1,
  };
}
