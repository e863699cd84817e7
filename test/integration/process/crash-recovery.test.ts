/**
 * RELIABILITY #1 and #8 at process level: `refwatch start` SIGKILLed while Discord holds its
 * posts, and SIGTERMed with posts in flight. Each test has its own redis-server (AOF on).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { discordMessagesIn } from '../../fakes/discord-api.js';
import { cleanupProcesses, exitWithin, waitFor } from '../../helpers/process.js';
import {
  CHANNEL,
  createWorld,
  deliveryMarkers,
  expectPostedOnce,
  FAST_RECOVERY,
  FRESH_STORIES,
  OLD_STORIES,
  waitForBaseline,
  type World,
} from './fixtures.js';

let world: World | undefined;

afterEach(async () => {
  await cleanupProcesses();
  await world?.close();
  world = undefined;
});

describe('refwatch start as a process', () => {
  it('kill -9 while Discord holds the posts, then restart: every item posted exactly once', async () => {
    world = await createWorld({ appendonly: true });
    const { discord, redis, prefix, feed } = world;
    const first = world.spawn({ env: FAST_RECOVERY });
    await waitForBaseline(redis.client, prefix, world.sourceId, [first]);

    // One story: the REST client sends one request per channel at a time, so a second would queue.
    const fresh = FRESH_STORIES.slice(0, 1);
    // Discord accepts the create but never answers in time: the bot cannot know it landed.
    discord.fail(CHANNEL, { kind: 'accept-then-stall', ms: 60_000 }, fresh.length);
    for (const story of fresh) feed.add(story);
    await waitFor('the post accepted by Discord', () => discordMessagesIn(discord, CHANNEL).length === fresh.length, 20_000, [first]);
    first.kill('SIGKILL');
    expect((await exitWithin(first, 5000)).signal).toBe('SIGKILL');

    const before = await deliveryMarkers(redis.client, prefix);
    expect(before.posted.size, 'killed before any post was recorded').toBe(0);
    expect(before.pending, 'the ambiguous send left a pending marker').toHaveLength(fresh.length);

    const second = world.spawn({ env: FAST_RECOVERY });
    await second.waitForLog(/job stalled; it will be retried/, 20_000);
    await waitFor(
      'posted markers after the restart',
      async () => (await deliveryMarkers(redis.client, prefix)).posted.size === fresh.length,
      20_000,
      [second],
    );

    await expectPostedOnce(discord, fresh, OLD_STORIES, [second]);
    const after = await deliveryMarkers(redis.client, prefix);
    // The nonce made Discord hand back the message it had already created.
    const ledgerIds = discordMessagesIn(discord, CHANNEL)
      .map((entry) => entry.id)
      .sort();
    expect([...after.posted.values()].sort()).toEqual(ledgerIds);
    expect(after.pending).toEqual([]);
  }, 90_000);

  it('SIGTERM with posts in flight: exit 0 within the hard timeout, posts land once', async () => {
    world = await createWorld({ appendonly: true });
    const { discord, redis, prefix, feed } = world;
    const bot = world.spawn({ env: FAST_RECOVERY });
    await waitForBaseline(redis.client, prefix, world.sourceId, [bot]);

    const fresh = FRESH_STORIES.slice(0, 3);
    // Three slow creates (2 s each, one at a time per channel): at SIGTERM one is on the wire,
    // up to one more is active behind it, the rest wait in the queue for the next start.
    discord.fail(CHANNEL, { kind: 'accept-then-stall', ms: 2000 }, fresh.length);
    for (const story of fresh) feed.add(story);
    await waitFor('a post in flight', () => discordMessagesIn(discord, CHANNEL).length >= 1, 20_000, [bot]);
    bot.kill('SIGTERM');
    const exit = await exitWithin(bot, 12_000);
    expect(exit.code, bot.output()).toBe(0);
    expect(
      bot.lines.some((line) => line.json?.msg === 'Stopped'),
      'stop sequence completed',
    ).toBe(true);
    expect(
      bot.lines.some((line) => /did not finish/.test(line.json?.msg ?? '')),
      'no job abandoned',
    ).toBe(false);
    // The in-flight posts finished before the exit and were recorded.
    expect((await deliveryMarkers(redis.client, prefix)).posted.size).toBeGreaterThanOrEqual(1);

    const next = world.spawn({ env: FAST_RECOVERY });
    await expectPostedOnce(discord, fresh, OLD_STORIES, [next]);
    expect(
      next.lines.some((line) => /stalled/.test(line.json?.msg ?? '')),
      'a clean stop leaves nothing stalled',
    ).toBe(false);
  }, 90_000);

  it('SIGTERM while a post outlasts the stop timeout: forced exit 0, restart posts it once', async () => {
    world = await createWorld({ appendonly: true });
    const { discord, redis, prefix, feed } = world;
    const tuning = { ...FAST_RECOVERY, REFWATCH_STOP_TIMEOUT_MS: '1500' };
    const bot = world.spawn({ env: tuning });
    await waitForBaseline(redis.client, prefix, world.sourceId, [bot]);

    const story = FRESH_STORIES[3]!;
    discord.fail(CHANNEL, { kind: 'accept-then-stall', ms: 30_000 }, 1);
    feed.add(story);
    await waitFor('the post accepted by Discord', () => discordMessagesIn(discord, CHANNEL).length === 1, 20_000, [bot]);
    bot.kill('SIGTERM');
    const exit = await exitWithin(bot, 6000);
    expect(exit.code, bot.output()).toBe(0);
    expect(
      bot.lines.some((line) => /did not finish within 1500 ms/.test(line.json?.msg ?? '')),
      bot.output(),
    ).toBe(true);

    const next = world.spawn({ env: tuning });
    await waitFor('posted marker after the restart', async () => (await deliveryMarkers(redis.client, prefix)).posted.size === 1, 20_000, [
      next,
    ]);
    await expectPostedOnce(discord, [story], OLD_STORIES, [next]);
  }, 90_000);
});
