/**
 * `--roles` at process level: poll, analyze and notify in separate processes on one Redis (two
 * pollers, as when a deployment scales the poll role) → each new item posted once, and the
 * feed polled once per interval, not once per poller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanupProcesses, exitWithin } from '../../helpers/process.js';
import { createWorld, expectPostedOnce, FRESH_STORIES, OLD_STORIES, waitForBaseline, type World } from './fixtures.js';

let world: World | undefined;

afterEach(async () => {
  await cleanupProcesses();
  await world?.close();
  world = undefined;
});

const EVERY_MS = 2000;

describe('refwatch start --roles', () => {
  it('split across processes: new items posted exactly once, no duplicate polls', async () => {
    world = await createWorld({ appendonly: true, every: `${EVERY_MS / 1000}s` });
    const { discord, redis, prefix, feed } = world;
    const pollers = [world.spawn({ roles: 'poll' }), world.spawn({ roles: 'poll' })];
    const analyzer = world.spawn({ roles: 'analyze' });
    const notifier = world.spawn({ roles: 'notify' });
    const bots = [...pollers, analyzer, notifier];
    for (const bot of bots) await bot.waitForLog(/^Refoulement Watch running/, 30_000);
    expect(
      analyzer.lines.some((line) => /^Watching/.test(line.json?.msg ?? '')),
      'only pollers sync schedules',
    ).toBe(false);
    await waitForBaseline(redis.client, prefix, world.sourceId, bots);

    const fresh = FRESH_STORIES.slice(0, 3);
    for (const story of fresh) feed.add(story);
    await expectPostedOnce(discord, fresh, OLD_STORIES, bots, 30_000);

    // Watch a few more intervals with both pollers up: one scheduler, so one poll per interval.
    const from = Date.now();
    await sleep(4 * EVERY_MS + 500);
    const seen = feed.requests().filter((at) => at >= from);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThanOrEqual(5);
    const gaps = seen.slice(1).map((at, i) => at - seen[i]!);
    for (const gap of gaps) expect(gap, `gaps between polls: ${gaps.join(', ')} ms`).toBeGreaterThan(EVERY_MS / 2);

    for (const bot of bots) bot.kill('SIGTERM');
    for (const bot of bots) expect((await exitWithin(bot, 12_000)).code, bot.output()).toBe(0);
  }, 120_000);
});
