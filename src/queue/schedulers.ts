import { createHash } from 'node:crypto';
import type { JobSchedulerTemplateOptions } from 'bullmq';
import type { Source } from '../domain/index.js';
import { JOB_CATALOG, jobIdFor } from './catalog.js';
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

  const scheduled: ScheduledSource[] = [];
  for (const source of wanted.values()) scheduled.push(await upsertPollScheduler(pollQueue, source, now));

  const removed: string[] = [];
  for (const schedulerId of await listPollSchedulerIds(pollQueue)) {
    if (wanted.has(schedulerId)) continue;
    await pollQueue.removeJobScheduler(schedulerId);
    removed.push(schedulerId);
  }
  return { scheduled, removed };
}

/** Upserts one source's poll scheduler (same id, interval and offset as syncSchedulers). */
async function upsertPollScheduler(pollQueue: Queues['poll'], source: Source, now: number): Promise<ScheduledSource> {
  const schedulerId = schedulerIdFor(source.id);
  const offsetMs = scheduleOffsetMs(schedulerId, source.everyMs);
  const template: JobSchedulerTemplateOptions = structuredClone(JOB_CATALOG.poll.options);
  await pollQueue.upsertJobScheduler(
    // BullMQ types the scheduler id as the job-name type; any string is accepted at runtime.
    schedulerId as 'poll',
    { every: source.everyMs, offset: offsetMs },
    { name: 'poll', data: { sourceId: source.id }, opts: template },
  );
  let nextRunAt = Math.floor(now / source.everyMs) * source.everyMs + offsetMs;
  if (nextRunAt <= now) nextRunAt += source.everyMs;
  return { sourceId: source.id, schedulerId, everyMs: source.everyMs, offsetMs, nextRunAt };
}

/**
 * Schedules one source added at run time (from chat) without touching the others, and polls
 * it once right away so its baseline is recorded at once.
 */
export async function scheduleSource(pollQueue: Queues['poll'], source: Source, now = Date.now()): Promise<ScheduledSource> {
  const scheduled = await upsertPollScheduler(pollQueue, source, now);
  await pollQueue.add('poll', { sourceId: source.id }, { ...JOB_CATALOG.poll.options, jobId: jobIdFor('poll-now', source.id, now) });
  return scheduled;
}
