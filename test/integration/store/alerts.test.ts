import { expect, it } from 'vitest';
import type { Alert } from '../../../src/domain/index.js';
import { createAlertStore, createMemoryAlertStore } from '../../../src/store/index.js';
import { forEachAdapter } from './adapters.js';

function alert(id: string, discoveredAt: string, title = `Alert ${id}`): Alert {
  return {
    id,
    storyId: `st_${id}`,
    decision: 'alert',
    severity: 'high',
    score: 9,
    title,
    sourceId: 'yonhap-en',
    sourceName: 'Yonhap',
    discoveredAt,
    matches: [],
    rules: [],
    entities: { people: [], places: [] },
    alsoReportedBy: [],
  };
}

forEachAdapter('AlertStore', { redis: (r, prefix) => createAlertStore(r, { prefix }), memory: createMemoryAlertStore }, (make) => {
  it('saves the latest version and reads it back', async () => {
    const { store, ctx } = make();
    expect(await store.get('a1')).toBeUndefined();
    await store.save(alert('a1', '2024-04-28T10:00:00Z'));
    await store.save({ ...alert('a1', '2024-04-28T10:00:00Z'), alsoReportedBy: ['NK News'] });
    expect(await store.get('a1')).toMatchObject({ id: 'a1', alsoReportedBy: ['NK News'] });
    if (ctx.redis) expect(await ctx.redis.client.pttl(`${ctx.redis.prefix}:alert:a1`)).toBeGreaterThan(80 * 86_400_000);
  });

  it('updates under compare-and-set: creates when absent, then changes the stored version', async () => {
    const { store, ctx } = make();
    const discovered = new Date(Date.now() - 3_600_000).toISOString();
    const created = await store.update('a2', (current) => current ?? alert('a2', discovered));
    expect(created.id).toBe('a2');
    const seen: Array<Alert | undefined> = [];
    const grown = await store.update('a2', (current) => {
      seen.push(current);
      return { ...(current ?? alert('a2', discovered)), alsoReportedBy: ['NK News'] };
    });
    expect(seen).toEqual([created]);
    expect(await store.get('a2')).toEqual(grown);
    expect((await store.listSince(Date.now() - 2 * 3_600_000)).map((a) => a.id)).toEqual(['a2']);
    if (ctx.redis) expect(await ctx.redis.client.pttl(`${ctx.redis.prefix}:alert:a2`)).toBeGreaterThan(80 * 86_400_000);
  });

  it('records posted message ids per target and clears the pending marker', async () => {
    const { store } = make();
    expect(await store.getPosted('a1')).toEqual({});
    await store.markPending('a1', 'discord:111', 1000);
    await store.markPending('a1', 'slack:C222', 1001);
    expect(await store.getPending('a1')).toEqual({ 'discord:111': 1000, 'slack:C222': 1001 });
    await store.markPosted('a1', 'discord:111', '1234567890');
    expect(await store.getPosted('a1')).toEqual({ 'discord:111': '1234567890' });
    expect(await store.getPending('a1')).toEqual({ 'slack:C222': 1001 });
    await store.clearPending('a1', 'slack:C222');
    expect(await store.getPending('a1')).toEqual({});
  });

  it('lists recent (newest first) and since a time (oldest first), by first discovery', async () => {
    const { store } = make();
    // Within the 90-day retention, counted back from now.
    const base = Date.now() - 10 * 86_400_000;
    const day = (n: number): string => new Date(base + n * 86_400_000).toISOString();
    await store.save(alert('a', day(1)));
    await store.save(alert('c', day(3)));
    await store.save(alert('b', day(2)));
    // An edit with a later discoveredAt does not move the alert in time.
    await store.save({ ...alert('a', day(5)), title: 'edited' });
    expect((await store.listRecent(2)).map((a) => a.id)).toEqual(['c', 'b']);
    expect((await store.listRecent(10)).map((a) => a.id)).toEqual(['c', 'b', 'a']);
    expect(await store.listRecent(0)).toEqual([]);
    const since = await store.listSince(Date.parse(day(2)));
    expect(since.map((a) => a.id)).toEqual(['b', 'c']);
    expect((await store.listRecent(10)).find((a) => a.id === 'a')?.title).toBe('edited');
  });

  it('drops alerts older than the retention from the time index', async () => {
    const { store, ctx } = make();
    if (!ctx.redis) return; // the in-memory store keeps everything
    await store.save(alert('ancient', new Date(Date.now() - 200 * 86_400_000).toISOString()));
    await store.save(alert('fresh', new Date().toISOString()));
    expect((await store.listRecent(10)).map((a) => a.id)).toEqual(['fresh']);
  });
});
