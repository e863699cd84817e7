/**
 * In-memory implementations of every store port, for pure tests of the pipeline and CLI.
 * Same contract as the Redis adapters (test/integration/store runs both); no TTLs.
 */
import type { Alert, Source } from '../domain/index.js';
import { alertTime, parseStoredAlert, type AlertStore } from './alerts.js';
import { parseChatSource, type ChatSourceStore } from './chat-sources.js';
import { fetchStateFromFields, type FetchStateStore } from './fetch-state.js';
import type { SeenStore } from './seen.js';
import type { TargetStateStore } from './targets.js';

const ok = <T>(value: T): Promise<T> => Promise.resolve(value);

/** In-memory {@link FetchStateStore}; holds the same string fields as the Redis hash. */
export function createMemoryFetchStateStore(): FetchStateStore {
  const states = new Map<string, Record<string, string>>();
  const hash = (id: string): Record<string, string> => {
    let h = states.get(id);
    if (!h) states.set(id, (h = {}));
    return h;
  };
  return {
    get: (id) => ok(states.has(id) ? fetchStateFromFields(id, hash(id)) : undefined),
    recordSuccess(id, { etag, lastModified, at }) {
      const h = hash(id);
      for (const k of ['lastError', 'lastErrorCode', 'pausedUntil', 'pauseReason', 'nextAllowedAt', 'etag', 'lastModified']) delete h[k];
      Object.assign(h, { lastSuccess: String(at), lastAttempt: String(at), failures: '0' });
      if (etag !== undefined) h.etag = etag;
      if (lastModified !== undefined) h.lastModified = lastModified;
      return ok(undefined);
    },
    recordFailure(id, { error, code, at, retryAfterMs }) {
      const h = hash(id);
      const failures = Number(h.failures ?? '0') + 1;
      Object.assign(h, { failures: String(failures), lastError: error, lastErrorCode: code, lastAttempt: String(at) });
      if (retryAfterMs !== undefined) h.nextAllowedAt = String(at + retryAfterMs);
      else delete h.nextAllowedAt;
      return ok(failures);
    },
    pause(id, until, reason) {
      Object.assign(hash(id), { pausedUntil: String(until), pauseReason: reason });
      return ok(undefined);
    },
    markBaselineDone(id) {
      hash(id).baselineDone = '1';
      return ok(undefined);
    },
    list: () => ok([...states.keys()].sort().map((id) => fetchStateFromFields(id, hash(id)))),
  };
}

/** In-memory {@link SeenStore}. */
export function createMemorySeenStore(): SeenStore {
  const seen = new Map<string, Map<string, number>>();
  const claimed = new Map<string, Map<string, number>>();
  const of = (m: Map<string, Map<string, number>>, id: string): Map<string, number> => {
    let s = m.get(id);
    if (!s) m.set(id, (s = new Map()));
    return s;
  };
  return {
    filterNew: (sourceId, ids) => ok([...new Set(ids)].filter((id) => !of(seen, sourceId).has(id))),
    markSeen(sourceId, ids, now) {
      const s = of(seen, sourceId);
      for (const id of ids) if (!s.has(id)) s.set(id, now);
      return ok(undefined);
    },
    prune(sourceId, olderThan, options) {
      const keep = new Set(options?.keep ?? []);
      let removed = 0;
      for (const [m, count] of [
        [seen, true],
        [claimed, false],
      ] as const) {
        const s = of(m, sourceId);
        for (const [id, at] of s) {
          if (at < olderThan && !keep.has(id)) {
            s.delete(id);
            if (count) removed += 1;
          }
        }
      }
      return ok(removed);
    },
    claim(sourceId, itemId, now) {
      const s = of(claimed, sourceId);
      if (s.has(itemId)) return ok(false);
      s.set(itemId, now);
      return ok(true);
    },
  };
}

/** In-memory {@link AlertStore}; stores JSON so callers cannot mutate what was saved. */
export function createMemoryAlertStore(): AlertStore {
  const alerts = new Map<string, string>();
  const times = new Map<string, number>();
  const posted = new Map<string, Record<string, string>>();
  const pending = new Map<string, Record<string, number>>();
  const load = (ids: string[]): Alert[] =>
    ids.flatMap((id) => {
      const json = alerts.get(id);
      return json === undefined ? [] : [parseStoredAlert(id, json)];
    });
  const byTime = (): string[] => [...times.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([id]) => id);
  return {
    save(alert) {
      alerts.set(alert.id, JSON.stringify(alert));
      if (!times.has(alert.id)) times.set(alert.id, alertTime(alert));
      return ok(undefined);
    },
    update(id, change) {
      // Single-threaded: nothing can get in between the read and the write.
      const json = alerts.get(id);
      const next = change(json === undefined ? undefined : parseStoredAlert(id, json));
      alerts.set(id, JSON.stringify(next));
      if (!times.has(id)) times.set(id, alertTime(next));
      return ok(parseStoredAlert(id, JSON.stringify(next)));
    },
    get: (id) => ok(alerts.has(id) ? parseStoredAlert(id, alerts.get(id) ?? '') : undefined),
    getPosted: (alertId) => ok({ ...(posted.get(alertId) ?? {}) }),
    markPosted(alertId, target, messageId) {
      posted.set(alertId, { ...(posted.get(alertId) ?? {}), [target]: messageId });
      const p = pending.get(alertId);
      if (p) delete p[target];
      return ok(undefined);
    },
    markPending(alertId, target, at) {
      pending.set(alertId, { ...(pending.get(alertId) ?? {}), [target]: at });
      return ok(undefined);
    },
    getPending: (alertId) => ok({ ...(pending.get(alertId) ?? {}) }),
    clearPending(alertId, target) {
      const p = pending.get(alertId);
      if (p) delete p[target];
      return ok(undefined);
    },
    listRecent: (limit) => ok(limit <= 0 ? [] : load(byTime().reverse().slice(0, limit))),
    listSince: (sinceMs) => ok(load(byTime().filter((id) => (times.get(id) ?? 0) >= sinceMs))),
  };
}

/** In-memory {@link TargetStateStore}. */
export function createMemoryTargetStateStore(): TargetStateStore {
  const disabled = new Map<string, string>();
  return {
    disable(target, reason) {
      disabled.set(target, reason);
      return ok(undefined);
    },
    isDisabled: (target) => ok(disabled.has(target)),
    enable: (target) => ok(disabled.delete(target)),
    list: () => ok([...disabled].map(([target, reason]) => ({ target, reason })).sort((a, b) => a.target.localeCompare(b.target))),
  };
}

/** In-memory {@link ChatSourceStore}; entries are JSON as in Redis. */
export function createMemoryChatSourceStore(): ChatSourceStore {
  const entries = new Map<string, string>();
  return {
    list() {
      const sources: Source[] = [];
      const invalid: { id: string; error: string }[] = [];
      for (const [id, json] of entries) {
        const r = parseChatSource(id, json);
        if (r.ok) sources.push(r.source);
        else invalid.push({ id, error: r.error });
      }
      return ok({ sources: sources.sort((a, b) => a.id.localeCompare(b.id)), invalid });
    },
    add(source) {
      if (entries.has(source.id)) return ok(false);
      entries.set(source.id, JSON.stringify({ ...source, origin: 'chat' }));
      return ok(true);
    },
    remove: (id) => ok(entries.delete(id)),
    setEnabled(id, enabled) {
      const json = entries.get(id);
      if (json === undefined) return ok(false);
      const r = parseChatSource(id, json);
      if (!r.ok) return Promise.reject(new Error(`${r.error}; remove and re-add the source`));
      entries.set(id, JSON.stringify({ ...r.source, enabled }));
      return ok(true);
    },
  };
}
