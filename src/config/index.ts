// Public surface of configuration: the validated environment and the YAML config file.
export type { Config, Env, FetchConfig, Route, RouteWhen } from './types.js';
export { ConfigError, EnvError, formatIssue, type ConfigIssue } from './errors.js';
export { loadEnv, processEnv, type EnvSource } from './env.js';
export { defaultConfigPath, loadConfig, mergeOver, type LoadConfigOptions } from './load.js';
export { formatDuration, parseDuration, parseSize } from './units.js';
export { interpolate } from './yaml-doc.js';
