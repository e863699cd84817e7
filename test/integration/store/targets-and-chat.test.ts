import { expect, it } from 'vitest';
import type { Source } from '../../../src/domain/index.js';
import {
  createChatSourceStore,
  createMemoryChatSourceStore,
  createMemoryTargetStateStore,
  createTargetStateStore,
} from '../../../src/store/index.js';
import { forEachAdapter } from './adapters.js';

forEachAdapter(
  'TargetStateStore',
  { redis: (r, prefix) => createTargetStateStore(r, { prefix }), memory: createMemoryTargetStateStore },
  (make) => {
    it('disables, lists and enables targets', async () => {
      const { store } = make();
      expect(await store.isDisabled('discord:1')).toBe(false);
      await store.disable('slack:C9', 'channel_not_found');
      await store.disable('discord:1', '403 Missing Permissions');
      expect(await store.isDisabled('discord:1')).toBe(true);
      expect(await store.list()).toEqual([
        { target: 'discord:1', reason: '403 Missing Permissions' },
        { target: 'slack:C9', reason: 'channel_not_found' },
      ]);
      expect(await store.enable('discord:1')).toBe(true);
      expect(await store.enable('discord:1')).toBe(false);
      expect(await store.isDisabled('discord:1')).toBe(false);
    });
  },
);

const source: Source = { id: 'hrw-nk', type: 'rss', url: 'https://www.hrw.org/rss/asia/north-korea', everyMs: 900_000, tags: [] };

forEachAdapter(
  'ChatSourceStore',
  { redis: (r, prefix) => createChatSourceStore(r, { prefix }), memory: createMemoryChatSourceStore },
  (make) => {
    it('adds once, toggles, removes', async () => {
      const { store } = make();
      expect(await store.add(source)).toBe(true);
      expect(await store.add({ ...source, url: 'https://other.example/feed' })).toBe(false);
      expect(await store.list()).toEqual({ sources: [{ ...source, origin: 'chat' }], invalid: [] });
      expect(await store.setEnabled('hrw-nk', false)).toBe(true);
      expect((await store.list()).sources[0]?.enabled).toBe(false);
      expect(await store.setEnabled('missing', true)).toBe(false);
      expect(await store.remove('hrw-nk')).toBe(true);
      expect(await store.remove('hrw-nk')).toBe(false);
      expect((await store.list()).sources).toEqual([]);
    });

    it('reports a hand-edited broken entry instead of throwing', async () => {
      const { store, ctx } = make();
      if (!ctx.redis) return;
      await store.add(source);
      await ctx.redis.client.hset(`${ctx.redis.prefix}:sources:chat`, 'bad', '{"id":"bad","type":"ftp"}');
      const listed = await store.list();
      expect(listed.sources.map((s) => s.id)).toEqual(['hrw-nk']);
      expect(listed.invalid[0]?.id).toBe('bad');
      expect(listed.invalid[0]?.error).toMatch(/type/u);
    });

    it('concurrent toggles all land (compare-and-set)', async () => {
      const { store } = make();
      await store.add(source);
      await Promise.all([store.setEnabled('hrw-nk', false), store.setEnabled('hrw-nk', false), store.setEnabled('hrw-nk', false)]);
      expect((await store.list()).sources[0]).toMatchObject({ id: 'hrw-nk', enabled: false, url: source.url });
    });
  },
);
