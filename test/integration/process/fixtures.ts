/**
 * Shared pieces of the process tests: an RSS feed whose items the test adds while the bot runs,
 * alert-worthy stories written for these tests (distinct enough to be separate stories), and
 * the ledger and Redis checks every test ends with.
 */
import { expect } from 'vitest';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { discordMessagesIn, startFakeDiscord, type FakeDiscord } from '../../fakes/discord-api.js';
import { createFeedServer, type FeedServer } from '../../fakes/feed-server.js';
import {
  spawnBot,
  startRedisServer,
  tempDir,
  waitFor,
  writeBotConfig,
  type BotProcess,
  type RedisServer,
  type SpawnBotOptions,
} from '../../helpers/process.js';

/** A Discord channel id for the alerts route. */
export const CHANNEL = '123456789012345678';

export interface StoryText {
  title: string;
  text: string;
}

/** Old news (baseline: never posted) and fresh, alert-scoring stories, each about a different place. */
export const OLD_STORIES: StoryText[] = [
  { title: 'Weather service warns of heavy snow in the north', text: 'Forecasters expect up to 30 cm of snow over the weekend.' },
  {
    title: 'Report: North Korean escapees detained in Shenyang face repatriation',
    text: 'An NGO said a group of North Korean escapees held in Shenyang could be forcibly repatriated to the DPRK, where they face torture.',
  },
];

export const FRESH_STORIES: StoryText[] = [
  {
    title: 'China forcibly repatriates 50 North Korean defectors from Dandong',
    text: 'Human rights groups said Chinese authorities sent about 50 North Korean escapees back across the border at Dandong this week, where they face torture and prison camps. Activists urged China to respect non-refoulement.',
  },
  {
    title: 'Dozens of North Korean women face forced repatriation from Tumen detention centre',
    text: 'Families report that North Korean escapees held in Tumen will be handed to the DPRK within days; the UN special rapporteur warned of torture on their forced return.',
  },
  {
    title: 'Activists warn Hunchun detainees risk being sent back to North Korea',
    text: 'A rights group said escapees arrested in Hunchun are being prepared for forced repatriation to North Korea, where they risk detention in political prison camps.',
  },
  {
    title: 'UN experts alarmed by forced return of North Korean refugees from Changbai',
    text: 'Independent experts said China forcibly repatriated North Korean refugees detained in Changbai, breaching the principle of non-refoulement.',
  },
  {
    title: 'Seoul urges Beijing to halt repatriation of North Korean defectors held in Yanji',
    text: 'South Korea asked China not to forcibly return North Korean defectors detained in Yanji, citing the risk of torture in the DPRK.',
  },
  {
    title: 'NGO: 30 North Korean escapees deported from Nanping to Hyesan',
    text: 'Sources told the NGO that 30 North Korean escapees were forcibly repatriated across the bridge from Nanping to Hyesan and taken to a detention centre.',
  },
];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A feed served at `path` whose items the test can add to while the bot runs. */
export interface LiveFeed {
  readonly url: string;
  readonly path: string;
  add(story: StoryText): void;
  /** GET requests the feed server saw for this feed. */
  requests(): number[];
}

export function createLiveFeed(server: FeedServer, path: string, initial: StoryText[]): LiveFeed {
  const items: Array<StoryText & { guid: string; at: number }> = [];
  let counter = 0;
  const add = (story: StoryText) => {
    counter += 1;
    items.push({ ...story, guid: `${path.replace(/\W/g, '')}-${counter}`, at: Date.now() });
  };
  for (const story of initial) add(story);
  server.route(path, (_req, res) => {
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<rss version="2.0"><channel><title>Process test feed</title><link>https://example.org/</link><description>t</description>',
      ...[...items]
        .reverse()
        .map((item) =>
          [
            '<item>',
            `<title>${escapeXml(item.title)}</title>`,
            `<link>https://example.org${path}/${item.guid}</link>`,
            `<guid isPermaLink="false">${item.guid}</guid>`,
            `<pubDate>${new Date(item.at).toUTCString()}</pubDate>`,
            `<description>${escapeXml(item.text)}</description>`,
            '</item>',
          ].join(''),
        ),
      '</channel></rss>',
    ].join('\n');
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(body);
  });
  return {
    url: `${server.url}${path}`,
    path,
    add,
    requests: () => server.requests.filter((r) => new URL(r.path, 'http://x').pathname === path).map((r) => r.at),
  };
}

/** Resolves once the source's first poll (the baseline) is recorded in Redis. */
export async function waitForBaseline(
  redis: Redis,
  prefix: string,
  sourceId: string,
  bots: BotProcess[] = [],
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(
    `baseline of ${sourceId}`,
    async () => (await redis.hget(`${prefix}:source:${sourceId}:state`, 'baselineDone')) === '1',
    timeoutMs,
    bots,
  );
}

/** How many created messages in the channel carry this story's title. */
export function postsOf(discord: FakeDiscord, story: StoryText): number {
  return discordMessagesIn(discord, CHANNEL).filter((entry) => JSON.stringify(entry.payload).includes(story.title)).length;
}

/** Waits until each story has a Discord message, then asserts exactly one each and nothing else. */
export async function expectPostedOnce(
  discord: FakeDiscord,
  stories: StoryText[],
  others: StoryText[] = [],
  bots: BotProcess[] = [],
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(`posts of ${stories.length} stories`, () => stories.every((story) => postsOf(discord, story) >= 1), timeoutMs, bots);
  for (const story of stories) expect(postsOf(discord, story), story.title).toBe(1);
  for (const story of others) expect(postsOf(discord, story), `never posted: ${story.title}`).toBe(0);
  expect(discordMessagesIn(discord, CHANNEL)).toHaveLength(stories.length);
}

/** Alert ids with a posted marker, and with a pending marker left (ambiguous sends). */
export async function deliveryMarkers(redis: Redis, prefix: string): Promise<{ posted: Map<string, string>; pending: string[] }> {
  const posted = new Map<string, string>();
  const pending: string[] = [];
  for (const key of await redis.keys(`${prefix}:alert:*:posted`)) {
    const id = await redis.hget(key, `discord:${CHANNEL}`);
    if (id) posted.set(key, id);
  }
  for (const key of await redis.keys(`${prefix}:alert:*:pending`)) {
    if (await redis.hexists(key, `discord:${CHANNEL}`)) pending.push(key);
  }
  return { posted, pending };
}

/** Short locks so a killed worker's job is retried within seconds (REFWATCH_* tuning knobs). */
export const FAST_RECOVERY = { REFWATCH_LOCK_DURATION_MS: '2000', REFWATCH_STALLED_INTERVAL_MS: '500' };

/** One test's world: its own redis-server, feed server, fake Discord, config file and key prefix. */
export interface World {
  redis: RedisServer;
  feeds: FeedServer;
  discord: FakeDiscord;
  feed: LiveFeed;
  sourceId: string;
  prefix: string;
  configFile: string;
  dataDir: string;
  /** Spawns `refwatch start` against this world. */
  spawn(overrides?: Partial<SpawnBotOptions>): BotProcess;
  close(): Promise<void>;
}

export async function createWorld(options: { appendonly: boolean; every?: string }): Promise<World> {
  const redis = await startRedisServer({ appendonly: options.appendonly });
  const feeds = await createFeedServer();
  const discord = await startFakeDiscord();
  const sourceId = 'process-test';
  const feed = createLiveFeed(feeds, '/feed.xml', OLD_STORIES);
  const dir = tempDir('world');
  const configFile = writeBotConfig(dir, {
    sources: [{ id: sourceId, url: feed.url, every: options.every ?? '1s' }],
    discordChannel: CHANNEL,
  });
  const prefix = `proc-${randomUUID().slice(0, 8)}`;
  return {
    redis,
    feeds,
    discord,
    feed,
    sourceId,
    prefix,
    configFile,
    dataDir: dir,
    spawn: (overrides = {}) =>
      spawnBot({
        configFile,
        redisUrl: redis.url,
        prefix,
        dataDir: dir,
        discord: { apiUrl: discord.apiUrl, token: discord.token },
        ...overrides,
      }),
    async close() {
      await discord.close();
      await feeds.close();
      await redis.close();
    },
  };
}
