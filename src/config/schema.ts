import ipaddr from 'ipaddr.js';
/**
 * zod schemas for the config file as written (YAML keys), after merging over the defaults.
 * Durations are strings (`10m`); the loader turns the result into a `Config`.
 */
import { z } from 'zod';
import { parseTarget } from '../domain/index.js';
import { parseDuration, parseSize } from './units.js';

const DECISIONS = ['alert', 'review', 'ignore'] as const;

/** A duration string such as `10m`; the message says how to write one. */
export const duration = z.string({ error: 'must be a duration such as 10m, 1h or 90s' }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use 10m, 1h …)` });
    return z.NEVER;
  }
  return ms;
});

const size = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size (use bytes, or 512KiB, 5MiB)` });
    return z.NEVER;
  }
  return bytes;
});

const httpUrl = z.string().refine(
  (text) => {
    try {
      return ['http:', 'https:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute http(s) URL' },
);

const timezone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not an IANA time zone (e.g. Asia/Seoul, UTC)' },
);

const target = z.string().refine((text) => parseTarget(text) !== undefined, {
  message: 'is not a target (use "discord:<17-20 digit channel id>", "slack:<channel id or name>" or "console")',
});

// `to: console` and `to: [console]` both work; wrapping first keeps zod's messages specific.
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (Array.isArray(value) || value === undefined ? value : [value]), z.array(item));

const positiveInt = z.number().int().positive();
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits; quote it in YAML)');

export const fetchSchema = z.strictObject({
  allowPrivateNetworks: z.boolean(),
  allowAddresses: z
    .array(z.string().refine((text) => isIpOrCidr(text), { message: 'must be an IP address or CIDR range, e.g. 10.1.2.3 or 10.1.0.0/16' }))
    .optional(),
  timeout: duration,
  maxBytes: size,
  maxRedirects: z.number().int().min(0).max(20),
  userAgent: z.string().min(1),
  perHostConcurrency: positiveInt,
  articleMinChars: z.number().int().min(0),
});

export const selectSchema = z.strictObject({
  item: z.string().min(1),
  // "" reads the item element's own text and "@href" its attribute (see src/sources parse/html).
  title: z.string(),
  link: z.string(),
  date: z.string().optional(),
  summary: z.string().optional(),
});

export const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes (e.g. un-news-asia)'),
  type: z.enum(['rss', 'html']).default('rss'),
  url: httpUrl,
  every: duration.default(30 * 60_000), // 30m
  name: z.string().min(1).optional(),
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en, ko, zh-Hans')
    .optional(),
  timezone: timezone.optional(),
  backfill: z.boolean().optional(),
  fetchArticle: z.boolean().optional(),
  select: selectSchema.optional(),
  tags: z.array(z.string().min(1)).optional(),
  enabled: z.boolean().default(true),
});

export const whenSchema = z.strictObject({
  decision: oneOrMany(z.enum(DECISIONS)).optional(),
  minSeverity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  tags: z.array(z.string()).optional(),
  sources: z.array(z.string()).optional(),
  rules: z.array(z.string()).optional(),
});

export const digestSchema = z.strictObject({
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" (24 h, quoted)'),
  timezone,
});

export const routeSchema = z.strictObject({
  when: whenSchema.default({}),
  to: oneOrMany(target).refine((list) => list.length > 0, { message: 'needs at least one target' }),
  mentionRoles: z.array(snowflake).optional(),
  digest: digestSchema.optional(),
});

export const thresholdsSchema = z.strictObject({
  alert: z.number().optional(),
  review: z.number().optional(),
});

export const rulesSchema = z.strictObject({
  packs: z.array(z.string().min(1)).min(1, 'needs at least one rule pack (the built-in one is nk-forced-repatriation)'),
  thresholds: thresholdsSchema.optional(),
});

export const opsSchema = z.strictObject({ to: oneOrMany(target) });

export const moderatorsSchema = z.strictObject({
  discordRoles: z.array(snowflake),
  slackUsers: z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U0123ABCD')),
  escalationRoles: z.array(snowflake),
  discordGuilds: z.array(snowflake).optional(),
});

export const pipelineSchema = z.strictObject({
  failuresBeforePause: positiveInt,
  seenRetentionDays: positiveInt,
  storyWindowDays: positiveInt,
  pausedRetry: duration,
});

export const configFileSchema = z.strictObject({
  fetch: fetchSchema,
  sources: z.array(sourceSchema),
  rules: rulesSchema,
  routes: z.array(routeSchema),
  ops: opsSchema,
  moderators: moderatorsSchema,
  pipeline: pipelineSchema,
});

export type ConfigFile = z.output<typeof configFileSchema>;

/**
 * Keys allowed at each object path (numbers written as `*`), for "did you mean" hints.
 * Derived from the schemas so the two cannot drift apart.
 */
export const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(configFileSchema.shape),
  fetch: Object.keys(fetchSchema.shape),
  'sources.*': Object.keys(sourceSchema.shape),
  'sources.*.select': Object.keys(selectSchema.shape),
  'routes.*': Object.keys(routeSchema.shape),
  'routes.*.when': Object.keys(whenSchema.shape),
  'routes.*.digest': Object.keys(digestSchema.shape),
  rules: Object.keys(rulesSchema.shape),
  'rules.thresholds': Object.keys(thresholdsSchema.shape),
  ops: Object.keys(opsSchema.shape),
  moderators: Object.keys(moderatorsSchema.shape),
  pipeline: Object.keys(pipelineSchema.shape),
};

/** "10.1.2.3", "10.1.0.0/16", "fd00::1", "fd00::/8" */
function isIpOrCidr(text: string): boolean {
  try {
    if (text.includes('/')) ipaddr.parseCIDR(text);
    else ipaddr.parse(text);
    return true;
  } catch {
    return false;
  }
}
