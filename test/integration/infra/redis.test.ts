import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisConfigError,
  RedisPolicyError,
  assertWorkerConnection,
  checkEvictionPolicy,
  createProducerConnection,
  createWorkerConnection,
  ensureRedis,
  pingRedis,
  startEmbeddedRedis,
  waitForRedis,
  type EmbeddedRedis,
} from '../../../src/infra/index.js';
import { QueueUnavailableError, closeQueues, createQueues, enqueue } from '../../../src/queue/index.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'refwatch-infra-'));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const silentLog = { warn: () => undefined };

describe('Redis eviction policy (RELIABILITY #7)', () => {
  let server: EmbeddedRedis;
  let admin: Redis;

  beforeAll(async () => {
    server = await startEmbeddedRedis({ dir: tempDir(), appendonly: false });
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    await admin.quit();
    await server.stop();
  });

  it('throws RedisPolicyError naming the fix when the policy is allkeys-lru', async () => {
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const client = createProducerConnection(server.url, { log: silentLog });
    try {
      await waitForRedis(client, 2000);
      const error = await checkEvictionPolicy(client).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(RedisPolicyError);
      expect((error as RedisPolicyError).policy).toBe('allkeys-lru');
      expect((error as Error).message).toMatch(/^Redis maxmemory-policy is allkeys-lru; .*maxmemory-policy noeviction/);
    } finally {
      client.disconnect();
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });

  it('accepts noeviction', async () => {
    const client = createProducerConnection(server.url, { log: silentLog });
    try {
      await waitForRedis(client, 2000);
      expect(await checkEvictionPolicy(client)).toEqual({ ok: true, policy: 'noeviction' });
    } finally {
      client.disconnect();
    }
  });

  it('returns a warning instead of failing when CONFIG is not permitted (managed Redis)', async () => {
    await admin.call('ACL', 'SETUSER', 'limited', 'on', '>limited-pw', '~*', '&*', '+@all', '-config');
    const client = createProducerConnection(`redis://limited:limited-pw@127.0.0.1:${server.port}`, { log: silentLog });
    try {
      await waitForRedis(client, 2000);
      const result = await checkEvictionPolicy(client);
      expect(result.ok).toBe(false);
      expect(result.ok ? '' : result.warning).toMatch(/Could not read Redis maxmemory-policy .*NOPERM/);
    } finally {
      client.disconnect();
    }
  });
});

describe('connection options (RELIABILITY #4)', () => {
  it('worker connections never give up on commands; producer ones fail fast', () => {
    const worker = createWorkerConnection('redis://127.0.0.1:1', { log: silentLog, overrides: { lazyConnect: true } });
    const producer = createProducerConnection('redis://127.0.0.1:1', { log: silentLog, overrides: { lazyConnect: true } });
    expect(worker.options).toMatchObject({ maxRetriesPerRequest: null, enableReadyCheck: true });
    expect(producer.options).toMatchObject({ maxRetriesPerRequest: 1, enableOfflineQueue: false });
    expect(() => assertWorkerConnection(worker)).not.toThrow();
    expect(() => assertWorkerConnection(producer)).toThrow(RedisConfigError);
    expect(() => assertWorkerConnection(producer)).toThrow(/maxRetriesPerRequest=1; BullMQ workers need null/);
    worker.disconnect();
    producer.disconnect();
  });

  it('logs connection errors instead of crashing, once per interval', async () => {
    const lines: string[] = [];
    const client = createWorkerConnection(`redis://127.0.0.1:${await freePort()}`, {
      log: { warn: (_obj, msg) => lines.push(msg) },
      overrides: { retryStrategy: () => 50 },
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    client.disconnect();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Redis connection error/);
  });

  it('BullMQ refuses a worker built on a producer connection', () => {
    const producer = createProducerConnection('redis://127.0.0.1:1', { log: silentLog, overrides: { lazyConnect: true } });
    expect(() => new Worker('poll', async () => undefined, { connection: producer, autorun: false })).toThrow(/maxRetriesPerRequest/);
    producer.disconnect();
  });
});

describe('producer with Redis down (RELIABILITY #4)', () => {
  it('enqueue fails within 2 s when Redis goes away after connecting', async () => {
    const server = await startEmbeddedRedis({ dir: tempDir(), appendonly: false });
    const connection = createProducerConnection(server.url, { log: silentLog });
    const queues = createQueues(connection, 'refwatch-down-test');
    try {
      await enqueue(queues.poll, { sourceId: 'unhcr' });
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await expect(enqueue(queues.poll, { sourceId: 'unhcr' })).rejects.toBeInstanceOf(QueueUnavailableError);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await server.stop();
      connection.disconnect();
      await closeQueues(queues).catch(() => undefined);
    }
  });

  it('enqueue fails within 2 s when Redis was never there', async () => {
    const connection = createProducerConnection(`redis://127.0.0.1:${await freePort()}`, { log: silentLog });
    const queues = createQueues(connection, 'refwatch-never-test');
    try {
      const started = Date.now();
      const error = await enqueue(queues.notify, { alertId: 'a1', target: 'console', action: 'post' }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(QueueUnavailableError);
      expect((error as Error).message).toMatch(/^Redis is not reachable \((connecting|reconnecting)\); the notify job was not queued/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      connection.disconnect();
      await closeQueues(queues).catch(() => undefined);
    }
  });
});

describe('ensureRedis', () => {
  it('starts an embedded redis-server when the default URL has nothing listening', async () => {
    const defaultUrl = `redis://127.0.0.1:${await freePort()}`;
    expect(await pingRedis(defaultUrl, 300)).toBe(false);
    const started: string[] = [];
    const found = await ensureRedis({
      url: undefined,
      defaultUrl,
      embedded: { dir: tempDir(), appendonly: false },
      onEmbeddedStart: (redis) => started.push(redis.url),
    });
    try {
      expect(found.embedded).toBeDefined();
      expect(found.url).not.toBe(defaultUrl);
      expect(started).toEqual([found.url]);
      expect(await pingRedis(found.url)).toBe(true);
    } finally {
      await found.embedded?.stop();
    }
    expect(await pingRedis(found.url, 300)).toBe(false);
  });

  it('uses the default URL when something answers there', async () => {
    const server = await startEmbeddedRedis({ dir: tempDir(), appendonly: false });
    try {
      const found = await ensureRedis({ url: undefined, defaultUrl: server.url, embedded: { dir: tempDir(), appendonly: false } });
      expect(found).toEqual({ url: server.url });
    } finally {
      await server.stop();
    }
  });
});
