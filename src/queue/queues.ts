import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { waitForRedis, type ConnectionLog } from '../infra/index.js';
import { JOB_CATALOG, defaultJobOptions, type JobPayloads, type QueueName } from './catalog.js';

/** The pipeline's queues, one per stage. */
export interface Queues {
  poll: Queue<JobPayloads['poll'], unknown, 'poll'>;
  analyze: Queue<JobPayloads['analyze'], unknown, 'analyze'>;
  notify: Queue<JobPayloads['notify'], unknown, 'notify'>;
}

/** Thrown by {@link enqueue} when Redis cannot take the job now. Safe to show to a moderator. */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
}

export interface CreateQueuesOptions {
  /** Receives queue errors (at most one line per queue per 30 s; the connection logs its own). */
  log?: ConnectionLog;
}

const QUEUE_ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * Opens the three queues on a producer connection, under `prefix` (REFWATCH_PREFIX), with
 * each job name's default options from the catalog.
 */
export function createQueues(connection: Redis, prefix: string, options: CreateQueuesOptions = {}): Queues {
  const make = <N extends QueueName>(name: N) => {
    const queue = new Queue<JobPayloads[N], unknown, N>(name, {
      connection,
      prefix,
      defaultJobOptions: defaultJobOptions(name),
    });
    // Without a listener BullMQ prints every reconnect failure to stderr.
    let lastLogged = 0;
    queue.on('error', (err: Error) => {
      const now = Date.now();
      if (now - lastLogged < QUEUE_ERROR_LOG_INTERVAL_MS) return;
      lastLogged = now;
      options.log?.warn({ err, queue: name }, `Queue ${name} error`);
    });
    return queue;
  };
  return { poll: make('poll'), analyze: make('analyze'), notify: make('notify') };
}

/** Closes every queue (the shared connection stays open: its owner quits it). */
export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all([queues.poll.close(), queues.analyze.close(), queues.notify.close()]);
}

export interface EnqueueOptions {
  /** Give up after this long in total (default 1500 ms) so chat commands answer even when Redis hangs. */
  timeoutMs?: number;
  /** Overrides merged over the catalog defaults, e.g. a `jobId` from `jobIdFor`. */
  opts?: JobsOptions;
}

/**
 * Adds one job, validated against the catalog, failing fast with {@link QueueUnavailableError}
 * when Redis is down (RELIABILITY #4) instead of waiting for a reconnect.
 */
export async function enqueue<N extends QueueName>(
  queue: Queue<JobPayloads[N], unknown, N>,
  data: JobPayloads[N],
  options: EnqueueOptions = {},
): Promise<string> {
  const name = queue.name as N;
  JOB_CATALOG[name].schema.parse(data);
  const timeoutMs = options.timeoutMs ?? 1500;
  const deadline = Date.now() + timeoutMs;
  const connection = queue.opts.connection;
  if (connection instanceof Redis) {
    // Producer connections have no offline queue: wait briefly for a (re)connect, then give up.
    await waitForRedis(connection, timeoutMs).catch(() => {
      throw new QueueUnavailableError(
        `Redis is not reachable (${connection.status}); the ${name} job was not queued. Try again when Redis is back.`,
      );
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const remaining = Math.max(1, deadline - Date.now());
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new QueueUnavailableError(`Redis did not accept the ${name} job within ${timeoutMs} ms; it may not have been queued.`)),
      remaining,
    );
  });
  try {
    // BullMQ's conditional generics do not resolve for a generic N; the catalog check above is the real guard.
    const job = await Promise.race([
      queue.add(name as Parameters<typeof queue.add>[0], data as Parameters<typeof queue.add>[1], {
        ...defaultJobOptions(name),
        ...options.opts,
      }),
      timeout,
    ]);
    return job.id ?? '';
  } catch (err) {
    if (err instanceof QueueUnavailableError) throw err;
    throw new QueueUnavailableError(`Could not queue the ${name} job: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}
