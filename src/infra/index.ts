/** Infrastructure: Redis connections, logging, metrics, health and the admin HTTP server. */
export {
  RedisUnavailableError,
  pingRedis,
  startEmbeddedRedis,
  ensureRedis,
  redactUrl,
  HOW_TO_GET_REDIS,
  createWorkerConnection,
  createProducerConnection,
  assertWorkerConnection,
  waitForRedis,
  checkEvictionPolicy,
  RedisConfigError,
  RedisPolicyError,
  type EmbeddedRedis,
  type EmbeddedRedisOptions,
  type EnsureRedisOptions,
  type ConnectionLog,
  type ConnectionOptions,
  type EvictionCheck,
} from './redis/index.js';
export { MASK, maskSecrets, maskDeep } from './redact.js';
export { createLogger, jobLogger, serializeError, REDACT_PATHS, type Logger, type LoggerOptions } from './logger.js';
export { createMetrics, METRICS_PREFIX, type Metrics, type MetricsOptions } from './metrics.js';
export { getQueueStats, QUEUE_STATES, type QueueStats, type QueueState } from './queue-stats.js';
export { createHealthCheck, type HealthCheckOptions, type HealthCheckResult, type HealthReport, type WorkerLike } from './health.js';
export { startHttpServer, basicAuth, BULL_BOARD_PATH, type HttpServer, type HttpServerOptions, type HttpLog } from './http.js';
