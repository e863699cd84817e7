import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../../src/cli/limit.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapLimited', () => {
  it('keeps the global and per-key limits and reports results in input order', async () => {
    const items = ['a:1', 'a:2', 'a:3', 'b:1', 'b:2', 'c:1'];
    const active = new Map<string, number>();
    let running = 0;
    let maxRunning = 0;
    let maxPerKey = 0;
    const emitted: string[] = [];
    const results = await mapLimited(
      items,
      { limit: 3, perKey: 1, key: (item) => item.split(':')[0] ?? '' },
      async (item) => {
        const key = item.split(':')[0] ?? '';
        running++;
        active.set(key, (active.get(key) ?? 0) + 1);
        maxRunning = Math.max(maxRunning, running);
        maxPerKey = Math.max(maxPerKey, active.get(key) ?? 0);
        await tick(item === 'a:1' ? 30 : 5); // the first finishes last: output must still start with it
        running--;
        active.set(key, (active.get(key) ?? 1) - 1);
        return item.toUpperCase();
      },
      (result) => {
        emitted.push(result);
      },
    );
    expect(results).toEqual(items.map((item) => item.toUpperCase()));
    expect(emitted).toEqual(results);
    expect(maxRunning).toBeLessThanOrEqual(3);
    expect(maxRunning).toBeGreaterThan(1);
    expect(maxPerKey).toBe(1);
  });

  it('resolves at once for no items', async () => {
    expect(await mapLimited([], { limit: 2, perKey: 1, key: String }, async () => 1)).toEqual([]);
  });
});
