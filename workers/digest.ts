/**
 * Daily digests: a route with `digest: { at: "08:00", timezone: "Asia/Seoul" }` gets, at that
 * local time, one message listing the stories it received since the previous digest. The
 * schedule is a BullMQ job scheduler on the notify queue (cron pattern + time zone), so it
 * survives restarts and fires once however many processes run the notify role.
 */
import type { Job } from 'bullmq';
import { parseTarget } from '../src/domain/index.js';
import { alertsForDigest, digestCron, formatDigest } from '../src/pipeline/index.js';
import type { Queues } from '../src/queue/index.js';
import type { Runtime } from './runtime.js';

const DIGEST_SCHEDULER_PREFIX = 'digest:';
const DAY_MS = 24 * 3600 * 1000;

/** Upserts one digest scheduler per route that asks for one, and removes the others. */
export async function syncDigestSchedulers(queues: Queues, routes: Runtime['config']['routes']): Promise<number> {
  const wanted = new Set<string>();
  for (const [index, route] of routes.entries()) {
    if (!route.digest) continue;
    const id = `${DIGEST_SCHEDULER_PREFIX}${index}`;
    wanted.add(id);
    await queues.notify.upsertJobScheduler(
      id as 'notify',
      { pattern: digestCron(route.digest.at), tz: route.digest.timezone },
      // The notify worker tells digest jobs apart by name; the payload is just the route's index.
      { name: 'digest' as 'notify', data: { route: index } as never },
    );
  }
  for (const scheduler of await queues.notify.getJobSchedulers(0, -1)) {
    const id = scheduler.id ?? scheduler.key;
    if (id.startsWith(DIGEST_SCHEDULER_PREFIX) && !wanted.has(id)) await queues.notify.removeJobScheduler(id);
  }
  return wanted.size;
}

export function isDigestJob(job: Job): boolean {
  return job.name === 'digest';
}

/** Sends one route's digest to each of its targets and remembers when, for the next one. */
export async function processDigest(runtime: Runtime, job: Job): Promise<{ route: number; stories: number }> {
  const index = Number((job.data as { route?: unknown }).route);
  const route = runtime.config.routes[index];
  if (!route?.digest) return { route: index, stories: 0 };
  const lastKey = `${runtime.env.prefix}:digest:${index}:last`;
  const now = new Date();
  const last = Number(await runtime.redis.get(lastKey));
  const since = Number.isFinite(last) && last > 0 ? last : now.getTime() - DAY_MS;
  const stories = alertsForDigest(route, await runtime.alerts.listSince(since), since);
  const text = formatDigest(stories, since, now);
  // Targets this run already reached: a retry after one target failed (or a stalled job run
  // again) must not send the others a second digest. The job id is the same across retries.
  const sentKey = `${runtime.env.prefix}:digest:${index}:sent:${job.id ?? 'manual'}`;
  for (const targetText of route.to) {
    const target = parseTarget(targetText);
    if (!target) continue;
    if ((await runtime.redis.hexists(sentKey, targetText)) === 1) continue;
    const notifier = runtime.notifiers[target.platform];
    await notifier?.notice?.(target.platform === 'console' ? 'console' : target.channel, text);
    await runtime.redis
      .multi()
      .hset(sentKey, targetText, String(now.getTime()))
      .pexpire(sentKey, 2 * DAY_MS)
      .exec();
  }
  await runtime.redis.set(lastKey, String(now.getTime()));
  runtime.log.info({ route: index, stories: stories.length }, 'Daily digest sent');
  return { route: index, stories: stories.length };
}
