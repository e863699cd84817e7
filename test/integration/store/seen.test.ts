import { expect, it } from 'vitest';
import { createMemorySeenStore, createSeenStore } from '../../../src/store/index.js';
import { forEachAdapter } from './adapters.js';

const DAY = 86_400_000;

forEachAdapter('SeenStore', { redis: (r, prefix) => createSeenStore(r, { prefix }), memory: createMemorySeenStore }, (make) => {
  it('filterNew does not mark; markSeen does; sources are separate', async () => {
    const { store } = make();
    expect(await store.filterNew('yonhap', ['a', 'b', 'a'], 1)).toEqual(['a', 'b']);
    expect(await store.filterNew('yonhap', ['a', 'b'], 1)).toEqual(['a', 'b']);
    await store.markSeen('yonhap', ['a'], 1);
    expect(await store.filterNew('yonhap', ['a', 'b', 'c'], 2)).toEqual(['b', 'c']);
    expect(await store.filterNew('dailynk', ['a'], 2)).toEqual(['a']);
    expect(await store.filterNew('yonhap', [], 2)).toEqual([]);
    await store.markSeen('yonhap', [], 2);
  });

  it('keeps the first-seen time and prunes by it (retention)', async () => {
    const { store, ctx } = make();
    await store.markSeen('s', ['old', 'kept-in-feed'], 0);
    await store.markSeen('s', ['recent'], 80 * DAY);
    // Seeing "old" again must not refresh it: retention counts from first sight.
    await store.markSeen('s', ['old'], 85 * DAY);
    if (ctx.redis) {
      expect(await ctx.redis.client.zscore(`${ctx.redis.prefix}:source:s:seen`, 'old')).toBe('0');
    }
    const removed = await store.prune('s', 90 * DAY - 30 * DAY, { keep: ['kept-in-feed'] });
    expect(removed).toBe(1);
    expect(await store.filterNew('s', ['old', 'kept-in-feed', 'recent'], 90 * DAY)).toEqual(['old']);
    expect(await store.prune('s', 100 * DAY)).toBe(2);
    expect(await store.filterNew('s', ['kept-in-feed', 'recent'], 100 * DAY)).toEqual(['kept-in-feed', 'recent']);
  });

  it('claim is true for exactly one of many concurrent callers', async () => {
    const { store } = make();
    const wins = await Promise.all(Array.from({ length: 10 }, () => store.claim('s', 'item-1', 5)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.claim('s', 'item-2', 5)).toBe(true);
    expect(await store.claim('other', 'item-1', 5)).toBe(true);
  });
});
