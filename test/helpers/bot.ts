/**
 * Runs the whole bot in-process for end-to-end tests: `startBot` with every role, against the
 * test Redis under a fresh prefix, a local feed server and the fake Discord and Slack APIs.
 * The config and Env are built here directly (no file, no process.env), so each test states
 * exactly what it runs with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config, Env, FetchConfig, Route } from '../../src/config/index.js';
import type { Source } from '../../src/domain/index.js';
import { createLogger } from '../../src/infra/index.js';
import { startBot, type RunningBot } from '../../workers/main.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-api.js';
import { createFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.js';
import { createTestRedis, testRedisUrl, type TestRedis } from './redis.js';

/** The Discord channel (a snowflake) and Slack channel the default routes post to. */
export const TEST_DISCORD_CHANNEL = '123456789012345678';
export const TEST_SLACK_CHANNEL = 'C0TESTALERTS';
export const DISCORD_TARGET = `discord:${TEST_DISCORD_CHANNEL}`;
export const SLACK_TARGET = `slack:${TEST_SLACK_CHANNEL}`;

/** A source served by the harness's feed server at `path`. */
export interface TestSource extends Omit<Source, 'url' | 'type' | 'everyMs'> {
  path: string;
  /** @defaultValue 1000 */
  everyMs?: number;
}

export interface TestBotOptions {
  sources: TestSource[];
  /** @defaultValue alerts and review items to both fake channels */
  routes?: Route[];
  fetch?: Partial<FetchConfig>;
  pipeline?: Partial<Config['pipeline']>;
  ops?: string[];
  /** Called with the feed server before the bot starts, so the first poll sees these routes. */
  serve?: (feeds: FeedServer) => void;
}

export interface TestBot {
  bot: RunningBot;
  feeds: FeedServer;
  discord: FakeDiscord;
  slack: FakeSlack;
  /** The test's Redis connection and key prefix. */
  redis: TestRedis;
  config: Config;
  /** Log lines of the bot (JSON), for assertions and for timeout messages. */
  logs: string[];
  /**
   * Polls `check` every 100 ms until it returns something other than undefined/false, and
   * returns it; throws after `timeoutMs` naming `what` and the last log lines.
   */
  waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  /** Stops the bot (not the fakes, not Redis) and starts it again on the same prefix: a process restart. */
  restart(): Promise<void>;
  /** Stops the bot and the fakes and deletes the test's keys; safe to call twice. */
  stop(): Promise<void>;
}

const DEFAULT_WAIT_MS = 15_000;

/** Routes every alert and review item to the fake Discord and Slack channels. */
export function defaultRoutes(): Route[] {
  return [{ when: { decision: ['alert', 'review'] }, to: [DISCORD_TARGET, SLACK_TARGET] }];
}

function testConfig(options: TestBotOptions, feedsUrl: string): Config {
  return {
    fetch: {
      allowPrivateNetworks: true,
      timeoutMs: 2000,
      maxBytes: 1024 * 1024,
      maxRedirects: 3,
      userAgent: 'RefoulementWatch-test/0 (+https://example.invalid/tests)',
      // Every test feed lives on 127.0.0.1: with the production limit of 2, one stalled feed
      // would make the others wait for the host slot, which is a different test.
      perHostConcurrency: 6,
      articleMinChars: 0,
      ...options.fetch,
    },
    sources: options.sources.map(({ path: feedPath, everyMs, ...rest }) => ({
      ...rest,
      type: 'rss' as const,
      url: `${feedsUrl}${feedPath}`,
      everyMs: everyMs ?? 1000,
    })),
    rules: { packs: ['nk-forced-repatriation'] },
    routes: options.routes ?? defaultRoutes(),
    ops: { to: options.ops ?? [] },
    moderators: { discordRoles: [], slackUsers: [], escalationRoles: [] },
    pipeline: { failuresBeforePause: 10, seenRetentionDays: 90, storyWindowDays: 7, pausedRetryMs: 60_000, ...options.pipeline },
  };
}

function testEnv(prefix: string, dataDir: string, discord: FakeDiscord, slack: FakeSlack): Env {
  return {
    redisUrl: testRedisUrl(),
    prefix,
    configFile: undefined,
    logLevel: 'info',
    discordToken: discord.token,
    discordApiUrl: discord.apiUrl,
    slackBotToken: slack.token,
    slackAppToken: undefined,
    slackApiUrl: slack.apiUrl,
    httpPort: undefined,
    adminUser: 'admin',
    adminPassword: undefined,
    dataDir,
  };
}

/** Starts the fakes, then the bot with all roles in this process. */
export async function startTestBot(options: TestBotOptions): Promise<TestBot> {
  const feeds = await createFeedServer();
  const discord = await startFakeDiscord();
  const slack = await startFakeSlack();
  const redis = createTestRedis();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'refwatch-bot-test-'));
  const logs: string[] = [];
  options.serve?.(feeds);
  const config = testConfig(options, feeds.url);

  const closeFakes = async (): Promise<void> => {
    await Promise.allSettled([feeds.close(), discord.close(), slack.close()]);
    await redis.cleanup().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const boot = () =>
    startBot({
      env: testEnv(redis.prefix, dataDir, discord, slack),
      rawEnv: {},
      roles: ['poll', 'analyze', 'notify'],
      config,
      log: createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(line) } }),
      stopTimeoutMs: 3000,
    });
  let bot: RunningBot;
  try {
    bot = await boot();
  } catch (error) {
    await closeFakes();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const handle: TestBot = {
    bot,
    feeds,
    discord,
    slack,
    redis,
    config,
    logs,
    async waitFor(what, check, timeoutMs = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) {
          const tail = logs
            .slice(-8)
            .map((line) => `  ${line.trim().slice(0, 400)}`)
            .join('\n');
          throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Last log lines:\n${tail}`);
        }
        await sleep(100);
      }
    },
    async restart() {
      await handle.bot.stop();
      handle.bot = await boot();
    },
    stop() {
      stopped ??= (async () => {
        await handle.bot.stop().catch(() => undefined);
        await closeFakes();
      })();
      return stopped;
    },
  };
  return handle;
}

/** One item of a test RSS feed. */
export interface FeedEntry {
  guid: string;
  title: string;
  description?: string;
  link?: string;
  /** ISO date; rendered as RFC 822. */
  published?: string;
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An RSS 2.0 document with `entries` (newest first, as feeds list them). */
export function rssFeed(title: string, entries: readonly FeedEntry[]): string {
  const items = entries.map((entry) =>
    [
      '<item>',
      `<guid isPermaLink="false">${xml(entry.guid)}</guid>`,
      `<title>${xml(entry.title)}</title>`,
      `<link>${xml(entry.link ?? `https://news.example.org/${encodeURIComponent(entry.guid)}`)}</link>`,
      entry.description !== undefined ? `<description>${xml(entry.description)}</description>` : '',
      entry.published !== undefined ? `<pubDate>${new Date(entry.published).toUTCString()}</pubDate>` : '',
      '</item>',
    ].join(''),
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${xml(title)}</title>` +
    `<link>https://news.example.org/</link><description>test feed</description>${items.join('')}</channel></rss>`
  );
}

/** Serves `entries` at `feedPath` as RSS (replacing what was there). */
export function serveFeed(feeds: FeedServer, feedPath: string, entries: readonly FeedEntry[]): void {
  feeds.route(feedPath, {
    status: 200,
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    body: rssFeed(feedPath, entries),
  });
}
