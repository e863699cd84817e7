/**
 * The bot end to end under faults: platform rate limits, server errors and a forbidden channel
 * (each item lands exactly once per working target), and broken, hanging and huge feeds next to
 * a good one (the good one is still posted promptly; the failures are in the fetch state).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { repeatBody, stall } from '../../fakes/feed-server.js';
import {
  DISCORD_TARGET,
  serveFeed,
  startTestBot,
  TEST_DISCORD_CHANNEL,
  TEST_SLACK_CHANNEL,
  type FeedEntry,
  type TestBot,
} from '../../helpers/bot.js';
import { idle, story } from './e2e-support.js';

let running: TestBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** A bot on one feed whose baseline is done; returns a function that publishes new stories. */
async function botWithBaseline(): Promise<{ t: TestBot; publish(entries: FeedEntry[]): void }> {
  const t = (running = await startTestBot({
    sources: [{ id: 'wire', name: 'Wire Service', path: '/wire.xml' }],
    serve: (feeds) => serveFeed(feeds, '/wire.xml', []),
  }));
  await t.waitFor('the baseline poll', async () => (await t.bot.runtime.fetchState.get('wire'))?.baselineDone);
  const published: FeedEntry[] = [];
  return {
    t,
    publish(entries) {
      published.unshift(...entries);
      serveFeed(t.feeds, '/wire.xml', published);
    },
  };
}

/** Alert ids per posted message, to check "each item exactly once". */
function alertIdsIn(ledger: ReadonlyArray<{ payload: Record<string, unknown> }>): string[] {
  return ledger.map((entry) => /al_st_[0-9a-f]+/.exec(JSON.stringify(entry.payload))?.[0] ?? '?').sort();
}

describe('bot end to end under delivery faults', () => {
  it('honours Discord 429 Retry-After and still posts every item exactly once', async () => {
    const { t, publish } = await botWithBaseline();
    t.discord.fail(TEST_DISCORD_CHANNEL, { kind: 'rate-limit', retryAfterSec: 1 }, 2);

    publish([story('rl-1', 0), story('rl-2', 1), story('rl-3', 2)]);
    await t.waitFor('three Discord posts', () => t.discord.ledger.length >= 3 && t.slack.ledger.length >= 3, 20_000);
    await idle(t);

    const limited = t.discord.requests.filter((r) => r.status === 429);
    expect(limited).toHaveLength(2);
    expect(t.discord.ledger).toHaveLength(3);
    expect(new Set(alertIdsIn(t.discord.ledger)).size).toBe(3);
    expect(alertIdsIn(t.discord.ledger)).toEqual(alertIdsIn(t.slack.ledger));
    // Nothing was accepted before the server's wait was over.
    const firstLimited = limited[0]?.at ?? 0;
    expect(Math.min(...t.discord.ledger.map((e) => e.createdAt))).toBeGreaterThanOrEqual(firstLimited + 900);
  });

  it('retries 5xx and posts once when the platform recovers', async () => {
    const { t, publish } = await botWithBaseline();
    t.discord.fail(TEST_DISCORD_CHANNEL, { kind: 'status', status: 502 }, 2);
    t.slack.fail(TEST_SLACK_CHANNEL, { kind: 'http', status: 503 }, 1);

    publish([story('err-1', 3)]);
    await t.waitFor('a post on each platform', () => t.discord.ledger.length >= 1 && t.slack.ledger.length >= 1, 25_000);
    await idle(t, 20_000);

    expect(t.discord.requests.filter((r) => r.status === 502)).toHaveLength(2);
    expect(t.slack.requests.filter((r) => r.outcome === '503')).toHaveLength(1);
    expect(t.discord.ledger).toHaveLength(1);
    expect(t.slack.ledger).toHaveLength(1);
  });

  it('disables a channel that answers 403 and keeps delivering to the other target', async () => {
    const { t, publish } = await botWithBaseline();
    t.discord.fail(TEST_DISCORD_CHANNEL, { kind: 'status', status: 403 }, 1);

    publish([story('fb-1', 4)]);
    await t.waitFor('the target to be disabled', () => t.bot.runtime.targets.isDisabled(DISCORD_TARGET));
    publish([story('fb-2', 5)]);
    await t.waitFor('both Slack posts', () => t.slack.ledger.length >= 2);
    await idle(t);

    const reason = await t.redis.redis.hget(`${t.redis.prefix}:target:disabled`, DISCORD_TARGET);
    expect(reason).toContain('403');
    expect(t.discord.ledger).toHaveLength(0);
    expect(t.discord.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(t.slack.ledger).toHaveLength(2);
    expect(t.logs.some((line) => line.includes('"ops":true') && line.includes(DISCORD_TARGET))).toBe(true);
  });
});

describe('bot end to end with hostile feeds', () => {
  it('posts the good feed promptly while broken, hanging and huge feeds fail', async () => {
    const t = (running = await startTestBot({
      sources: [
        { id: 'good', name: 'Good Feed', path: '/good.xml' },
        { id: 'broken', path: '/broken.xml' },
        { id: 'hanging', path: '/hanging.xml' },
        { id: 'huge', path: '/huge.xml' },
      ],
      serve: (feeds) => {
        serveFeed(feeds, '/good.xml', []);
        feeds.route('/broken.xml', { status: 500, body: 'Internal Server Error' });
        feeds.route('/hanging.xml', stall());
        // 2 MiB of whitespace against the 1 MiB limit of the test config.
        feeds.route(
          '/huge.xml',
          repeatBody(new Uint8Array(64 * 1024).fill(0x20), 32, { headers: { 'content-type': 'application/rss+xml' } }),
        );
      },
    }));
    await t.waitFor('the good baseline', async () => (await t.bot.runtime.fetchState.get('good'))?.baselineDone);
    await t.waitFor('a failure of every bad feed', async () => {
      const states = await Promise.all(['broken', 'hanging', 'huge'].map((id) => t.bot.runtime.fetchState.get(id)));
      return states.every((s) => (s?.failures ?? 0) >= 1) && states;
    });

    const addedAt = Date.now();
    serveFeed(t.feeds, '/good.xml', [story('good-1', 8)]);
    await t.waitFor('the good item on both platforms', () => t.discord.ledger.length >= 1 && t.slack.ledger.length >= 1, 10_000);
    const latencyMs = Date.now() - addedAt;

    const states = Object.fromEntries(
      await Promise.all(['good', 'broken', 'hanging', 'huge'].map(async (id) => [id, await t.bot.runtime.fetchState.get(id)] as const)),
    );
    expect(latencyMs).toBeLessThan(6000);
    expect(states.good).toMatchObject({ failures: 0, baselineDone: true });
    expect(states.broken).toMatchObject({ lastErrorCode: 'http-status', baselineDone: false });
    expect(states.hanging).toMatchObject({ lastErrorCode: 'timeout', baselineDone: false });
    expect(states.huge).toMatchObject({ lastErrorCode: 'too-large', baselineDone: false });
    expect(states.broken?.lastError).toContain('500');
    expect(t.discord.ledger).toHaveLength(1);
  });
});
