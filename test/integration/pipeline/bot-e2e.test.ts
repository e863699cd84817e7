/**
 * The bot end to end (poll → analyze → notify, all roles in one process) against real Redis,
 * a local feed server and the fake Discord and Slack APIs: baseline, one post per target,
 * syndicated stories edited instead of reposted, and feed text that never pings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { discordCurrentPayload, discordMessagesIn } from '../../fakes/discord-api.js';
import { slackCurrentPayload, slackMessagesIn } from '../../fakes/slack-api.js';
import { serveFeed, startTestBot, TEST_DISCORD_CHANNEL, TEST_SLACK_CHANNEL, type FeedEntry, type TestBot } from '../../helpers/bot.js';
import { feedRequests, idle, pollsAfter, story } from './e2e-support.js';

let running: TestBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('bot end to end', () => {
  it('records the first poll as a baseline and posts a later item once per target', async () => {
    const old: FeedEntry[] = [1, 2, 3, 4, 5].map((n) => story(`old-${n}`, n));
    const t = (running = await startTestBot({
      sources: [{ id: 'wire', name: 'Wire Service', path: '/wire.xml' }],
      serve: (feeds) => serveFeed(feeds, '/wire.xml', old),
    }));

    await t.waitFor('the baseline poll', async () => (await t.bot.runtime.fetchState.get('wire'))?.baselineDone);
    await pollsAfter(t, '/wire.xml', 2);
    expect(t.discord.ledger).toHaveLength(0);
    expect(t.slack.ledger).toHaveLength(0);

    const fresh = story('new-1', 6);
    serveFeed(t.feeds, '/wire.xml', [fresh, ...old]);
    await t.waitFor('a Discord and a Slack post', () => t.discord.ledger.length >= 1 && t.slack.ledger.length >= 1);
    await pollsAfter(t, '/wire.xml', 2);
    await idle(t);

    const [discordMessage] = discordMessagesIn(t.discord, TEST_DISCORD_CHANNEL);
    expect(discordMessagesIn(t.discord, TEST_DISCORD_CHANNEL)).toHaveLength(1);
    expect(slackMessagesIn(t.slack, TEST_SLACK_CHANNEL)).toHaveLength(1);
    expect(t.discord.ledger).toHaveLength(1);
    expect(t.slack.ledger).toHaveLength(1);
    expect(JSON.stringify(discordMessage?.payload)).toContain('Tumen');
    const seen = await t.redis.redis.zcard(`${t.redis.prefix}:source:wire:seen`);
    expect(seen).toBe(6);
  });

  it('edits the Discord and Slack messages when a second outlet carries the story', async () => {
    const first = story('wire-77', 7);
    const t = (running = await startTestBot({
      sources: [
        { id: 'wire', name: 'Wire Service', path: '/wire.xml' },
        { id: 'paper', name: 'Daily Paper', path: '/paper.xml' },
      ],
      serve: (feeds) => {
        serveFeed(feeds, '/wire.xml', []);
        serveFeed(feeds, '/paper.xml', []);
      },
    }));
    await t.waitFor(
      'both baselines',
      async () => (await t.bot.runtime.fetchState.get('wire'))?.baselineDone && (await t.bot.runtime.fetchState.get('paper'))?.baselineDone,
    );

    serveFeed(t.feeds, '/wire.xml', [first]);
    await t.waitFor('the first posts', () => t.discord.ledger.length >= 1 && t.slack.ledger.length >= 1);
    serveFeed(t.feeds, '/paper.xml', [
      { ...first, guid: 'paper-1', title: `(LEAD) ${first.title}`, link: 'https://paper.example.org/world/1' },
    ]);

    await t.waitFor(
      'edits on both platforms',
      () => (t.discord.ledger[0]?.edits.length ?? 0) >= 1 && (t.slack.ledger[0]?.edits.length ?? 0) >= 1,
    );
    await pollsAfter(t, '/paper.xml', 1);
    await idle(t);

    expect(t.discord.ledger).toHaveLength(1);
    expect(t.slack.ledger).toHaveLength(1);
    const discordNow = JSON.stringify(discordCurrentPayload(t.discord.ledger[0] ?? never()));
    const slackNow = JSON.stringify(slackCurrentPayload(t.slack.ledger[0] ?? never()));
    expect(discordNow).toContain('Also reported by');
    expect(discordNow).toContain('Daily Paper');
    expect(slackNow).toContain('Also reported by');
    expect(slackNow).toContain('Daily Paper');
    const alerts = await t.bot.runtime.alerts.listRecent(10);
    expect(alerts.map((a) => a.alsoReportedBy)).toEqual([['Daily Paper']]);
  });

  it('never pings from feed text: Discord gets parse: [], Slack gets escaped mentions', async () => {
    const t = (running = await startTestBot({
      sources: [{ id: 'wire', name: 'Wire Service', path: '/wire.xml' }],
      serve: (feeds) => serveFeed(feeds, '/wire.xml', []),
    }));
    await t.waitFor('the baseline poll', async () => (await t.bot.runtime.fetchState.get('wire'))?.baselineDone);

    const hostile = story('ping-1', 9);
    serveFeed(t.feeds, '/wire.xml', [{ ...hostile, title: `@everyone @here <@&1> <@2> <!channel> ${hostile.title}` }]);
    await t.waitFor('posts of the hostile title', () => t.discord.ledger.length >= 1 && t.slack.ledger.length >= 1);

    const discordPayload = t.discord.ledger[0]?.payload ?? never();
    expect(discordPayload.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(discordPayload)).toContain('everyone');
    const creates = t.discord.requests.filter((r) => r.method === 'POST');
    expect(creates.every((r) => r.status === 200)).toBe(true);

    // Slack parses mentions in the fallback text and mrkdwn, not in plain_text headers.
    const slackPayload = t.slack.ledger[0]?.payload ?? never();
    const parsed = [String(slackPayload.text), ...mrkdwnTexts(slackPayload.blocks)];
    expect(parsed[0]).toContain('&lt;!channel&gt;');
    expect(parsed.filter((text) => /<[!@]/.test(text))).toEqual([]);
    expect(t.slack.requests.filter((r) => r.method === 'chat.postMessage').map((r) => r.outcome)).toEqual(['ok']);
    expect(feedRequests(t, '/wire.xml')).toBeGreaterThan(1);
  });
});

/** Every mrkdwn text object in a Block Kit array. */
function mrkdwnTexts(blocks: unknown): string[] {
  if (Array.isArray(blocks)) return blocks.flatMap(mrkdwnTexts);
  if (typeof blocks !== 'object' || blocks === null) return [];
  const node = blocks as Record<string, unknown>;
  const own = node.type === 'mrkdwn' && typeof node.text === 'string' ? [node.text] : [];
  return [...own, ...Object.values(node).flatMap(mrkdwnTexts)];
}

function never(): never {
  throw new Error('expected a ledger entry');
}
