import { describe, expect, it } from 'vitest';
import type { Item, Source } from '../../../src/domain/index.js';
import { pollSource, type PollDeps } from '../../../src/pipeline/index.js';
import { createMemoryFetchStateStore, createMemorySeenStore } from '../../../src/store/index.js';
import { jsonParse, makeItem, makeSource, opsLog, scriptedFetch, sourceLookup } from './support.js';

const T0 = Date.parse('2026-03-01T12:00:00Z');

function setup(sources: Source[], options: { failuresBeforePause?: number } = {}) {
  const fetcher = scriptedFetch();
  const fetchState = createMemoryFetchStateStore();
  const seen = createMemorySeenStore();
  const ops = opsLog();
  const enqueued: Array<{ item: Item; discoveredAt: string }> = [];
  let now = T0;
  const deps: PollDeps = {
    sources: sourceLookup(sources),
    fetchState,
    seen,
    fetch: (url, opts) => fetcher.fetch(url, opts),
    parse: (text) => jsonParse(text),
    enqueueAnalyze: (items) => Promise.resolve(void enqueued.push(...items)),
    fetchOptions: { timeoutMs: 1000, maxBytes: 1_000_000, maxRedirects: 5, userAgent: 'test', allowPrivateNetworks: false },
    failuresBeforePause: options.failuresBeforePause ?? 3,
    pausedRetryMs: 24 * 3600_000,
    seenRetentionMs: 90 * 86_400_000,
    warnOps: ops.warnOps,
    now: () => new Date(now),
  };
  return {
    deps,
    fetcher,
    fetchState,
    seen,
    ops,
    enqueued,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('pollSource: baseline and new items', () => {
  it('records the first poll as a baseline: nothing enqueued, every id seen', async () => {
    const source = makeSource('a');
    const t = setup([source]);
    const items = [1, 2, 3, 4, 5].map((n) => makeItem('a', `i${n}`, `Item ${n}`));
    t.fetcher.set(source.url, items);

    const outcome = await pollSource(t.deps, 'a');

    expect(outcome).toMatchObject({ kind: 'ok', items: 5, fresh: 5, baseline: true });
    expect(t.enqueued).toEqual([]);
    expect(
      await t.seen.filterNew(
        'a',
        items.map((i) => i.id),
        T0,
      ),
    ).toEqual([]);
    expect((await t.fetchState.get('a'))?.baselineDone).toBe(true);
  });

  it('enqueues the first poll of a backfill source', async () => {
    const source = makeSource('b', { backfill: true });
    const t = setup([source]);
    t.fetcher.set(source.url, [makeItem('b', 'x', 'X'), makeItem('b', 'y', 'Y')]);

    const outcome = await pollSource(t.deps, 'b');

    expect(outcome).toMatchObject({ kind: 'ok', baseline: false, fresh: 2 });
    expect(t.enqueued.map((e) => e.item.id)).toEqual(['x', 'y']);
    expect(t.enqueued[0]?.discoveredAt).toBe(new Date(T0).toISOString());
  });

  it('enqueues an item added after the baseline exactly once', async () => {
    const source = makeSource('a');
    const t = setup([source]);
    const old = [makeItem('a', 'i1', 'One'), makeItem('a', 'i2', 'Two')];
    t.fetcher.set(source.url, old);
    await pollSource(t.deps, 'a');

    const added = makeItem('a', 'i3', 'Three');
    t.fetcher.set(source.url, [added, ...old]);
    t.advance(60_000);
    const second = await pollSource(t.deps, 'a');
    t.advance(60_000);
    const third = await pollSource(t.deps, 'a');

    expect(second).toMatchObject({ kind: 'ok', fresh: 1, baseline: false });
    expect(third).toMatchObject({ kind: 'ok', fresh: 0 });
    expect(t.enqueued.map((e) => e.item.id)).toEqual(['i3']);
  });

  it('enqueues an id listed twice in one feed once', async () => {
    const source = makeSource('dup', { backfill: true });
    const t = setup([source]);
    t.fetcher.set(source.url, [makeItem('dup', 'same', 'First copy'), makeItem('dup', 'same', 'Second copy')]);

    await pollSource(t.deps, 'dup');

    expect(t.enqueued.map((e) => e.item.title)).toEqual(['First copy']);
  });

  it('sends the stored validators and treats 304 as nothing new', async () => {
    const source = makeSource('a');
    const t = setup([source]);
    t.fetcher.set(source.url, {
      kind: 'ok',
      status: 200,
      url: source.url,
      text: '[]',
      charset: 'utf-8',
      bytes: 2,
      etag: '"e1"',
      lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT',
    });
    await pollSource(t.deps, 'a');
    t.fetcher.set(source.url, { kind: 'not-modified', url: source.url, etag: '"e1"' });

    const outcome = await pollSource(t.deps, 'a');

    expect(outcome).toEqual({ kind: 'not-modified' });
    expect(t.fetcher.calls[1]).toEqual({ url: source.url, etag: '"e1"', lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT' });
    expect(t.enqueued).toEqual([]);
    expect((await t.fetchState.get('a'))?.failures).toBe(0);
  });

  it('skips unknown and disabled sources without fetching', async () => {
    const t = setup([makeSource('off', { enabled: false })]);
    expect(await pollSource(t.deps, 'gone')).toMatchObject({ kind: 'skipped' });
    expect(await pollSource(t.deps, 'off')).toMatchObject({ kind: 'skipped', reason: 'source is disabled' });
    expect(t.fetcher.calls).toEqual([]);
  });
});

describe('pollSource: failures', () => {
  it('counts failures, backs off exponentially and skips while backing off', async () => {
    const source = makeSource('bad', { everyMs: 60_000 });
    const t = setup([source], { failuresBeforePause: 10 });
    t.fetcher.set(source.url, { kind: 'error', code: 'http-status', status: 500, message: 'HTTP 500', url: source.url });

    const first = await pollSource(t.deps, 'bad');
    const state1 = await t.fetchState.get('bad');
    const during = await pollSource(t.deps, 'bad');
    t.advance(60_000);
    const second = await pollSource(t.deps, 'bad');
    const state2 = await t.fetchState.get('bad');

    expect(first).toMatchObject({ kind: 'failed', code: 'http-status', failures: 1, paused: false });
    expect(state1?.nextAllowedAt).toBe(T0 + 60_000);
    expect(during).toMatchObject({ kind: 'skipped' });
    expect(second).toMatchObject({ kind: 'failed', failures: 2 });
    expect(state2?.nextAllowedAt).toBe(T0 + 60_000 + 120_000);
    expect(state2?.lastError).toBe('HTTP 500');
    expect(t.fetcher.calls).toHaveLength(2);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const source = makeSource('busy', { everyMs: 60_000 });
    const t = setup([source]);
    t.fetcher.set(source.url, {
      kind: 'error',
      code: 'http-status',
      status: 429,
      message: 'HTTP 429',
      url: source.url,
      retryAfterMs: 600_000,
    });

    await pollSource(t.deps, 'busy');

    expect((await t.fetchState.get('busy'))?.nextAllowedAt).toBe(T0 + 600_000);
  });

  it('pauses after N failures in a row and tells the operators why', async () => {
    const source = makeSource('broken', { everyMs: 1000 });
    const t = setup([source], { failuresBeforePause: 3 });
    t.fetcher.set(source.url, { kind: 'error', code: 'timeout', message: 'no answer within 1000 ms', url: source.url });

    const outcomes = [];
    for (let i = 0; i < 3; i += 1) {
      outcomes.push(await pollSource(t.deps, 'broken'));
      t.advance(3_600_000);
    }
    const state = await t.fetchState.get('broken');
    const whilePaused = await pollSource(t.deps, 'broken');

    expect(outcomes.map((o) => (o.kind === 'failed' ? o.paused : o.kind))).toEqual([false, false, true]);
    expect(state?.pausedUntil).toBe(T0 + 2 * 3_600_000 + 24 * 3_600_000);
    expect(whilePaused).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('paused until') as unknown });
    expect(t.ops.messages).toHaveLength(1);
    expect(t.ops.messages[0]).toContain('Source broken');
    expect(t.ops.messages[0]).toContain('3 failures in a row');
    expect(t.ops.messages[0]).toContain('no answer within 1000 ms');
  });

  it('counts an unparseable body as a failure and a later success resets the count', async () => {
    const source = makeSource('junk', { everyMs: 1000 });
    const t = setup([source]);
    t.fetcher.set(source.url, { kind: 'ok', status: 200, url: source.url, text: '<html>not a feed', charset: 'utf-8', bytes: 16 });

    const failed = await pollSource(t.deps, 'junk');
    t.advance(5000);
    t.fetcher.set(source.url, [makeItem('junk', 'i1', 'One')]);
    const ok = await pollSource(t.deps, 'junk');
    const state = await t.fetchState.get('junk');

    expect(failed).toMatchObject({ kind: 'failed', code: 'unparseable' });
    expect(ok).toMatchObject({ kind: 'ok', baseline: true });
    expect(state).toMatchObject({ failures: 0, baselineDone: true });
    expect(state?.lastError).toBeUndefined();
  });
});

describe('pollSource: robots.txt on scraped pages', () => {
  it('does not fetch an HTML source its robots.txt disallows, and records why', async () => {
    const page = makeSource('page', { type: 'html', select: { item: 'article', title: 'h2', link: 'a@href' } });
    const feed = makeSource('feed');
    const t = setup([page, feed]);
    t.fetcher.set(page.url, [makeItem('page', 'p1', 'Page item')]);
    t.fetcher.set(feed.url, [makeItem('feed', 'f1', 'Feed item')]);
    const asked: string[] = [];
    t.deps.allowedByRobots = async (url) => {
      asked.push(url);
      return false;
    };

    const outcome = await pollSource(t.deps, 'page');
    expect(outcome).toMatchObject({ kind: 'failed', code: 'robots' });
    expect((await t.fetchState.get('page'))?.lastError).toMatch(/robots\.txt disallows/);
    // Feeds are meant to be polled: robots.txt is only consulted for scraped pages.
    expect(await pollSource(t.deps, 'feed')).toMatchObject({ kind: 'ok' });
    expect(asked).toEqual([page.url]);
  });
});
