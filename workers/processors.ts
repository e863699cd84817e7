import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobLogger } from '../src/infra/index.js';
import {
  analyzeItem,
  deliverAlert,
  DeliveryFailedError,
  pollSource,
  type AnalyzeOutcome,
  type DeliverOutcome,
  type PollOutcome,
} from '../src/pipeline/index.js';
import { createWorkerOptions, parseJobData } from '../src/queue/index.js';
import { fetchUrl, isAllowedByRobots, parseFeed } from '../src/sources/index.js';
import { isDigestJob, processDigest } from './digest.js';
import type { Role } from './roles.js';
import { classifyDeliveryFailure } from '../src/notify/index.js';
import type { Runtime } from './runtime.js';

/** When a host has no free slot, try again after this long (plus jitter). */
const HOST_BUSY_DELAY_MS = 2000;

export async function processPoll(runtime: Runtime, job: Job, token: string | undefined): Promise<PollOutcome> {
  const { sourceId } = parseJobData('poll', job.data);
  const log = jobLogger(runtime.log, { jobId: job.id, sourceId, queue: 'poll' });
  const source = await runtime.sources.get(sourceId);
  const host = source ? safeHost(source.url) : undefined;
  const slot = `${job.id ?? 'job'}:${job.attemptsStarted}`;
  if (host && !(await runtime.hostSlots.acquire(host, slot, Date.now()))) {
    await job.moveToDelayed(Date.now() + HOST_BUSY_DELAY_MS + Math.floor(Math.random() * 1000), token);
    throw new DelayedError();
  }
  // A poll may fetch twice (robots.txt, then the feed), each up to the fetch timeout: renew the
  // lease before each fetch so it cannot run out mid-poll and let another worker exceed the limit.
  const renewed: typeof fetchUrl = async (url, options) => {
    if (host && !(await runtime.hostSlots.acquire(host, slot, Date.now()))) {
      log.debug({ host }, 'Host slot lease ran out and the host is busy; fetching anyway rather than dropping the poll');
    }
    return fetchUrl(url, options);
  };
  try {
    const outcome = await pollSource(
      {
        sources: runtime.sources,
        fetchState: runtime.fetchState,
        seen: runtime.seen,
        fetch: renewed,
        parse: parseFeed,
        enqueueAnalyze: runtime.enqueueAnalyze,
        fetchOptions: runtime.fetchOptions,
        allowedByRobots: (url) => isAllowedByRobots(url, (robotsUrl) => renewed(robotsUrl, runtime.fetchOptions)),
        failuresBeforePause: runtime.config.pipeline.failuresBeforePause,
        pausedRetryMs: runtime.config.pipeline.pausedRetryMs,
        seenRetentionMs: runtime.config.pipeline.seenRetentionDays * 24 * 3600 * 1000,
        warnOps: runtime.warnOps,
        events: runtime.events,
      },
      sourceId,
    );
    if (outcome.kind === 'failed') log.warn({ code: outcome.code, failures: outcome.failures }, outcome.message);
    else log.debug({ outcome }, 'polled');
    return outcome;
  } finally {
    if (host) await runtime.hostSlots.release(host, slot);
  }
}

export async function processAnalyze(runtime: Runtime, job: Job): Promise<AnalyzeOutcome['kind']> {
  const data = parseJobData('analyze', job.data);
  const outcome = await analyzeItem(
    {
      sources: runtime.sources,
      classifier: runtime.classifier,
      stories: runtime.stories,
      alerts: runtime.alerts,
      routes: runtime.config.routes,
      enqueueNotify: runtime.enqueueNotify,
      fetchArticleText: runtime.fetchArticleText,
      articleMinChars: runtime.config.fetch.articleMinChars,
      mutedTerms: runtime.mutedTerms,
      events: runtime.events,
    },
    { item: data.item, discoveredAt: data.discoveredAt },
  );
  if (outcome.kind !== 'ignored') {
    jobLogger(runtime.log, { jobId: job.id, sourceId: data.item.sourceId, queue: 'analyze' }).info(
      { alertId: outcome.alert.id, decision: outcome.alert.decision, score: outcome.alert.score, jobs: outcome.jobs.length },
      outcome.kind === 'new-story' ? `New ${outcome.alert.decision}: ${outcome.alert.title}` : `Story grew: ${outcome.alert.title}`,
    );
  }
  return outcome.kind;
}

export async function processNotify(runtime: Runtime, job: Job, token: string | undefined): Promise<DeliverOutcome> {
  const data = parseJobData('notify', job.data);
  const log = jobLogger(runtime.log, { jobId: job.id, queue: 'notify' });
  let outcome: DeliverOutcome;
  try {
    outcome = await deliverAlert(
      {
        alerts: runtime.alerts,
        targets: runtime.targets,
        notifiers: runtime.notifiers,
        routes: runtime.config.routes,
        sources: runtime.sources,
        classifyFailure: classifyDeliveryFailure,
        warnOps: runtime.warnOps,
        events: runtime.events,
      },
      data,
    );
  } catch (err) {
    if (err instanceof DeliveryFailedError && err.permanent) throw new UnrecoverableError(err.message);
    log.warn({ err, target: data.target, attempt: job.attemptsMade + 1 }, 'Delivery failed; will retry');
    throw err;
  }
  if (outcome.kind === 'wait') {
    // Rate limited: come back when the platform says, without spending an attempt.
    log.info({ target: data.target, ms: outcome.ms }, `Rate limited: ${outcome.reason}`);
    await job.moveToDelayed(Date.now() + outcome.ms, token);
    throw new DelayedError();
  }
  if (outcome.kind === 'skipped') log.info({ target: data.target, alertId: data.alertId }, outcome.reason);
  return outcome;
}

/** Creates the BullMQ workers for the given roles, each on its own blocking connection. */
export function startWorkers(
  runtime: Runtime,
  roles: readonly Role[],
  connect: (name: string) => Redis,
  tuning: { stalledIntervalMs?: number; lockDurationMs?: number } = {},
): Worker[] {
  const prefix = runtime.env.prefix;
  const workers: Worker[] = [];
  const make = (role: Role, processor: (job: Job, token: string | undefined) => Promise<unknown>) => {
    const connection = connect(`refwatch:${role}`);
    const worker = new Worker(role, processor, {
      ...createWorkerOptions({ queue: role, connection, prefix, ...tuning }),
      autorun: true,
    });
    worker.on('error', (err) => runtime.log.error({ err, role }, `${role} worker error`));
    worker.on('failed', (job, err) => runtime.log.warn({ err, role, jobId: job?.id, attempts: job?.attemptsMade }, `${role} job failed`));
    worker.on('stalled', (jobId) => runtime.log.warn({ role, jobId }, `${role} job stalled; it will be retried`));
    workers.push(worker);
  };
  if (roles.includes('poll')) make('poll', (job, token) => processPoll(runtime, job, token));
  if (roles.includes('analyze')) make('analyze', (job) => processAnalyze(runtime, job));
  if (roles.includes('notify')) {
    make('notify', (job, token) => (isDigestJob(job) ? processDigest(runtime, job) : processNotify(runtime, job, token)));
  }
  return workers;
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
