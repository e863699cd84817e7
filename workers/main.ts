/**
 * The composition root: reads config and env, finds (or embeds) Redis, builds the runtime,
 * starts the workers for this process's roles and the HTTP endpoints, and shuts it all
 * down in order. Nothing else wires config, Redis and clients together.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, type Config, type Env, type EnvSource } from '../src/config/index.js';
import {
  checkEvictionPolicy,
  createHealthCheck,
  createLogger,
  createMetrics,
  createProducerConnection,
  createWorkerConnection,
  ensureRedis,
  redactUrl,
  startHttpServer,
  waitForRedis,
  type EmbeddedRedis,
  type HttpServer,
  type Logger,
} from '../src/infra/index.js';
import { closeQueues, createQueues, syncSchedulers, type Queues } from '../src/queue/index.js';
import { startWorkers } from './processors.js';
import type { Role } from './roles.js';
import { createRuntime, type Runtime } from './runtime.js';

export interface StartOptions {
  env: Env;
  /** The raw environment, for `${VAR}` interpolation in the config file. */
  rawEnv: EnvSource;
  roles: readonly Role[];
  configFile?: string;
  /** A config object instead of a file (demo, tests). */
  config?: Config;
  log?: Logger;
  /** Worker tuning for tests (fast stall detection). */
  tuning?: { stalledIntervalMs?: number; lockDurationMs?: number };
  /** Hard limit for a graceful stop before in-flight jobs are abandoned to stall recovery. */
  stopTimeoutMs?: number;
  /** Extra components started after the workers (moderation clients); stopped first. */
  extensions?: Array<(runtime: Runtime) => Promise<{ stop(): Promise<void> }>>;
}

export interface RunningBot {
  runtime: Runtime;
  redisUrl: string;
  embeddedRedis?: EmbeddedRedis;
  http?: HttpServer;
  workers: Worker[];
  stop(): Promise<void>;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { env, roles } = options;
  const configFile = options.configFile ?? env.configFile;
  const config = options.config ?? loadConfig({ ...(configFile ? { file: configFile } : {}), env: options.rawEnv });
  const log = options.log ?? createLogger({ level: env.logLevel });

  const found = await ensureRedis({
    url: env.redisUrl,
    defaultUrl: 'redis://127.0.0.1:6379',
    embedded: { dir: path.resolve(env.dataDir, 'redis'), appendonly: true },
    onEmbeddedStart: (redis) =>
      log.info(`No Redis at 127.0.0.1:6379: started an embedded redis-server at ${redis.url} (data in ${path.resolve(env.dataDir, 'redis')})`),
  });
  const connections: Redis[] = [];
  const connect = (name: string, kind: 'worker' | 'producer') => {
    const make = kind === 'worker' ? createWorkerConnection : createProducerConnection;
    const connection = make(found.url, { name, log });
    connections.push(connection);
    return connection;
  };

  const producer = connect('refwatch:producer', 'producer');
  await waitForRedis(producer, 5000);
  const policy = await checkEvictionPolicy(producer);
  if (!policy.ok) log.warn(policy.warning);
  // State stores block on nothing, but must survive Redis blips: a worker-style connection.
  const stateConnection = connect('refwatch:state', 'worker');
  const queues: Queues = createQueues(producer, env.prefix, { log });
  const metrics = createMetrics();
  metrics.watchQueues([queues.poll, queues.analyze, queues.notify]);
  const runtime = createRuntime({
    config,
    env,
    log,
    metrics,
    redis: stateConnection,
    queues,
    withActions: options.extensions !== undefined && options.extensions.length > 0,
  });

  if (roles.includes('poll')) {
    const sources = await runtime.sources.list();
    const synced = await syncSchedulers(queues.poll, sources);
    log.info(
      { sources: synced.scheduled.length, removed: synced.removed.length },
      `Watching ${synced.scheduled.length} sources` + (synced.removed.length ? `; removed ${synced.removed.length} stale schedules` : ''),
    );
  }
  const workers = startWorkers(runtime, roles, (name) => connect(name, 'worker'), options.tuning ?? {});

  let http: HttpServer | undefined;
  if (env.httpPort !== undefined) {
    http = await startHttpServer({
      port: env.httpPort,
      health: createHealthCheck({ redis: producer, queues: [queues.poll, queues.analyze, queues.notify], workers: () => workers }),
      metrics,
      queues: [queues.poll, queues.analyze, queues.notify],
      admin: { user: env.adminUser, password: env.adminPassword },
      log,
    });
    log.info(`HTTP on port ${http.port}: /healthz, /metrics, /admin/queues`);
  }

  const extensions: Array<{ stop(): Promise<void> }> = [];
  for (const start of options.extensions ?? []) extensions.push(await start(runtime));

  log.info(
    { roles, redis: redactUrl(found.url), prefix: env.prefix, targets: Object.keys(runtime.notifiers) },
    `Refoulement Watch running (${roles.join(', ')})`,
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('Stopping: finishing in-flight jobs');
      for (const extension of extensions) await extension.stop().catch((err: unknown) => log.warn({ err }, 'extension stop failed'));
      const graceful = Promise.all(workers.map((worker) => worker.close()));
      const timedOut = await Promise.race([graceful.then(() => false), sleep(options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS).then(() => true)]);
      if (timedOut) {
        // Abandoned jobs are picked up again by stall recovery on the next start; nothing is lost.
        log.warn('In-flight jobs did not finish in time; leaving them to stall recovery');
        await Promise.all(workers.map((worker) => worker.close(true).catch(() => undefined)));
      }
      await closeQueues(queues).catch(() => undefined);
      await http?.close().catch(() => undefined);
      await Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
      await found.embedded?.stop();
      log.info('Stopped');
    })();
    return stopping;
  };

  return {
    runtime,
    redisUrl: found.url,
    ...(found.embedded ? { embeddedRedis: found.embedded } : {}),
    ...(http ? { http } : {}),
    workers,
    stop,
  };
}
