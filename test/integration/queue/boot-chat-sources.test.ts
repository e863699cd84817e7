/**
 * Sources added from chat live in Redis, not in the config file. A restart syncs the poll
 * schedulers from the source registry (workers/main.ts): chat sources must be in it, so their
 * schedulers survive, and one hand-edited bad entry must not stop the whole poll role booting.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/index.js';
import type { Source } from '../../../src/domain/index.js';
import { createProducerConnection } from '../../../src/infra/index.js';
import { closeQueues, createQueues, scheduleSource, schedulerIdFor, syncSchedulers, type Queues } from '../../../src/queue/index.js';
import { createMemoryChatSourceStore } from '../../../src/store/index.js';
import { createSourceRegistry } from '../../../workers/runtime.js';
import { createTestRedis, testRedisUrl, type TestRedis } from '../../helpers/redis.js';

const fromFile: Source = { id: 'file-feed', type: 'rss', url: 'https://example.org/a.xml', everyMs: 600_000 };
const fromChat: Source = { id: 'chat-feed', type: 'rss', url: 'https://example.org/b.xml', everyMs: 900_000 };
const silentLog = { warn: () => undefined } as unknown as Parameters<typeof createSourceRegistry>[2];

describe('boot-time scheduler sync with chat sources', () => {
  let t: TestRedis;
  let connection: ReturnType<typeof createProducerConnection>;
  let queues: Queues;
  beforeEach(() => {
    t = createTestRedis();
    connection = createProducerConnection(testRedisUrl());
    queues = createQueues(connection, t.prefix);
  });
  afterEach(async () => {
    await closeQueues(queues);
    await connection.quit();
    await t.cleanup();
  });

  it('keeps a chat-added source scheduled across a restart', async () => {
    const chat = createMemoryChatSourceStore();
    await chat.add(fromChat);
    await scheduleSource(queues.poll, { ...fromChat, origin: 'chat' });
    const registry = createSourceRegistry({ sources: [fromFile] } as unknown as Config, chat, silentLog);

    const synced = await syncSchedulers(queues.poll, await registry.list());

    expect(synced.removed).toEqual([]);
    const ids = (await queues.poll.getJobSchedulers(0, -1)).map((s) => s.id ?? s.key).sort();
    expect(ids).toEqual([schedulerIdFor(fromChat.id), schedulerIdFor(fromFile.id)].sort());
  });

  it('boots with the good sources when a chat entry has an interval the scheduler refuses', async () => {
    const chat = createMemoryChatSourceStore();
    await chat.add(fromChat);
    await chat.add({ id: 'hand-edited', type: 'rss', url: 'https://example.org/c.xml', everyMs: 1.5 });
    const registry = createSourceRegistry({ sources: [fromFile] } as unknown as Config, chat, silentLog);

    const synced = await syncSchedulers(queues.poll, await registry.list());

    expect(synced.scheduled.map((s) => s.sourceId).sort()).toEqual([fromChat.id, fromFile.id].sort());
  });
});
