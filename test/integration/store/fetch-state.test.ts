import { expect, it } from 'vitest';
import { createFetchStateStore, createMemoryFetchStateStore } from '../../../src/store/index.js';
import { forEachAdapter } from './adapters.js';

forEachAdapter(
  'FetchStateStore',
  { redis: (r, prefix) => createFetchStateStore(r, { prefix }), memory: createMemoryFetchStateStore },
  (make) => {
    it('is undefined before the first poll', async () => {
      const { store } = make();
      expect(await store.get('yonhap')).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it('counts failures, keeps Retry-After, and a success resets them', async () => {
      const { store } = make();
      expect(await store.recordFailure('dailynk', { error: 'HTTP 503', code: 'http-status', at: 1000, retryAfterMs: 120_000 })).toBe(1);
      expect(await store.recordFailure('dailynk', { error: 'timed out after 15000 ms', code: 'timeout', at: 2000 })).toBe(2);
      let s = await store.get('dailynk');
      expect(s).toMatchObject({
        failures: 2,
        lastError: 'timed out after 15000 ms',
        lastErrorCode: 'timeout',
        lastAttempt: 2000,
        baselineDone: false,
      });
      expect(s?.nextAllowedAt).toBeUndefined();
      await store.recordFailure('dailynk', { error: 'HTTP 429', code: 'http-status', at: 3000, retryAfterMs: 60_000 });
      expect((await store.get('dailynk'))?.nextAllowedAt).toBe(63_000);

      await store.pause('dailynk', 90_000, '11 failures in a row');
      expect(await store.get('dailynk')).toMatchObject({ pausedUntil: 90_000, pauseReason: '11 failures in a row' });

      await store.recordSuccess('dailynk', { etag: '"abc"', lastModified: 'Sat, 27 Apr 2024 10:00:00 GMT', at: 100_000 });
      s = await store.get('dailynk');
      expect(s).toEqual({
        sourceId: 'dailynk',
        failures: 0,
        baselineDone: false,
        etag: '"abc"',
        lastModified: 'Sat, 27 Apr 2024 10:00:00 GMT',
        lastSuccess: 100_000,
        lastAttempt: 100_000,
      });
    });

    it('drops validators the server stopped sending', async () => {
      const { store } = make();
      await store.recordSuccess('un', { etag: 'W/"1"', lastModified: 'x', at: 1 });
      await store.recordSuccess('un', { etag: 'W/"2"', at: 2 });
      const s = await store.get('un');
      expect(s?.etag).toBe('W/"2"');
      expect(s?.lastModified).toBeUndefined();
    });

    it('marks the baseline and lists sources by id', async () => {
      const { store } = make();
      await store.markBaselineDone('yonhap');
      await store.recordSuccess('amnesty', { at: 5 });
      expect((await store.list()).map((s) => [s.sourceId, s.baselineDone])).toEqual([
        ['amnesty', false],
        ['yonhap', true],
      ]);
    });

    it('counts concurrent failures exactly', async () => {
      const { store } = make();
      const counts = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.recordFailure('x', { error: 'e', code: 'network', at: i })),
      );
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  },
);
