/** `refwatch demo`: local sample feeds through the real pipeline, alerts to the console. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { parseDuration } from '../../config/index.js';
import { DEMO_FEEDS, startDemoServer } from '../../demo/index.js';
import { createLogger, RedisUnavailableError } from '../../infra/index.js';
import { startBot } from '../../../workers/main.js';
import { CliExit, EXIT, write, type CliIO } from '../io.js';
import { loadFor } from '../shared.js';

interface DemoOptions {
  duration: string;
}

/** Polling interval of the demo feeds: short, so something happens every few seconds. */
const DEMO_EVERY_MS = 3000;

export function register(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('run the bot on local sample feeds for about 40 s; alerts appear in this terminal')
    .option('--duration <time>', 'how long to run (e.g. 40s, 2m)', '40s')
    .addHelpText('after', '\nExample:\n  $ refwatch demo\n  $ refwatch demo --duration 2m\n')
    .action(async (options: DemoOptions) => {
      const durationMs = parseDuration(options.duration);
      const { env, config } = loadFor(io, undefined);
      const server = await startDemoServer();
      const prefix = `refwatch-demo-${randomUUID().slice(0, 8)}`;
      const dataDir = mkdtempSync(path.join(tmpdir(), 'refwatch-demo-'));
      const say = (text: string) => write(io.stdout, `\n» ${text}\n`);

      await say(
        `Demo: ${DEMO_FEEDS.length} sample feeds on ${server.url}, polled every ${DEMO_EVERY_MS / 1000} s. ` +
          'Their first items are a baseline (recorded, not alerted); new items appear over the next ~20 s.',
      );
      let bot;
      try {
        bot = await startBot({
          env: { ...env, prefix, dataDir, httpPort: undefined, discordToken: undefined, slackBotToken: undefined },
          rawEnv: io.env,
          roles: ['poll', 'analyze', 'notify'],
          log: createLogger({ level: env.logLevel === 'info' ? 'warn' : env.logLevel }),
          config: {
            ...config,
            fetch: { ...config.fetch, allowPrivateNetworks: true },
            sources: DEMO_FEEDS.map((feed) => ({
              id: feed.sourceId,
              type: 'rss' as const,
              name: feed.name,
              url: `${server.url}${feed.path}`,
              everyMs: DEMO_EVERY_MS,
              lang: 'en',
            })),
            routes: [],
            ops: { to: [] },
          },
        });
      } catch (error) {
        await server.close();
        if (error instanceof RedisUnavailableError) throw new CliExit(EXIT.usage, error.message);
        throw error;
      }
      await sleep(durationMs);
      const alerts = await bot.runtime.alerts.listRecent(50);
      await bot.stop();
      await server.close();
      await removeDemoKeys(bot.redisUrl, prefix).catch(() => undefined);
      await say(
        `Demo over: ${alerts.length} stor${alerts.length === 1 ? 'y' : 'ies'} flagged ` +
          `(${alerts.map((a) => `${a.decision}: ${a.title}`).join('; ') || 'none'}). ` +
          `The alert log is ${path.join(dataDir, 'alerts.jsonl')}.\n` +
          '  Next: `refwatch scan --dry-run` to try the real sources, or `npm start` to run the bot.',
      );
    });
}

async function removeDemoKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}
