import { createHash } from 'node:crypto';
import type { JobSchedulerTemplateOptions } from 'bullmq';
import type { Source } from '../domain/index.js';
import { JOB_CATALOG } from './catalog.js';
import type { Queues } from './queues.js';

/** Every poll scheduler id starts with this; other schedulers in the queue are left alone. */
export const POLL_SCHEDULER_PREFIX = 'poll:';

/** The job scheduler id for a source. */
export function schedulerIdFor(sourceId: string): string {
  return `${POLL_SCHEDULER_PREFIX}${sourceId}`;
}

/**
 * Where within each interval a source fires, in ms: a hash of the scheduler id, so the value
 * is the same in every process and after every restart, and 500 sources spread over the
 * interval instead of firing together. Always in [1, everyMs) — BullMQ treats 0 as "now".
 */
export function scheduleOffsetMs(schedulerId: string, everyMs: number): number {
  if (everyMs <= 1) return 0;
  const hash = createHash('sha1').update(schedulerId).digest().readUInt32BE(0);
  return 1 + (hash % (everyMs - 1));
}

export interface SyncSchedulersOptions {
  /** Clock for the reported next runs (tests). */
  now?: () => number;
}

export interface ScheduledSource {
  sourceId: string;
  schedulerId: string;
  everyMs: number;
  offsetMs: number;
  /** When BullMQ will first run it, computed the same way BullMQ aligns `every` + `offset`. */
  nextRunAt: number;
}

export interface SyncSchedulersResult {
  scheduled: ScheduledSource[];
  /** Scheduler ids removed because their source is gone or disabled. */
  removed: string[];
}

// Removing an unknown scheduler is harmless, so a page size only bounds memory, not correctness.
const PAGE = 500;

async function listPollSchedulerIds(pollQueue: Queues['poll']): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = await pollQueue.getJobSchedulers(start, start + PAGE - 1, true);
    for (const scheduler of page) {
      const schedulerId = scheduler.id ?? scheduler.key;
      if (schedulerId.startsWith(POLL_SCHEDULER_PREFIX)) ids.push(schedulerId);
    }
    if (page.length < PAGE) return ids;
  }
}

/**
 * Makes the poll queue's job schedulers match the enabled sources: one `poll:<sourceId>`
 * scheduler each (upserted, so re-running is harmless and repairs a lost delayed job), and
 * none for sources that are gone or disabled.
 *
 * Safe to run from several processes at boot at once: each upsert is one atomic Redis script
 * and every process computes the same `every`/`offset`. Templates carry no `deduplication`
 * (bullmq#2954 makes it stop schedulers).
 */
export async function syncSchedulers(
  pollQueue: Queues['poll'],
  sources: readonly Source[],
  options: SyncSchedulersOptions = {},
): Promise<SyncSchedulersResult> {
  const now = (options.now ?? Date.now)();
  const wanted = new Map<string, Source>();
  for (const source of sources) {
    if (source.enabled === false) continue;
    if (!Number.isInteger(source.everyMs) || source.everyMs < 1000) {
      throw new RangeError(`Source "${source.id}" has everyMs=${source.everyMs}; poll intervals must be whole milliseconds ≥ 1000.`);
    }
    wanted.set(schedulerIdFor(source.id), source);
  }

  const template: JobSchedulerTemplateOptions = structuredClone(JOB_CATALOG.poll.options);
  const scheduled: ScheduledSource[] = [];
  for (const [schedulerId, source] of wanted) {
    const offsetMs = scheduleOffsetMs(schedulerId, source.everyMs);
    await pollQueue.upsertJobScheduler(
      // BullMQ types the scheduler id as the job-name type; any string is accepted at runtime.
      schedulerId as 'poll',
      { every: source.everyMs, offset: offsetMs },
      { name: 'poll', data: { sourceId: source.id }, opts: template },
    );
    let nextRunAt = Math.floor(now / source.everyMs) * source.everyMs + offsetMs;
    if (nextRunAt <= now) nextRunAt += source.everyMs;
    scheduled.push({ sourceId: source.id, schedulerId, everyMs: source.everyMs, offsetMs, nextRunAt });
  }

  const removed: string[] = [];
  for (const schedulerId of await listPollSchedulerIds(pollQueue)) {
    if (wanted.has(schedulerId)) continue;
    await pollQueue.removeJobScheduler(schedulerId);
    removed.push(schedulerId);
  }
  return { scheduled, removed };
}
