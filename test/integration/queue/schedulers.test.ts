import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Source } from '../../../src/domain/index.js';
import { createProducerConnection } from '../../../src/infra/index.js';
import { closeQueues, createQueues, scheduleOffsetMs, schedulerIdFor, syncSchedulers, type Queues } from '../../../src/queue/index.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis.js';

const HOUR = 3_600_000;

function makeSources(count: number, everyMs = HOUR): Source[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `src-${String(i).padStart(3, '0')}`,
    type: 'rss' as const,
    url: `https://example.org/feed/${i}.xml`,
    everyMs,
  }));
}

async function delayedJobsBySource(queues: Queues): Promise<Map<string, number>> {
  const jobs = await queues.poll.getJobs(['delayed', 'wait'], 0, -1);
  const counts = new Map<string, number>();
  for (const job of jobs) counts.set(job.data.sourceId, (counts.get(job.data.sourceId) ?? 0) + 1);
  return counts;
}

describe('syncSchedulers (RELIABILITY #3)', () => {
  let test: TestRedis;
  let queueSets: Queues[];
  let connections: Array<ReturnType<typeof createProducerConnection>>;

  beforeEach(() => {
    test = createTestRedis();
    // One connection + queue set per simulated process, as at a real multi-process boot.
    connections = Array.from({ length: 4 }, () => createProducerConnection(testRedisUrl()));
    queueSets = connections.map((connection) => createQueues(connection, test.prefix));
  });

  afterEach(async () => {
    await Promise.all(queueSets.map((queues) => closeQueues(queues)));
    await Promise.all(connections.map((connection) => connection.quit()));
    await test.cleanup();
  });

  it('4 concurrent syncs then 10 more leave exactly one scheduler and one delayed job per source', async () => {
    const sources = makeSources(50);
    await Promise.all(queueSets.map((queues) => syncSchedulers(queues.poll, sources)));
    for (let run = 0; run < 10; run += 1) await syncSchedulers(queueSets[run % 4]!.poll, sources);

    const poll = queueSets[0]!.poll;
    expect(await poll.getJobSchedulersCount()).toBe(50);
    const schedulers = await poll.getJobSchedulers(0, -1);
    expect(new Set(schedulers.map((s) => s.key))).toEqual(new Set(sources.map((s) => schedulerIdFor(s.id))));
    for (const scheduler of schedulers) {
      expect(scheduler.every).toBe(HOUR);
      expect(scheduler.template?.data).toEqual({ sourceId: scheduler.key.slice('poll:'.length) });
      expect(scheduler.template?.opts ?? {}).not.toHaveProperty('deduplication');
    }

    const perSource = await delayedJobsBySource(queueSets[0]!);
    expect(perSource.size).toBe(50);
    expect([...perSource.values()].every((n) => n === 1)).toBe(true);
    const counts = await poll.getJobCounts('delayed', 'wait', 'active');
    expect(counts).toEqual({ delayed: 50, wait: 0, active: 0 });
  });

  it('places each first run at its hashed offset within the interval, spread out', async () => {
    const sources = makeSources(50);
    const result = await syncSchedulers(queueSets[0]!.poll, sources);
    const jobs = await queueSets[0]!.poll.getJobs(['delayed'], 0, -1);
    expect(jobs).toHaveLength(50);
    for (const job of jobs) {
      const dueAt = job.timestamp + job.delay;
      const expected = scheduleOffsetMs(schedulerIdFor(job.data.sourceId), HOUR);
      expect(((dueAt % HOUR) + HOUR) % HOUR).toBe(expected);
    }
    // Spread: 50 sources over 10 equal slices of the hour, no slice holds more than a quarter.
    const slices = new Array<number>(10).fill(0);
    for (const s of result.scheduled) slices[Math.floor((s.offsetMs / HOUR) * 10)]! += 1;
    expect(Math.max(...slices)).toBeLessThanOrEqual(12);
    expect(new Set(result.scheduled.map((s) => s.offsetMs)).size).toBe(50);
  });

  it('removes schedulers (and their pending job) for sources that are gone or disabled', async () => {
    const sources = makeSources(5);
    const poll = queueSets[0]!.poll;
    await syncSchedulers(poll, sources);

    const next = sources.slice(0, 3).concat({ ...sources[3]!, enabled: false });
    const result = await syncSchedulers(poll, next);
    expect(result.removed.sort()).toEqual(['poll:src-003', 'poll:src-004']);
    expect((await poll.getJobSchedulers(0, -1)).map((s) => s.key).sort()).toEqual(['poll:src-000', 'poll:src-001', 'poll:src-002']);
    expect([...(await delayedJobsBySource(queueSets[0]!)).keys()].sort()).toEqual(['src-000', 'src-001', 'src-002']);
  });

  it('leaves schedulers that are not poll schedulers alone', async () => {
    const poll = queueSets[0]!.poll;
    await poll.upsertJobScheduler('digest' as 'poll', { every: HOUR }, { name: 'poll', data: { sourceId: 'x' } });
    await syncSchedulers(poll, makeSources(2));
    expect((await poll.getJobSchedulers(0, -1)).map((s) => s.key).sort()).toEqual(['digest', 'poll:src-000', 'poll:src-001']);
  });

  it('changes the interval of an existing scheduler in place', async () => {
    const poll = queueSets[0]!.poll;
    await syncSchedulers(poll, makeSources(1, HOUR));
    await syncSchedulers(poll, makeSources(1, 15 * 60_000));
    const schedulers = await poll.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.every)).toEqual([15 * 60_000]);
    expect(await poll.getJobCounts('delayed')).toEqual({ delayed: 1 });
  });
});
