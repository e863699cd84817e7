import { createHash } from 'node:crypto';
import { UnrecoverableError, type JobsOptions } from 'bullmq';
import { z } from 'zod';
import type { Item } from '../domain/index.js';

/** The three queues, in pipeline order. */
export const QUEUE_NAMES = ['poll', 'analyze', 'notify'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** `poll`: fetch one source. */
export interface PollPayload {
  sourceId: string;
}

/** `analyze`: classify one new item. `baseline: false` marks a backfilled first-poll item. */
export interface AnalyzePayload {
  item: Item;
  /** ISO 8601, when the poll first saw the item (for alert latency). */
  discoveredAt: string;
  baseline?: false;
}

/** `notify`: post or edit one alert on one target ("discord:<id>", "slack:<channel>", "console"). */
export interface NotifyPayload {
  alertId: string;
  target: string;
  action: 'post' | 'edit';
}

export interface JobPayloads {
  poll: PollPayload;
  analyze: AnalyzePayload;
  notify: NotifyPayload;
}

const id = z.string().min(1).max(512);
const optionalText = z.string().optional();

const itemSchema = z.object({
  sourceId: id,
  id,
  title: z.string(),
  summary: z.string(),
  text: optionalText,
  url: optionalText,
  canonicalUrl: optionalText,
  published: z.iso.datetime({ offset: true }).optional(),
  lang: optionalText,
  author: optionalText,
  publisher: optionalText,
});

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

/** Payload schema and default options per job name (job name = queue name). */
export const JOB_CATALOG = {
  poll: {
    schema: z.object({ sourceId: id }),
    // The scheduler's next run is the retry; failures are counted in the source state.
    options: { attempts: 1, removeOnComplete: { age: HOUR_S, count: 1000 }, removeOnFail: { age: 7 * DAY_S, count: 5000 } },
  },
  analyze: {
    schema: z.object({
      item: itemSchema,
      discoveredAt: z.iso.datetime({ offset: true }),
      baseline: z.literal(false).optional(),
    }),
    options: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: DAY_S, count: 10_000 },
      removeOnFail: { age: 7 * DAY_S },
    },
  },
  notify: {
    schema: z.object({
      alertId: id,
      target: z.string().regex(/^(discord:[^\s]+|slack:[^\s]+|console)$/, 'target must be discord:<id>, slack:<channel> or console'),
      action: z.enum(['post', 'edit']),
    }),
    // 8 attempts over ~8.5 min of exponential backoff rides out a platform outage.
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: DAY_S, count: 10_000 },
      removeOnFail: { age: 7 * DAY_S },
    },
  },
} as const satisfies Record<QueueName, { schema: z.ZodType; options: JobsOptions }>;

/** Default BullMQ options for a job name, as a fresh mutable copy. */
export function defaultJobOptions(name: QueueName): JobsOptions {
  return structuredClone(JOB_CATALOG[name].options) as JobsOptions;
}

/**
 * Validates job data at the worker edge. A bad payload can never succeed on retry, so it
 * throws BullMQ's `UnrecoverableError` (the job fails at once, with the reason).
 */
export function parseJobData<N extends QueueName>(name: N, data: unknown): JobPayloads[N] {
  const entry = JOB_CATALOG[name] as { schema: z.ZodType } | undefined;
  if (!entry) throw new UnrecoverableError(`Unknown job name "${String(name)}"; expected one of ${QUEUE_NAMES.join(', ')}.`);
  const result = entry.schema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new UnrecoverableError(`Invalid ${name} job payload (${issues}); the producer and worker versions may differ.`);
  }
  // zod's optional fields infer `T | undefined`; parsed JSON never holds undefined, so this is the domain shape.
  return result.data as JobPayloads[N];
}

const KIND = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * A job id for idempotent enqueueing: `<kind>_<sha1 hex of parts>`. Never contains `:` and is
 * never all digits, both of which BullMQ refuses (RELIABILITY #2).
 */
export function jobIdFor(kind: string, ...parts: ReadonlyArray<string | number>): string {
  if (!KIND.test(kind)) throw new TypeError(`jobIdFor: kind "${kind}" must match ${KIND}`);
  // NUL cannot occur in ids or URLs, so ("a","bc") and ("ab","c") hash differently.
  const hash = createHash('sha1').update(parts.map(String).join('\u0000')).digest('hex');
  return `${kind}_${hash}`;
}

/**
 * The one job id for posting an alert on a target, shared by every producer (analyze, triage
 * promotion): two ids for one (alert, target) would let two jobs run at once and both post.
 */
export function postJobId(alertId: string, target: string): string {
  return jobIdFor('post', alertId, target);
}
