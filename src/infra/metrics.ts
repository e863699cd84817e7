import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUEUE_STATES, getQueueStats } from './queue-stats.js';

/** Every series name starts with this. */
export const METRICS_PREFIX = 'refwatch_';

// Alert latency spans seconds (a busy feed) to a day (a weekly NGO page): cover both ends.
const LATENCY_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event-loop lag) as `refwatch_process_*`/`refwatch_nodejs_*`. Default true. */
  processMetrics?: boolean;
  /** Called when a scrape cannot read queue counts (Redis down); the queue gauges are then left empty. */
  onCollectError?: (err: unknown) => void;
}

/** The instruments the pipeline calls, all in one registry owned by the caller. */
export interface Metrics {
  readonly registry: Registry;
  /** One per poll: outcome e.g. `ok`, `not-modified`, `error`, `paused`. */
  readonly pollsTotal: Counter<'source' | 'outcome'>;
  /** Poll failures by fetch/parse error code (`timeout`, `http-status`, `parse` …). */
  readonly pollErrorsTotal: Counter<'source' | 'code'>;
  /** New items (not seen before) per source. */
  readonly itemsTotal: Counter<'source'>;
  /** Classifier decisions: `alert`, `review`, `ignore`. */
  readonly decisionsTotal: Counter<'decision'>;
  /** Messages posted (or edited) per target, e.g. `discord:123`. */
  readonly alertsPostedTotal: Counter<'target'>;
  /** Delivery failures per target and FailureAction kind. */
  readonly deliveryFailuresTotal: Counter<'target' | 'kind'>;
  /** Jobs per queue and state, read from BullMQ on each scrape. */
  readonly queueDepth: Gauge<'queue' | 'state'>;
  /** Seconds from the item's publication (or discovery) to the alert being posted. */
  readonly alertLatencySeconds: Histogram<'from'>;
  /** Age of the longest-runnable job per queue, read on each scrape. */
  readonly oldestWaitingJobSeconds: Gauge<'queue'>;
  /** Queues whose depth and oldest job are collected on scrape. Replaces any earlier set. */
  watchQueues(queues: readonly Queue[]): void;
  /** Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** Creates a fresh registry with every Refoulement Watch instrument (never the global default registry). */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  let watched: readonly Queue[] = [];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name: METRICS_PREFIX + name, help, labelNames, registers: [registry] });

  // Both queue gauges are filled from one read of each queue: prom-client collects all metrics
  // of a scrape concurrently, so the second collect joins the read already in flight.
  let inflight: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (inflight) return inflight;
    const now = Date.now();
    inflight = (async () => {
      queueDepth.reset();
      oldestWaitingJobSeconds.reset();
      await Promise.all(
        watched.map(async (queue) => {
          try {
            const stats = await getQueueStats(queue, now);
            for (const state of QUEUE_STATES) queueDepth.set({ queue: queue.name, state }, stats.counts[state]);
            oldestWaitingJobSeconds.set({ queue: queue.name }, stats.oldestWaitingMs / 1000);
          } catch (err) {
            // Leave this queue's series out rather than fail the whole scrape or show stale numbers.
            options.onCollectError?.(err);
          }
        }),
      );
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  const queueDepth: Gauge<'queue' | 'state'> = new Gauge({
    name: `${METRICS_PREFIX}queue_depth`,
    help: 'Jobs per queue and state (BullMQ getJobCounts at scrape time)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    collect: refresh,
  });
  const oldestWaitingJobSeconds: Gauge<'queue'> = new Gauge({
    name: `${METRICS_PREFIX}oldest_waiting_job_seconds`,
    help: 'Seconds the oldest runnable job (waiting, or delayed and overdue) has waited, per queue',
    labelNames: ['queue'],
    registers: [registry],
    collect: refresh,
  });

  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });

  return {
    registry,
    pollsTotal: counter('polls_total', 'Source polls by outcome', ['source', 'outcome']),
    pollErrorsTotal: counter('poll_errors_total', 'Failed source polls by error code', ['source', 'code']),
    itemsTotal: counter('items_total', 'New items found per source', ['source']),
    decisionsTotal: counter('decisions_total', 'Classifier decisions', ['decision']),
    alertsPostedTotal: counter('alerts_posted_total', 'Alert messages posted or edited per target', ['target']),
    deliveryFailuresTotal: counter('delivery_failures_total', 'Failed deliveries per target and failure kind', ['target', 'kind']),
    queueDepth,
    alertLatencySeconds: new Histogram<'from'>({
      name: `${METRICS_PREFIX}alert_latency_seconds`,
      help: 'Seconds from item publication or discovery to the alert being posted',
      labelNames: ['from'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    oldestWaitingJobSeconds,
    watchQueues(queues) {
      watched = [...queues];
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
