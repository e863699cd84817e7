import { z } from 'zod';
import { EnvError, type ConfigIssue } from './errors.js';
import type { Env } from './types.js';

/** What loadEnv reads: process.env or a test's plain object. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * The process environment. This module is the only one that touches `process.env`;
 * everything else receives an `EnvSource` (so tests and the CLI can pass their own).
 */
export function processEnv(): EnvSource {
  return process.env;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Empty strings count as unset: `.env` files and compose often write `DISCORD_TOKEN=`.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const httpUrl = (example: string) =>
  z.string().refine(
    (text) => {
      try {
        return ['http:', 'https:'].includes(new URL(text).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be an http(s) URL, e.g. ${example}` },
  );

const envSchema = z.object({
  REDIS_URL: optional(
    z.string().refine((text) => /^rediss?:\/\/./.test(text), {
      message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
    }),
  ),
  REFWATCH_PREFIX: optional(
    z.string().regex(/^[A-Za-z0-9_:.-]+$/, 'may only hold letters, digits and _ : . - (it prefixes every Redis key)'),
  ),
  REFWATCH_CONFIG: optional(z.string()),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
  DISCORD_TOKEN: optional(z.string()),
  DISCORD_API_URL: optional(httpUrl('https://discord.com/api')),
  SLACK_BOT_TOKEN: optional(z.string().refine((text) => text.startsWith('xoxb-'), { message: 'must be a bot token (starts with xoxb-)' })),
  SLACK_APP_TOKEN: optional(
    z.string().refine((text) => text.startsWith('xapp-'), {
      message: 'must be an app-level token for Socket Mode (starts with xapp-)',
    }),
  ),
  SLACK_API_URL: optional(httpUrl('http://127.0.0.1:3000/api/')),
  SLACK_SIGNING_SECRET: optional(z.string()),
  SLACK_PORT: optional(z.string().regex(/^\d+$/, 'must be a port number').transform(Number)),
  HTTP_PORT: optional(
    z
      .string()
      .regex(/^(\d+|off)$/, 'must be a port number (0-65535) or "off"')
      .transform((text) => (text === 'off' ? -1 : Number(text)))
      .refine((port) => port <= 65_535, { message: 'must be a port number (0-65535) or "off"' }),
  ),
  ADMIN_USER: optional(z.string()),
  ADMIN_PASSWORD: optional(z.string()),
  REFWATCH_DATA_DIR: optional(z.string()),
});

/** Port of /healthz, /metrics and Bull Board when HTTP_PORT is not set. */
export const DEFAULT_HTTP_PORT = 8080;

/**
 * Validates the environment once, at boot, listing every problem at once.
 * Empty values count as unset. Throws {@link EnvError}.
 */
export function loadEnv(env: EnvSource = processEnv()): Env {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issues: ConfigIssue[] = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      const value = env[name];
      // Never echo secrets back into logs.
      const shown = value === undefined || /TOKEN|PASSWORD|SECRET/.test(name) ? '' : ` (got "${value}")`;
      return { path: name, message: `${issue.message}${shown}` };
    });
    throw new EnvError('Invalid environment', issues);
  }
  const v = result.data;
  return {
    redisUrl: v.REDIS_URL,
    prefix: v.REFWATCH_PREFIX ?? 'refwatch',
    configFile: v.REFWATCH_CONFIG,
    logLevel: v.LOG_LEVEL ?? 'info',
    discordToken: v.DISCORD_TOKEN,
    discordApiUrl: v.DISCORD_API_URL ?? 'https://discord.com/api',
    slackBotToken: v.SLACK_BOT_TOKEN,
    slackAppToken: v.SLACK_APP_TOKEN,
    slackApiUrl: v.SLACK_API_URL,
    slackSigningSecret: v.SLACK_SIGNING_SECRET,
    slackPort: v.SLACK_PORT ?? 3000,
    // Health and metrics are on by default (npm start answers on /healthz); HTTP_PORT=off turns them off.
    httpPort: v.HTTP_PORT === undefined ? DEFAULT_HTTP_PORT : v.HTTP_PORT < 0 ? undefined : v.HTTP_PORT,
    adminUser: v.ADMIN_USER ?? 'admin',
    adminPassword: v.ADMIN_PASSWORD,
    dataDir: v.REFWATCH_DATA_DIR ?? './data',
  };
}
