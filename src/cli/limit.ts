/** Runs tasks with a global concurrency limit and a per-key (host) limit. */

/**
 * Maps `items` through `task`, at most `limit` at once overall and `perKey` at once for items
 * sharing a key, and calls `onResult` in input order as soon as each prefix is complete.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  options: { limit: number; perKey: number; key: (item: T) => string },
  task: (item: T) => Promise<R>,
  onResult?: (result: R, index: number) => Promise<void> | void,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  const done: boolean[] = new Array<boolean>(items.length).fill(false);
  const active = new Map<string, number>();
  const pending = items.map((item, index) => ({ item, index }));
  let running = 0;
  let emitted = 0;
  let emitting = Promise.resolve();

  return new Promise<R[]>((resolve, reject) => {
    const pump = (): void => {
      if (emitted === items.length && running === 0 && pending.length === 0) {
        emitting.then(() => resolve(results), reject);
        return;
      }
      while (running < options.limit) {
        const next = pending.findIndex(({ item }) => (active.get(options.key(item)) ?? 0) < options.perKey);
        if (next < 0) break;
        const [{ item, index }] = pending.splice(next, 1) as [{ item: T; index: number }];
        const key = options.key(item);
        active.set(key, (active.get(key) ?? 0) + 1);
        running++;
        task(item).then(
          (result) => {
            results[index] = result;
            done[index] = true;
            running--;
            active.set(key, (active.get(key) ?? 1) - 1);
            while (emitted < items.length && done[emitted]) {
              const at = emitted++;
              const value = results[at] as R;
              emitting = emitting.then(() => onResult?.(value, at));
            }
            pump();
          },
          (error: unknown) => reject(error),
        );
      }
    };
    pump();
  });
}
