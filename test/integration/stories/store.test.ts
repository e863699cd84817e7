import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../../src/domain/index.js';
import { createMemoryStoryStore, createStoryStore, type StoryStore } from '../../../src/stories/index.js';
import { createTestRedis, type TestRedis } from '../../helpers/redis.js';
import * as f from '../../unit/stories/fixtures.js';

const alert = { decision: 'alert', severity: 'high' } as const;
const review = { decision: 'review', severity: 'medium' } as const;
const t0 = new Date('2024-04-28T10:00:00Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);

type Factory = (windowDays: number) => StoryStore;

function contract(name: string, make: () => { factory: Factory; done: () => Promise<void> }): void {
  describe(`StoryStore contract: ${name}`, () => {
    let factory: Factory;
    let done: () => Promise<void>;
    beforeEach(() => ({ factory, done } = make()));
    afterEach(async () => done());

    it('creates a story, then merges copies by title, URL and SimHash', async () => {
      const store = factory(7);
      const first = await store.attach(f.yonhapOriginal, review, t0);
      expect(first.isNew).toBe(true);
      expect(first.matchedBy).toBeUndefined();
      expect(first.story).toMatchObject({ title: f.yonhapOriginal.title, reporters: ['yonhap-en'], decision: 'review' });

      const lead = await store.attach(f.yonhapLead, alert, later(1000));
      expect(lead).toMatchObject({ isNew: false, matchedBy: 'title' });
      expect(lead.story.id).toBe(first.story.id);
      expect(lead.story).toMatchObject({ decision: 'alert', severity: 'high', reporters: ['yonhap-en'] });

      const herald = await store.attach(f.heraldReprint, review, later(2000));
      expect(herald).toMatchObject({ isNew: false, matchedBy: 'simhash' });
      expect(herald.story.reporters).toEqual(['yonhap-en', 'The Korea Herald']);
      // Decision and severity never go down.
      expect(herald.story).toMatchObject({ decision: 'alert', severity: 'high' });

      const sameUrl: Item = { ...f.item({ title: 'Totally different headline here', url: f.yonhapOriginal.url ?? '' }), sourceId: 'other' };
      expect(await store.attach(sameUrl, review, later(3000))).toMatchObject({ isNew: false, matchedBy: 'url' });

      expect(await store.get(first.story.id)).toMatchObject({ id: first.story.id, reporters: ['yonhap-en', 'The Korea Herald', 'other'] });
      expect(await store.get('st_missing')).toBeUndefined();
    });

    it('keeps different stories apart', async () => {
      const store = factory(7);
      const ids = new Set<string>();
      for (const it of [f.yonhapOriginal, f.dailyNk, f.unStatement, f.newsOnUnStatement, f.nkNewsOwnWords]) {
        const r = await store.attach(it, alert, t0);
        expect(r.isNew).toBe(true);
        ids.add(r.story.id);
      }
      expect(ids.size).toBe(5);
    });

    it('re-attaching the same item is idempotent', async () => {
      const store = factory(7);
      const a = await store.attach(f.koreanFlash, alert, t0);
      const b = await store.attach(f.koreanFlash, alert, later(10));
      expect(b).toMatchObject({ isNew: false, matchedBy: 'item' });
      expect(b.story.id).toBe(a.story.id);
      expect(b.story.reporters).toEqual(['yonhap-ko']);
    });

    it('does not match a story whose window has passed', async () => {
      const store = factory(1);
      const a = await store.attach(f.yonhapOriginal, alert, t0);
      const b = await store.attach(f.yonhapLead, alert, later(2 * 86_400_000));
      expect(b.isNew).toBe(true);
      expect(b.story.id).not.toBe(a.story.id);
    });
  });
}

let handles: TestRedis[] = [];
afterEach(async () => {
  await Promise.all(handles.map((h) => h.cleanup()));
  handles = [];
});
function redisHandle(): TestRedis {
  const h = createTestRedis();
  handles.push(h);
  return h;
}

contract('redis', () => {
  const h = redisHandle();
  return { factory: (windowDays) => createStoryStore(h.redis, { prefix: h.prefix, windowDays }), done: async () => {} };
});
contract('memory', () => ({ factory: (windowDays) => createMemoryStoryStore({ windowDays }), done: async () => {} }));

describe('Redis StoryStore under concurrency', () => {
  it('10 workers attaching copies at once create one story with deduplicated reporters', async () => {
    const main = redisHandle();
    const clients = Array.from({ length: 10 }, () => main.redis.duplicate());
    try {
      const copies: Item[] = Array.from({ length: 10 }, (_, i) => ({
        ...f.heraldReprint,
        sourceId: `feed-${i}`,
        id: `copy-${i}`,
        url: `https://outlet${i}.example/story`,
        canonicalUrl: `https://outlet${i}.example/story`,
        // Three outlets, each seen through several feeds (case differs): reporters dedup.
        publisher: ['Korea Herald', 'KOREA HERALD', 'Yonhap', 'NK News'][i % 4] ?? 'x',
      }));
      const results = await Promise.all(
        copies.map((c, i) => createStoryStore(clients[i]!, { prefix: main.prefix, windowDays: 7 }).attach(c, alert, t0)),
      );
      expect(new Set(results.map((r) => r.story.id)).size).toBe(1);
      expect(results.filter((r) => r.isNew)).toHaveLength(1);
      const store = createStoryStore(main.redis, { prefix: main.prefix, windowDays: 7 });
      const story = await store.get(results[0]!.story.id);
      expect(story?.reporters).toHaveLength(3);
      expect(story?.reporters.map((r) => r.toLowerCase()).sort()).toEqual(['korea herald', 'nk news', 'yonhap']);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });

  it('index keys expire after the window (real TTL)', async () => {
    const h = redisHandle();
    const windowDays = 300 / 86_400_000; // 300 ms
    const store = createStoryStore(h.redis, { prefix: h.prefix, windowDays });
    const now = new Date();
    const a = await store.attach(f.yonhapOriginal, alert, now);
    const indexKeys = await h.redis.keys(`${h.prefix}:story:*:*`);
    expect(indexKeys.length).toBeGreaterThanOrEqual(2 + 8);
    for (const k of indexKeys) expect(await h.redis.pttl(k)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 450));
    expect(await h.redis.keys(`${h.prefix}:story:*:*`)).toEqual([]);
    // The story itself outlives its lookup window (alerts still refer to it) …
    expect(await store.get(a.story.id)).toBeDefined();
    // … but a copy arriving now starts a new story.
    const b = await store.attach(f.yonhapLead, alert, new Date());
    expect(b.isNew).toBe(true);
  });
});
