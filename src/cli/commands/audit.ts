/** `refwatch audit`: the moderator audit stream `{prefix}:audit` as a table or JSON Lines. */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Redis } from 'ioredis';
import { loadEnv, type Env } from '../../config/index.js';
import { createProducerConnection, redactUrl } from '../../infra/index.js';
import { cleanText } from '../../notify/index.js';
import { readAudit, triageKeys, type AuditEntry } from '../../triage/index.js';
import { CliExit, EXIT, write, writeJsonLine, type CliIO } from '../io.js';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const CONNECT_TIMEOUT_MS = 3000;

/**
 * Opens a producer connection for a one-shot command and waits until it is ready; when Redis
 * does not answer within 3 s, ends the command with exit 1 and a message naming the URL
 * (password redacted). Shared by `audit` and `export-labels`.
 */
export async function connectForCli(io: CliIO, command: string): Promise<{ redis: Redis; env: Env }> {
  const env = loadEnv(io.env);
  const url = env.redisUrl ?? DEFAULT_REDIS_URL;
  const redis = createProducerConnection(url, {
    name: `refwatch:cli:${command}`,
    // One attempt, no reconnect loop: a CLI run should fail fast, not retry in the background.
    overrides: { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: () => null },
    log: { warn: () => undefined },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    // connect() rejects at once on a refused connection (no retries); the timer bounds a silent one.
    await Promise.race([
      redis.connect(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), CONNECT_TIMEOUT_MS + 500);
      }),
    ]);
  } catch {
    // After a refused connect the stream is gone: disconnect() would arm a timer nothing clears.
    if (redis.status !== 'end') redis.disconnect();
    throw new CliExit(
      EXIT.failed,
      `refwatch ${command}: cannot reach Redis at ${redactUrl(url)}. Start Redis (or \`refwatch start\`, which runs an embedded one) ` +
        'and set REDIS_URL and REFWATCH_PREFIX to what the bot uses.',
    );
  } finally {
    clearTimeout(timer);
  }
  return { redis, env };
}

/** Closes a connection from {@link connectForCli} without leaving timers that delay exit. */
export async function closeForCli(redis: Redis): Promise<void> {
  await redis.quit().catch(() => redis.disconnect());
}

/** An audit entry with its stream id (which also orders entries). */
export type AuditRow = AuditEntry & { streamId: string };

/** The newest `limit` entries at or after `sinceMs` (stream time), oldest first. */
export async function readAuditRows(redis: Redis, prefix: string, limit: number, sinceMs?: number): Promise<AuditRow[]> {
  return (await readAudit(redis, prefix, limit, sinceMs)).reverse();
}

const COLUMNS = [
  { title: 'TIME', max: 19, get: (r: AuditRow) => (r.at.length >= 19 ? r.at.slice(0, 19).replace('T', ' ') : r.at) },
  { title: 'ACTOR', max: 24, get: (r: AuditRow) => r.actor || r.actorId },
  { title: 'PLATFORM', max: 8, get: (r: AuditRow) => r.platform },
  { title: 'ACTION', max: 14, get: (r: AuditRow) => r.action },
  { title: 'ALERT', max: 24, get: (r: AuditRow) => r.alertId || '-' },
  { title: 'REASON', max: 60, get: (r: AuditRow) => [r.reason, r.detail].filter(Boolean).join(' — ') || '-' },
] as const;

// Names come from chat users: strip control characters so a name cannot rewrite the terminal.
const cell = (text: string, max: number): string => {
  const clean = cleanText(text);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
};

/** Renders rows as aligned columns (time in UTC, newest last). */
export function formatAuditTable(rows: readonly AuditRow[]): string {
  const cells = rows.map((r) => COLUMNS.map((c) => cell(c.get(r), c.max)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(COLUMNS.map((c) => c.title)), ...cells.map(line)].join('\n')}\n`;
}

interface AuditOptions {
  limit: number;
  since?: number;
  json?: boolean;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100_000)
    throw new InvalidArgumentError(`--limit must be a whole number from 1 to 100000 (got "${value}")`);
  return n;
}

function isoTime(value: string): number {
  // Date.parse reads a date-time without an offset as local time; the audit is in UTC.
  const t = Date.parse(/T[\d:.]+$/.test(value) ? `${value}Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || !Number.isFinite(t)) {
    throw new InvalidArgumentError(`--since must be an ISO date or time, e.g. 2026-08-01 or 2026-08-01T12:00:00Z (got "${value}")`);
  }
  return t;
}

async function run(io: CliIO, options: AuditOptions): Promise<void> {
  const { redis, env } = await connectForCli(io, 'audit');
  try {
    const rows = await readAuditRows(redis, env.prefix, options.limit, options.since);
    if (options.json) {
      for (const row of rows) await writeJsonLine(io.stdout, row);
      return;
    }
    if (rows.length === 0) {
      await write(io.stdout, `No audit entries in ${triageKeys(env.prefix).audit()}${options.since === undefined ? '' : ' since then'}.\n`);
      return;
    }
    await write(io.stdout, formatAuditTable(rows));
  } finally {
    await closeForCli(redis);
  }
}

/** Registers `refwatch audit`. */
export function register(program: Command, io: CliIO): void {
  program
    .command('audit')
    .description('print moderator actions (triage, refusals, source and mute changes) from the audit stream, newest last')
    .option('-n, --limit <n>', 'show the newest n entries', positiveInt, 50)
    .option('--since <iso>', 'only entries at or after this time (UTC unless the time has an offset)', isoTime)
    .option('--json', 'one JSON object per line instead of a table')
    .addHelpText(
      'after',
      [
        '',
        'Reads {REFWATCH_PREFIX}:audit from REDIS_URL (default redis://127.0.0.1:6379, prefix refwatch).',
        'Columns: time (UTC), actor, platform, action, alert, reason — detail.',
        '',
        'Example:',
        '  $ REDIS_URL=redis://127.0.0.1:6379 refwatch audit --since 2026-08-01 --limit 20',
        '',
      ].join('\n'),
    )
    .action((options: AuditOptions) => run(io, options));
}
