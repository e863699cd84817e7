/**
 * Daily digests: a route's digest is a BullMQ job scheduler (cron + time zone) on the notify
 * queue; a digest job posts one notice listing the stories the route received since the last one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { discordMessagesIn } from '../../fakes/discord-api.js';
import { serveFeed, startTestBot, DISCORD_TARGET, TEST_DISCORD_CHANNEL, type TestBot } from '../../helpers/bot.js';
import { story } from './e2e-support.js';

let running: TestBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('daily digest', () => {
  it('schedules the digest at the local time and posts the stories the route received', async () => {
    const t = (running = await startTestBot({
      sources: [{ id: 'wire', name: 'Wire Service', path: '/wire.xml' }],
      routes: [{ when: { decision: ['alert', 'review'] }, to: [DISCORD_TARGET], digest: { at: '08:30', timezone: 'Asia/Seoul' } }],
      serve: (feeds) => serveFeed(feeds, '/wire.xml', []),
    }));
    const scheduler = await t.bot.runtime.queues.notify.getJobScheduler('digest:0');
    expect(scheduler).toMatchObject({ pattern: '30 8 * * *', tz: 'Asia/Seoul' });

    await t.waitFor('the baseline poll', async () => (await t.bot.runtime.fetchState.get('wire'))?.baselineDone);
    const fresh = story('digest-1', 1);
    serveFeed(t.feeds, '/wire.xml', [fresh]);
    await t.waitFor('the alert', () => discordMessagesIn(t.discord, TEST_DISCORD_CHANNEL).length === 1);

    // Run the scheduled job now instead of waiting for 08:30 KST.
    await t.bot.runtime.queues.notify.add('digest' as 'notify', { route: 0 } as never);
    const digest = await t.waitFor('the digest notice', () =>
      discordMessagesIn(t.discord, TEST_DISCORD_CHANNEL).find((m) => String(m.payload.content ?? '').includes('daily digest')),
    );
    const content = String(digest.payload.content);
    expect(content).toContain('1 story since');
    expect(content).toContain(fresh.title.slice(0, 30));
    expect(digest.payload.allowed_mentions).toEqual({ parse: [] });
  });
});
