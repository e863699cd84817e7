/**
 * RELIABILITY #29: tokens never reach Redis (job data is clear text there) or the logs,
 * even after a platform error whose URL and body the client library would echo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serveFeed, startTestBot, TEST_DISCORD_CHANNEL, type TestBot } from '../../helpers/bot.js';
import { story } from './e2e-support.js';

let running: TestBot | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Every value stored under the test's prefix, whatever the key type. */
async function dumpRedis(t: TestBot): Promise<string> {
  const { redis, prefix } = t.redis;
  const parts: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'string') parts.push((await redis.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
      else if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
  } while (cursor !== '0');
  return parts.join('\n');
}

describe('secrets', () => {
  it('keeps the Discord and Slack tokens out of Redis and the logs, also after a 403', async () => {
    const t = (running = await startTestBot({
      sources: [{ id: 'wire', name: 'Wire Service', path: '/wire.xml' }],
      serve: (feeds) => serveFeed(feeds, '/wire.xml', []),
    }));
    await t.waitFor('the baseline poll', async () => (await t.bot.runtime.fetchState.get('wire'))?.baselineDone);
    t.discord.fail(TEST_DISCORD_CHANNEL, { kind: 'status', status: 403 }, 1);
    serveFeed(t.feeds, '/wire.xml', [story('secret-1', 2)]);
    await t.waitFor(
      'the Slack post and the disabled Discord target',
      async () => t.slack.ledger.length === 1 && (await t.bot.runtime.targets.list()).length === 1,
    );

    const stored = await dumpRedis(t);
    expect(stored.length).toBeGreaterThan(1000);
    expect(stored).toContain('secret-1');
    for (const token of [t.discord.token, t.slack.token]) {
      expect(stored).not.toContain(token);
      expect(t.logs.join('\n')).not.toContain(token);
    }
  });
});
