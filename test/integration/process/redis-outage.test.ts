/**
 * RELIABILITY #5 and #6 at process level: redis-server killed under a running `refwatch start`
 * (AOF on: restarted at once, then down for 10 s), and a restart with no persistence at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { discordMessagesIn } from '../../fakes/discord-api.js';
import { cleanupProcesses, exitWithin, waitFor } from '../../helpers/process.js';
import { CHANNEL, createWorld, expectPostedOnce, FRESH_STORIES, OLD_STORIES, postsOf, waitForBaseline, type World } from './fixtures.js';

let world: World | undefined;

afterEach(async () => {
  await cleanupProcesses();
  await world?.close();
  world = undefined;
});

describe('refwatch start when Redis goes away', () => {
  it('reconnects after redis-server is SIGKILLed and restarted (AOF), at once and after 10 s down', async () => {
    world = await createWorld({ appendonly: true });
    const { discord, redis, prefix, feed } = world;
    const bot = world.spawn();
    await waitForBaseline(redis.client, prefix, world.sourceId, [bot]);
    const [before, afterRestart, afterOutage] = [FRESH_STORIES[0]!, FRESH_STORIES[1]!, FRESH_STORIES[2]!];
    feed.add(before);
    await expectPostedOnce(discord, [before], OLD_STORIES, [bot]);
    // appendfsync everysec: give the last writes their second before the crash.
    await sleep(1200);

    await redis.kill9();
    await redis.restart();
    expect(await redis.client.hget(`${prefix}:source:${world.sourceId}:state`, 'baselineDone'), 'AOF kept the state').toBe('1');
    feed.add(afterRestart);
    await expectPostedOnce(discord, [before, afterRestart], OLD_STORIES, [bot], 30_000);

    await sleep(1200);
    await redis.kill9();
    const polled = feed.requests().length;
    await sleep(10_000);
    await redis.restart();
    feed.add(afterOutage);
    await expectPostedOnce(discord, [before, afterRestart, afterOutage], OLD_STORIES, [bot], 30_000);
    expect(feed.requests().length, 'polling resumed after the outage').toBeGreaterThan(polled);
    expect(bot.child.exitCode, 'the bot rode out both outages').toBeNull();
  }, 120_000);

  it('appendonly no: after a restart that loses everything, schedules come back and nothing old is posted', async () => {
    world = await createWorld({ appendonly: false });
    const { discord, redis, prefix, feed } = world;
    const first = world.spawn();
    await waitForBaseline(redis.client, prefix, world.sourceId, [first]);
    const posted = FRESH_STORIES[0]!;
    feed.add(posted);
    await expectPostedOnce(discord, [posted], OLD_STORIES, [first]);
    first.kill('SIGTERM');
    expect((await exitWithin(first, 12_000)).code).toBe(0);

    await redis.kill9();
    await redis.restart();
    expect(await redis.client.dbsize(), 'all state is gone').toBe(0);

    const second = world.spawn();
    await second.waitForLog(/^Watching 1 sources/);
    // The scheduler was re-created at boot, so the source is polled again: a fresh baseline.
    expect(await redis.client.keys(`${prefix}:poll:repeat:*`)).not.toEqual([]);
    await waitForBaseline(redis.client, prefix, world.sourceId, [second]);
    const polls = feed.requests().length;
    await waitFor('two more polls', () => feed.requests().length >= polls + 2, 10_000, [second]);
    expect(postsOf(discord, posted), 'the story posted before the wipe is not reposted').toBe(1);
    expect(discordMessagesIn(discord, CHANNEL), 'nothing old was posted').toHaveLength(1);

    const next = FRESH_STORIES[1]!;
    feed.add(next);
    await expectPostedOnce(discord, [posted, next], OLD_STORIES, [second]);
  }, 90_000);
});
