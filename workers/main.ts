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
  pingRedis,
  redactUrl,
  RedisUnavailableError,
  startHttpServer,
  waitForRedis,
  type EmbeddedRedis,
  type HttpServer,
  type Logger,
} from '../src/infra/index.js';
import { closeQueues, createQueues, syncSchedulers, type Queues } from '../src/queue/index.js';
import { closeFetchAgents } from '../src/sources/index.js';
import { syncDigestSchedulers } from './digest.js';
import { startWorkers } from './processors.js';
import type { Role } from './roles.js';
import { createRuntime, type Runtime } from './runtime.js';
import type { WorkerTuning } from './tuning.js';

export interface StartOptions {
  env: Env;
  /** The raw environment, for `${VAR}` interpolation in the config file. */
  rawEnv: EnvSource;
  roles: readonly Role[];
  configFile?: string;
  /** A config object instead of a file (demo, tests). */
  config?: Config;
  log?: Logger;
  /** Worker tuning (fast stall detection in tests; `REFWATCH_*_MS` for `refwatch start`). */
  tuning?: WorkerTuning;
  /** Hard limit for a graceful stop before in-flight jobs are abandoned to stall recovery. @defaultValue 10 000 */
  stopTimeoutMs?: number;
  /**
   * Where to look for Redis when `env.redisUrl` is unset, before starting an embedded one.
   * @defaultValue `'redis://127.0.0.1:6379'` (tests point it at a free port)
   */
  defaultRedisUrl?: string;
  /**
   * Start a private redis-server when none answers. `refwatch start --roles` turns this off:
   * processes that split the roles must share one Redis, and an embedded one is per process.
   * @defaultValue true
   */
  allowEmbeddedRedis?: boolean;
  /** How long startup waits for each extension before going on without it (default 30 s). */
  extensionStartTimeoutMs?: number;
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

/** How long startup waits for a chat moderation client before going on without it. */
const EXTENSION_START_TIMEOUT_MS = 30_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** Closing queues and connections after the workers: Redis may be gone (bullmq#2430), so never wait long. */
const CLOSE_STEP_MS = 1_500;

/** True when `work` settled within `ms`; a rejection counts as settled (the step is over either way). */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What has been opened so far, so a failed boot and a stop release the same things. */
interface Resources {
  connections: Redis[];
  workers: Worker[];
  queues?: Queues;
  http?: HttpServer;
  embedded?: EmbeddedRedis;
  extensions: Array<{ stop(): Promise<void> }>;
}

async function release(resources: Resources, log: Logger): Promise<void> {
  await Promise.all(resources.workers.map((worker) => within(worker.close(true), CLOSE_STEP_MS)));
  if (resources.queues) await within(closeQueues(resources.queues), CLOSE_STEP_MS);
  // Workers are closed: no fetch is in flight any more, so pooled keep-alive sockets can go.
  await within(closeFetchAgents({ graceMs: 500 }), CLOSE_STEP_MS);
  if (resources.http) await within(resources.http.close(), CLOSE_STEP_MS);
  await Promise.all(
    resources.connections.map(async (connection) => {
      // quit() waits for Redis to answer; a dead or restarting server would hold the process open.
      if (!(await within(connection.quit(), CLOSE_STEP_MS))) connection.disconnect();
    }),
  );
  await resources.embedded?.stop().catch((err: unknown) => log.warn({ err }, 'Could not stop the embedded redis-server'));
}

/**
 * Starts this process's part of the bot. Throws RedisUnavailableError (no Redis, none can be
 * started) or RedisPolicyError (eviction can delete jobs) after releasing what it opened.
 */
export async function startBot(options: StartOptions): Promise<RunningBot> {
  const { env } = options;
  const configFile = options.configFile ?? env.configFile;
  const config = options.config ?? loadConfig({ ...(configFile ? { file: configFile } : {}), env: options.rawEnv });
  const log = options.log ?? createLogger({ level: env.logLevel });
  const defaultUrl = options.defaultRedisUrl ?? 'redis://127.0.0.1:6379';
  const dataDir = path.resolve(env.dataDir, 'redis');

  if (options.allowEmbeddedRedis === false && env.redisUrl === undefined && !(await pingRedis(defaultUrl, 1000))) {
    throw new RedisUnavailableError(
      `No Redis answers at ${redactUrl(defaultUrl)}, and processes that split --roles must share one Redis: ` +
        'set REDIS_URL to the same Redis in every process (an embedded redis-server would be private to this one).',
    );
  }
  const found = await ensureRedis({
    url: env.redisUrl,
    defaultUrl,
    embedded: { dir: dataDir, appendonly: true },
    onEmbeddedStart: (redis) =>
      log.info(`No Redis at ${redactUrl(defaultUrl)}: started an embedded redis-server at ${redis.url} (data in ${dataDir})`),
  });
  const resources: Resources = { connections: [], workers: [], extensions: [], ...(found.embedded ? { embedded: found.embedded } : {}) };
  try {
    return await boot(options, config, log, found.url, resources);
  } catch (error) {
    // A refused boot (eviction policy, Redis gone) must not leave sockets or a redis-server behind.
    await release(resources, log);
    throw error;
  }
}

async function boot(options: StartOptions, config: Config, log: Logger, redisUrl: string, resources: Resources): Promise<RunningBot> {
  const { env, roles } = options;
  const { connections } = resources;
  const connect = (name: string, kind: 'worker' | 'producer') => {
    const make = kind === 'worker' ? createWorkerConnection : createProducerConnection;
    const connection = make(redisUrl, { name, log });
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
  resources.queues = queues;
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

  if (roles.includes('notify')) {
    // A platform halted by a 401 stays halted in Redis; a restart is how an operator brings a
    // new token, so give each configured platform another try (a bad token halts it again).
    for (const platform of ['discord', 'slack'] as const) {
      if (runtime.notifiers[platform] && (await runtime.targets.enable(`platform:${platform}`))) {
        log.warn(`${platform} delivery was halted after a 401; trying again with the current token`);
      }
    }
  }

  if (roles.includes('poll')) {
    const sources = await runtime.sources.list();
    const synced = await syncSchedulers(queues.poll, sources);
    log.info(
      { sources: synced.scheduled.length, removed: synced.removed.length },
      `Watching ${synced.scheduled.length} sources` + (synced.removed.length ? `; removed ${synced.removed.length} stale schedules` : ''),
    );
  }
  if (roles.includes('notify')) {
    const digests = await syncDigestSchedulers(queues, config.routes);
    if (digests > 0) log.info(`${digests} daily digest${digests === 1 ? '' : 's'} scheduled`);
  }
  const workers = startWorkers(runtime, roles, (name) => connect(name, 'worker'), options.tuning ?? {});
  resources.workers.push(...workers);

  if (env.httpPort !== undefined) {
    try {
      resources.http = await startHttpServer({
        port: env.httpPort,
        health: createHealthCheck({ redis: producer, queues: [queues.poll, queues.analyze, queues.notify], workers: () => workers }),
        metrics,
        queues: [queues.poll, queues.analyze, queues.notify],
        admin: { user: env.adminUser, password: env.adminPassword },
        log,
      });
      log.info(`HTTP on port ${resources.http.port}: /healthz, /metrics, /admin/queues`);
    } catch (err) {
      // A taken port must not stop alerts: run without the endpoints and say how to get them.
      if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
      log.warn(
        `HTTP_PORT ${env.httpPort} is already in use: running without /healthz and /metrics. Set HTTP_PORT to a free port (or HTTP_PORT=off to silence this).`,
      );
    }
  }

  let shuttingDown = false;
  const moderationFailed = (err: unknown) => {
    // Alerts are the point of the bot: a moderation client that cannot connect must not stop them.
    const reason = err instanceof Error ? err.message : String(err);
    log.error(
      { err },
      'A chat moderation client could not start; alerts are still posted, but triage buttons and chat commands stay off until a restart',
    );
    void runtime.warnOps(
      `Chat moderation could not start (${reason}); alerts are still posted. Check the bot token and gateway access, then restart.`,
    );
  };
  for (const start of options.extensions ?? []) {
    const starting = start(runtime);
    const started = await Promise.race([
      starting.then(
        (extension) => ({ extension }),
        (err: unknown) => ({ err }),
      ),
      sleep(options.extensionStartTimeoutMs ?? EXTENSION_START_TIMEOUT_MS, undefined, { ref: false }).then(() => undefined),
    ]);
    if (started && 'extension' in started) resources.extensions.push(started.extension);
    else if (started) moderationFailed(started.err);
    else {
      // A client still retrying its first connection (e.g. Slack unreachable) must not hold up startup.
      log.warn('A chat moderation client is still connecting; startup goes on and alerts are posted meanwhile');
      starting.then((extension) => (shuttingDown ? void extension.stop() : resources.extensions.push(extension)), moderationFailed);
    }
  }

  log.info(
    { roles, redis: redactUrl(redisUrl), prefix: env.prefix, targets: Object.keys(runtime.notifiers) },
    `Refoulement Watch running (${roles.join(', ')})`,
  );

  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  let stopping: Promise<void> | undefined;
  const stop = () => {
    shuttingDown = true;
    stopping ??= (async () => {
      const deadline = Date.now() + stopTimeoutMs;
      log.info({ timeoutMs: stopTimeoutMs }, 'Stopping: finishing in-flight jobs');
      for (const extension of resources.extensions) {
        const stopped = extension.stop().catch((err: unknown) => log.warn({ err }, 'extension stop failed'));
        await within(stopped, deadline - Date.now());
      }
      // close() waits for active jobs and has no timeout of its own (BullMQ graceful-shutdown guide).
      const graceful = Promise.all(workers.map((worker) => worker.close()));
      if (!(await within(graceful, deadline - Date.now()))) {
        // Abandoned jobs are picked up again by stall recovery on the next start; their posts are
        // guarded by the pending marker and the Discord nonce, so nothing is lost or doubled.
        log.warn(`In-flight jobs did not finish within ${stopTimeoutMs} ms; leaving them to stall recovery`);
      }
      await release(resources, log);
      log.info('Stopped');
    })();
    return stopping;
  };

  return {
    runtime,
    redisUrl,
    ...(resources.embedded ? { embeddedRedis: resources.embedded } : {}),
    ...(resources.http ? { http: resources.http } : {}),
    workers,
    stop,
  };
}
