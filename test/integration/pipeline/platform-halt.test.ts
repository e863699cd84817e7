/**
 * A 401 halts a whole platform (a bad token must not burn through Discord's invalid-request
 * budget); the halt lives in Redis, and a restart — how an operator brings a new token —
 * lifts it so delivery resumes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serveFeed, startTestBot, TEST_DISCORD_CHANNEL, type TestBot } from '../../helpers/bot.js';
import { story } from './e2e-support.js';

let running: TestBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('platform halt after a 401', () => {
  it('halts Discord, keeps Slack, and resumes Discord after a restart', async () => {
    const t = (running = await startTestBot({
      sources: [{ id: 'wire', name: 'Wire Service', path: '/wire.xml' }],
      serve: (feeds) => serveFeed(feeds, '/wire.xml', []),
    }));
    await t.waitFor('the baseline poll', async () => (await t.bot.runtime.fetchState.get('wire'))?.baselineDone);
    t.discord.fail(TEST_DISCORD_CHANNEL, { kind: 'status', status: 401 }, 1);
    serveFeed(t.feeds, '/wire.xml', [story('halt-1', 3)]);
    await t.waitFor(
      'the Slack post and the Discord halt',
      async () => t.slack.ledger.length === 1 && (await t.bot.runtime.targets.isDisabled('platform:discord')),
    );
    expect(t.discord.ledger).toHaveLength(0);

    await t.restart();
    expect(await t.bot.runtime.targets.isDisabled('platform:discord')).toBe(false);
    serveFeed(t.feeds, '/wire.xml', [story('halt-2', 4), story('halt-1', 3)]);
    await t.waitFor('the next alert on Discord', () => t.discord.ledger.length === 1);
    expect(t.slack.ledger).toHaveLength(2);
  });
});
