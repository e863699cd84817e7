import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHealthCheck,
  createMetrics,
  createProducerConnection,
  startEmbeddedRedis,
  startHttpServer,
  waitForRedis,
  type EmbeddedRedis,
  type HttpServer,
  type Metrics,
} from '../../../src/infra/index.js';
import { closeQueues, createQueues, enqueue, type Queues } from '../../../src/queue/index.js';

const silentLog = { warn: () => undefined };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('HTTP server: /healthz, /metrics, Bull Board', () => {
  let redisServer: EmbeddedRedis;
  let connection: ReturnType<typeof createProducerConnection>;
  let queues: Queues;
  let metrics: Metrics;
  let http: HttpServer;
  let base: string;
  let running = true;
  let clockSkewMs = 0;
  const infoLines: string[] = [];

  beforeAll(async () => {
    // Our own redis-server, because the test stops it to simulate an outage.
    redisServer = await startEmbeddedRedis({ dir: mkdtempSync(path.join(tmpdir(), 'refwatch-http-')), appendonly: false });
    connection = createProducerConnection(redisServer.url, { log: silentLog });
    await waitForRedis(connection, 5000);
    queues = createQueues(connection, 'refwatch-http-test');
    metrics = createMetrics({ processMetrics: false });
    const all = [queues.poll, queues.analyze, queues.notify];
    metrics.watchQueues(all);
    http = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      health: createHealthCheck({
        redis: connection,
        queues: all,
        workers: () => [{ name: 'poll', isRunning: () => running }],
        maxWaitingAgeMs: 10 * 60_000,
        timeoutMs: 500,
        now: () => Date.now() + clockSkewMs,
      }),
      metrics,
      queues: all,
      admin: { user: 'admin', password: 'correct horse' },
      log: { info: (_o, msg) => infoLines.push(msg), warn: () => undefined, error: () => undefined },
    });
    base = `http://127.0.0.1:${http.port}`;
  });

  afterAll(async () => {
    await http.close();
    await closeQueues(queues).catch(() => undefined);
    connection.disconnect();
    await redisServer.stop();
  });

  it('/metrics shows counters and queue depth read from BullMQ', async () => {
    metrics.pollsTotal.inc({ source: 'unhcr', outcome: 'ok' });
    await enqueue(queues.notify, { alertId: 'a1', target: 'console', action: 'post' });
    await enqueue(queues.notify, { alertId: 'a2', target: 'console', action: 'post' });
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('refwatch_polls_total{source="unhcr",outcome="ok"} 1');
    expect(text).toContain('refwatch_queue_depth{queue="notify",state="waiting"} 2');
    expect(text).toContain('refwatch_queue_depth{queue="poll",state="waiting"} 0');
    expect(text).toMatch(/refwatch_oldest_waiting_job_seconds\{queue="notify"\} \d/);
  });

  it('Bull Board needs the right credentials', async () => {
    const none = await fetch(`${base}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: basic('admin', 'wrong') } })).status).toBe(401);
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: basic('root', 'correct horse') } })).status).toBe(401);
    expect((await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: 'Basic !!!' } })).status).toBe(401);

    const ok = await fetch(`${base}/admin/queues`, { headers: { authorization: basic('admin', 'correct horse') } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Refoulement Watch');
    const api = await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: basic('admin', 'correct horse') } });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['analyze', 'notify', 'poll']);
  });

  it('/healthz fails when a job has waited too long or a worker stopped (liveness is not PING)', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    clockSkewMs = 11 * 60_000;
    const stale = await fetch(`${base}/healthz`);
    expect(stale.status).toBe(503);
    const staleBody = (await stale.json()) as { failing: Array<{ name: string; detail: string }> };
    expect(staleBody.failing.map((c) => c.name)).toEqual(['queue:notify']);
    expect(staleBody.failing[0]?.detail).toMatch(/workers are not consuming notify/);
    clockSkewMs = 0;

    running = false;
    const stopped = await fetch(`${base}/healthz`);
    expect(stopped.status).toBe(503);
    expect(((await stopped.json()) as { failing: Array<{ name: string }> }).failing.map((c) => c.name)).toEqual(['worker:poll']);
    running = true;
  });

  it('/healthz is 200 with Redis up, then 503 naming Redis once it goes away', async () => {
    const up = await fetch(`${base}/healthz`);
    expect(up.status).toBe(200);
    const upBody = (await up.json()) as { status: string; checks: Array<{ name: string; ok: boolean }> };
    expect(upBody.status).toBe('ok');
    expect(upBody.checks.map((c) => c.name)).toEqual(['redis', 'worker:poll', 'queue:poll', 'queue:analyze', 'queue:notify']);

    await redisServer.stop();
    const started = Date.now();
    const down = await fetch(`${base}/healthz`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { status: string; failing: Array<{ name: string; detail: string }> };
    expect(body.status).toBe('fail');
    expect(body.failing[0]).toMatchObject({ name: 'redis' });
    expect(body.failing[0]?.detail).toMatch(/^Redis unreachable/);

    // /metrics still answers (queue series left out) so Prometheus sees the process is up.
    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).not.toContain('refwatch_queue_depth{');
  });
});

describe('Bull Board without a password', () => {
  it('is not mounted, and says so in the log', async () => {
    const lines: string[] = [];
    const http = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      health: async () => ({ status: 'ok', checks: [] }),
      metrics: createMetrics({ processMetrics: false }),
      queues: [],
      admin: { user: 'admin', password: undefined },
      log: { info: (_o, msg) => lines.push(msg), warn: () => undefined, error: () => undefined },
    });
    try {
      const res = await fetch(`http://127.0.0.1:${http.port}/admin/queues`, { headers: { authorization: basic('admin', '') } });
      expect(res.status).toBe(404);
      expect(lines.join('\n')).toMatch(/Bull Board .* disabled: set ADMIN_PASSWORD/);
    } finally {
      await http.close();
    }
  });
});
