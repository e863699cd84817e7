import type { Config, Env } from '../src/config/index.js';
import type { Runtime } from './runtime.js';

type Extension = (runtime: Runtime) => Promise<{ stop(): Promise<void> }>;

/**
 * The chat moderation clients (Discord gateway, Slack Socket Mode) to run beside the
 * notify role, for the platforms that are configured. Empty when none is.
 */
export function startModeration(_env: Env, _config: Config): Extension[] {
  return [];
}
