/** `refwatch sources`: the source table with each source's health, read from Redis. */
import type { Command } from 'commander';
import { Queue } from 'bullmq';
import type { Source } from '../../domain/index.js';
import { createProducerConnection, pingRedis, redactUrl, waitForRedis } from '../../infra/index.js';
import { schedulerIdFor } from '../../queue/index.js';
import { createChatSourceStore, createFetchStateStore, type FetchState } from '../../store/index.js';
import { CliExit, EXIT, write, writeJsonLine, type CliIO } from '../io.js';
import { loadFor } from '../shared.js';

interface SourcesOptions {
  config?: string;
  json?: boolean;
}

export interface SourceRow {
  id: string;
  origin: 'config' | 'chat';
  type: string;
  status: 'ok' | 'failing' | 'paused' | 'disabled' | 'never polled';
  lastSuccess: string | null;
  failures: number;
  lastError: string | null;
  nextPoll: string | null;
  url: string;
}

/** Pure: one table row from a source, its fetch state and its scheduler's next run. */
export function sourceRow(source: Source, state: FetchState | undefined, nextPoll: number | undefined, now: number): SourceRow {
  let status: SourceRow['status'] = 'never polled';
  if (source.enabled === false) status = 'disabled';
  else if (state?.pausedUntil && state.pausedUntil > now) status = 'paused';
  else if (state && state.failures > 0) status = 'failing';
  else if (state?.lastSuccess) status = 'ok';
  return {
    id: source.id,
    origin: source.origin ?? 'config',
    type: source.type,
    status,
    lastSuccess: state?.lastSuccess ? new Date(state.lastSuccess).toISOString() : null,
    failures: state?.failures ?? 0,
    lastError: state?.failures ? (state.lastError ?? null) : null,
    nextPoll: nextPoll ? new Date(nextPoll).toISOString() : null,
    url: source.url,
  };
}

export function register(program: Command, io: CliIO): void {
  program
    .command('sources')
    .description('print the source table: status, last success, failures, next poll (needs Redis)')
    .option('-c, --config <file>', 'YAML config (default: REFWATCH_CONFIG, else built-in defaults)')
    .option('--json', 'one JSON object per source')
    .addHelpText('after', '\nExample:\n  $ refwatch sources\n  $ refwatch sources --json | jq \'select(.status != "ok")\'\n')
    .action(async (options: SourcesOptions) => {
      const { env, config } = loadFor(io, options.config);
      const url = env.redisUrl ?? 'redis://127.0.0.1:6379';
      if (!(await pingRedis(url, 2000))) {
        throw new CliExit(
          EXIT.failed,
          `No Redis answers at ${redactUrl(url)}: the source table lives there. Start the bot (npm start) or set REDIS_URL.`,
        );
      }
      const redis = createProducerConnection(url, { name: 'refwatch:cli' });
      // A producer connection refuses commands until it is ready.
      await waitForRedis(redis, 2000);
      const queue = new Queue('poll', { connection: redis, prefix: env.prefix });
      try {
        const fetchState = createFetchStateStore(redis, { prefix: env.prefix });
        const chat = await createChatSourceStore(redis, { prefix: env.prefix }).list();
        const configIds = new Set(config.sources.map((s) => s.id));
        const sources: Source[] = [
          ...config.sources.map((s) => ({ ...s, origin: 'config' as const })),
          ...chat.sources.filter((s) => !configIds.has(s.id)).map((s) => ({ ...s, origin: 'chat' as const })),
        ];
        const now = Date.now();
        const rows: SourceRow[] = [];
        for (const source of sources) {
          const scheduler = await queue.getJobScheduler(schedulerIdFor(source.id));
          rows.push(sourceRow(source, await fetchState.get(source.id), scheduler?.next, now));
        }
        if (options.json) {
          for (const row of rows) await writeJsonLine(io.stdout, row);
          return;
        }
        await write(io.stdout, renderTable(rows));
      } finally {
        await queue.close();
        await redis.quit().catch(() => undefined);
      }
    });
}

function renderTable(rows: SourceRow[]): string {
  const header = ['SOURCE', 'STATUS', 'LAST SUCCESS', 'FAILS', 'NEXT POLL', 'LAST ERROR'];
  const cells = rows.map((r) => [
    r.origin === 'chat' ? `${r.id} (chat)` : r.id,
    r.status,
    r.lastSuccess?.slice(0, 16).replace('T', ' ') ?? '-',
    String(r.failures),
    r.nextPoll?.slice(0, 16).replace('T', ' ') ?? '-',
    (r.lastError ?? '').slice(0, 80),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const ok = rows.filter((r) => r.status === 'ok').length;
  return [line(header), ...cells.map(line), '', `${ok}/${rows.length} sources ok`, ''].join('\n');
}
