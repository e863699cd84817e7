import type { Queue } from 'bullmq';

/** Job states reported as `refwatch_queue_depth{state}`. */
export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'prioritized', 'failed', 'completed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueStats {
  counts: Record<QueueState, number>;
  /**
   * How long the job that has waited longest has been runnable, in ms: waiting jobs and
   * delayed jobs whose time has passed (no worker promoted them). 0 when nothing waits.
   * This, not PING, is the liveness signal (RELIABILITY #5: workers can stop while Redis looks fine).
   */
  oldestWaitingMs: number;
}

// BullMQ stores delayed jobs with score = dueTimestampMs * 0x1000 + counter.
const DELAYED_SCORE_SHIFT = 0x1000;

async function overdueDelayedMs(queue: Queue, now: number): Promise<number> {
  const client = await queue.getBackend().client;
  const first = await client.zrange(queue.keys.delayed ?? queue.toKey('delayed'), 0, 0, { WITHSCORES: true });
  const score = Number(first[1]);
  if (!Number.isFinite(score)) return 0;
  const due = Math.floor(score / DELAYED_SCORE_SHIFT);
  return Math.max(0, now - due);
}

async function oldestWaitMs(queue: Queue, now: number): Promise<number> {
  const [job] = await queue.getJobs(['wait'], 0, 0, true);
  if (!job) return 0;
  // A promoted job's `delay` field is reset to 0, but opts.delay keeps what it was created with;
  // a retried job became runnable after its last attempt (processedOn) plus backoff.
  const readyAt = Math.max(job.timestamp + (job.opts.delay ?? 0), job.processedOn ?? 0);
  return Math.max(0, now - readyAt);
}

/** Counts per state and the oldest runnable job's age, for metrics and /healthz. */
export async function getQueueStats(queue: Queue, now: number = Date.now()): Promise<QueueStats> {
  const raw = await queue.getJobCounts(...QUEUE_STATES);
  const counts = Object.fromEntries(QUEUE_STATES.map((state) => [state, raw[state] ?? 0])) as Record<QueueState, number>;
  const [waited, overdue] = await Promise.all([oldestWaitMs(queue, now), overdueDelayedMs(queue, now)]);
  return { counts, oldestWaitingMs: Math.max(waited, overdue) };
}
