/**
 * Analyze workers racing on one story's alert against moderators and each other (real Redis):
 * a save from analyze must never drop a triage decision or another worker's merge.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { Route } from '../../../src/config/types.js';
import type { Item } from '../../../src/domain/index.js';
import { analyzeItem, type AnalyzeDeps, type NotifyJob } from '../../../src/pipeline/index.js';
import { createAlertStore, storeKeys } from '../../../src/store/index.js';
import { createMemoryStoryStore } from '../../../src/stories/index.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import { keywordClassifier, makeItem, makeSource, sourceLookup } from '../../unit/pipeline/support.js';

const ROUTES: Route[] = [
  { when: { decision: 'alert' }, to: ['discord:100'] },
  { when: { decision: 'review' }, to: ['discord:200'] },
];
const TITLE = 'China sends detained escapees back across the Yalu river';
const DISCOVERED = '2026-03-01T12:00:00.000Z';

const handles: TestRedis[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.cleanup()));
});

/** A client whose first GET of `key` that finds a value runs `during` before answering (another writer gets in). */
function interceptFirstRead(redis: Redis, key: string, during: () => Promise<void>): Redis {
  let fired = false;
  return new Proxy(redis, {
    get(target, prop) {
      if (prop === 'get') {
        return async (k: string) => {
          const value = await target.get(k);
          if (!fired && k === key && value !== null) {
            fired = true;
            await during();
          }
          return value;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function setup(redis: Redis, prefix: string, enqueued: NotifyJob[]) {
  const stories = createMemoryStoryStore({ windowDays: 7 });
  const deps = (client: Redis): AnalyzeDeps => ({
    sources: sourceLookup([
      makeSource('wire', { name: 'Wire' }),
      makeSource('paper', { name: 'Paper' }),
      makeSource('daily', { name: 'Daily' }),
    ]),
    classifier: keywordClassifier(),
    stories,
    alerts: createAlertStore(client, { prefix }),
    routes: ROUTES,
    enqueueNotify: (jobs) => Promise.resolve(void enqueued.push(...jobs)),
    articleMinChars: 0,
    now: () => new Date(DISCOVERED),
  });
  const analyze = (client: Redis, item: Item) => analyzeItem(deps(client), { item, discoveredAt: DISCOVERED });
  return { analyze, alerts: createAlertStore(redis, { prefix }) };
}

describe('analyzeItem: concurrent writers on one alert', () => {
  it('keeps a dismissal a moderator stored while analyze was merging a new outlet', async () => {
    const h = createTestRedis();
    handles.push(h);
    const enqueued: NotifyJob[] = [];
    const t = setup(h.redis, h.prefix, enqueued);
    const first = await t.analyze(h.redis, makeItem('wire', 'w1', TITLE, { summary: 'ALERT summary' }));
    if (first.kind !== 'new-story') throw new Error(`expected a new story, got ${first.kind}`);
    await t.alerts.markPosted(first.alert.id, 'discord:100', 'msg-1');
    const key = storeKeys(h.prefix).alert(first.alert.id);

    // The moderator's compare-and-set lands between analyze's read and its write.
    const racing = interceptFirstRead(h.redis, key, async () => {
      const raw = await h.redis.get(key);
      const alert = JSON.parse(raw ?? '{}') as Record<string, unknown>;
      const dismissed = { ...alert, triage: { status: 'dismissed', by: 'mod', at: DISCOVERED, reason: 'off-topic' } };
      await h.redis.set(key, JSON.stringify(dismissed), 'KEEPTTL');
    });
    await t.analyze(racing, makeItem('paper', 'p1', TITLE, { summary: 'ALERT summary' }));

    const stored = await t.alerts.get(first.alert.id);
    expect(stored?.triage).toEqual({ status: 'dismissed', by: 'mod', at: DISCOVERED, reason: 'off-topic' });
    expect(stored?.alsoReportedBy).toEqual(['Paper']);
  });

  it('keeps both outlets when two analyze workers merge into the same alert at once', async () => {
    const h = createTestRedis();
    handles.push(h);
    const enqueued: NotifyJob[] = [];
    const t = setup(h.redis, h.prefix, enqueued);
    const first = await t.analyze(h.redis, makeItem('wire', 'w1', TITLE, { summary: 'ALERT summary' }));
    if (first.kind !== 'new-story') throw new Error(`expected a new story, got ${first.kind}`);
    const key = storeKeys(h.prefix).alert(first.alert.id);

    const racing = interceptFirstRead(h.redis, key, async () => {
      await t.analyze(h.redis, makeItem('daily', 'd1', TITLE, { summary: 'ALERT summary' }));
    });
    await t.analyze(racing, makeItem('paper', 'p1', TITLE, { summary: 'ALERT summary' }));

    const stored = await t.alerts.get(first.alert.id);
    expect([...(stored?.alsoReportedBy ?? [])].sort()).toEqual(['Daily', 'Paper']);
  });
});
