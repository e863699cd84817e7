import { Worker, type Job } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProducerConnection, createWorkerConnection, getQueueStats, waitForRedis } from '../../../src/infra/index.js';
import {
  closeQueues,
  createQueues,
  createWorkerOptions,
  enqueue,
  jobIdFor,
  parseJobData,
  syncSchedulers,
  type Queues,
} from '../../../src/queue/index.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis.js';

const silentLog = { warn: () => undefined };

describe('queues with real workers', () => {
  let test: TestRedis;
  let producer: ReturnType<typeof createProducerConnection>;
  let workerConnection: ReturnType<typeof createWorkerConnection>;
  let queues: Queues;
  const workers: Worker[] = [];

  beforeEach(async () => {
    test = createTestRedis();
    producer = createProducerConnection(testRedisUrl(), { log: silentLog });
    workerConnection = createWorkerConnection(testRedisUrl(), { log: silentLog });
    await waitForRedis(producer, 5000);
    queues = createQueues(producer, test.prefix);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
    await closeQueues(queues);
    producer.disconnect();
    workerConnection.disconnect();
    await test.cleanup();
  });

  it('fails a bad payload at once, without spending the 8 attempts', async () => {
    const processed: unknown[] = [];
    const failed = new Promise<Job>((resolve) => {
      const worker = new Worker(
        'notify',
        async (job) => processed.push(parseJobData('notify', job.data)),
        createWorkerOptions({ queue: 'notify', connection: workerConnection, prefix: test.prefix }),
      );
      worker.on('failed', (job) => job && resolve(job));
      workers.push(worker);
    });
    // Bypass enqueue's validation, as an older producer might.
    await queues.notify.add('notify', { alertId: 'a', target: 'pager:1', action: 'post' } as never, { attempts: 8 });
    const job = await failed;
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^Invalid notify job payload \(target: target must be/);
    expect(processed).toEqual([]);
    expect(await queues.notify.getJobCounts('failed', 'delayed', 'wait')).toEqual({ failed: 1, delayed: 0, wait: 0 });
  });

  it('enqueue with a jobIdFor id adds a job once', async () => {
    const jobId = jobIdFor('nt', 'al_1', 'console');
    const first = await enqueue(queues.notify, { alertId: 'al_1', target: 'console', action: 'post' }, { opts: { jobId } });
    const second = await enqueue(queues.notify, { alertId: 'al_1', target: 'console', action: 'post' }, { opts: { jobId } });
    expect(first).toBe(jobId);
    expect(second).toBe(jobId);
    expect(await queues.notify.getJobCounts('wait')).toEqual({ wait: 1 });
    const job = await queues.notify.getJob(jobId);
    expect(job?.opts.attempts).toBe(8);
  });

  it('reports the oldest runnable job, including overdue delayed jobs no worker promoted', async () => {
    await enqueue(queues.analyze, {
      item: { sourceId: 's', id: 'i', title: 't', summary: '' },
      discoveredAt: new Date().toISOString(),
    });
    await queues.poll.add('poll', { sourceId: 's' }, { delay: 1000 });
    const now = Date.now();
    const analyze = await getQueueStats(queues.analyze, now + 60_000);
    expect(analyze.counts.waiting).toBe(1);
    expect(analyze.oldestWaitingMs).toBeGreaterThanOrEqual(59_000);
    expect(analyze.oldestWaitingMs).toBeLessThan(61_000);
    // The delayed poll job is due in 1 s: not waiting yet, then overdue by ~59 s.
    expect((await getQueueStats(queues.poll, now)).oldestWaitingMs).toBe(0);
    const later = await getQueueStats(queues.poll, now + 60_000);
    expect(later.counts.delayed).toBe(1);
    expect(later.oldestWaitingMs).toBeGreaterThanOrEqual(58_000);
    expect(later.oldestWaitingMs).toBeLessThanOrEqual(60_000);
  });

  it('schedulers keep firing: each source polled once per interval', async () => {
    const polls = new Map<string, number>();
    const sources = ['a', 'b', 'c'].map((id) => ({ id, type: 'rss' as const, url: `https://example.org/${id}`, everyMs: 1000 }));
    await syncSchedulers(queues.poll, sources);
    const worker = new Worker(
      'poll',
      async (job) => {
        const { sourceId } = parseJobData('poll', job.data);
        polls.set(sourceId, (polls.get(sourceId) ?? 0) + 1);
      },
      createWorkerOptions({ queue: 'poll', connection: workerConnection, prefix: test.prefix }),
    );
    workers.push(worker);
    await new Promise((resolve) => setTimeout(resolve, 4200));
    await worker.close();
    // ~4 intervals elapsed; each source fires once per interval, never twice in one.
    for (const id of ['a', 'b', 'c']) {
      expect(polls.get(id)).toBeGreaterThanOrEqual(3);
      expect(polls.get(id)).toBeLessThanOrEqual(5);
    }
    expect(await queues.poll.getJobSchedulersCount()).toBe(3);
  });
});
