/** `refwatch sources`: the source table, read from Redis (fetch state, chat sources, schedulers). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChatSourceStore, createFetchStateStore } from '../../../src/store/index.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis.js';
import { jsonLines, run } from '../../unit/cli/run-cli.js';

let t: TestRedis;
let env: Record<string, string>;

beforeEach(() => {
  t = createTestRedis();
  const dir = mkdtempSync(path.join(tmpdir(), 'refwatch-sources-'));
  const config = path.join(dir, 'config.yaml');
  writeFileSync(
    config,
    'sources:\n' +
      '  - { id: good-feed, type: rss, url: "https://good.example.org/feed.xml", every: 30m }\n' +
      '  - { id: bad-feed, type: rss, url: "https://bad.example.org/feed.xml", every: 30m }\n' +
      '  - { id: new-feed, type: rss, url: "https://new.example.org/feed.xml", every: 30m }\n',
  );
  env = { REDIS_URL: testRedisUrl(), REFWATCH_PREFIX: t.prefix, REFWATCH_CONFIG: config };
});
afterEach(async () => {
  await t.cleanup();
});

describe('refwatch sources', () => {
  it('shows each source with its health, chat-added ones marked', async () => {
    const state = createFetchStateStore(t.redis, { prefix: t.prefix });
    await state.recordSuccess('good-feed', { at: Date.parse('2026-11-22T06:00:00Z') });
    await state.recordFailure('bad-feed', {
      error: 'https://bad.example.org/feed.xml: answered HTTP 500',
      code: 'http-status',
      at: Date.now(),
    });
    await createChatSourceStore(t.redis, { prefix: t.prefix }).add({
      id: 'chat-feed',
      type: 'rss',
      url: 'https://chat.example.org/feed',
      everyMs: 900_000,
      origin: 'chat',
    });

    const table = await run(['sources'], { env });
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^good-feed\s+ok\s+2026-11-22 06:00\s+0/m);
    expect(table.stdout).toMatch(/^bad-feed\s+failing\s+-\s+1\s+.*answered HTTP 500/m);
    expect(table.stdout).toMatch(/^new-feed\s+never polled/m);
    expect(table.stdout).toMatch(/^chat-feed \(chat\)/m);
    expect(table.stdout).toContain('1/4 sources ok');

    const rows = jsonLines((await run(['sources', '--json'], { env })).stdout);
    expect(rows.map((r) => [r.id, r.status, r.origin])).toEqual([
      ['good-feed', 'ok', 'config'],
      ['bad-feed', 'failing', 'config'],
      ['new-feed', 'never polled', 'config'],
      ['chat-feed', 'never polled', 'chat'],
    ]);
  });

  it('says where the table lives when Redis does not answer', async () => {
    const result = await run(['sources'], { env: { ...env, REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No Redis answers at redis:\/\/127\.0\.0\.1:1/);
  });
});
