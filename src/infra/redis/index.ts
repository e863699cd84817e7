export {
  RedisUnavailableError,
  pingRedis,
  startEmbeddedRedis,
  ensureRedis,
  redactUrl,
  HOW_TO_GET_REDIS,
  type EmbeddedRedis,
  type EmbeddedRedisOptions,
  type EnsureRedisOptions,
} from './embedded.js';
export {
  createWorkerConnection,
  createProducerConnection,
  assertWorkerConnection,
  waitForRedis,
  checkEvictionPolicy,
  RedisConfigError,
  RedisPolicyError,
  type ConnectionLog,
  type ConnectionOptions,
  type EvictionCheck,
} from './connections.js';
