import type { Decision, Item, Severity, Story } from '../domain/index.js';
import { SIMHASH_MAX_DISTANCE, storyKeys } from './keys.js';
import { hammingDistance } from './simhash.js';
import { storyIdFor, type AttachResult, type StoryStore, type StoryStoreOptions } from './store.js';

const DECISION_RANK: Record<Decision, number> = { ignore: 0, review: 1, alert: 2 };
const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

interface Entry {
  story: Story;
  lastSeenMs: number;
  urlKeys: Set<string>;
  titleKeys: Set<string>;
  hashes: bigint[];
}

/**
 * In-memory StoryStore with the Redis store's matching rules (URL, title, SimHash within
 * the window), for pure tests of the pipeline. Scans every story: fine for tests, not for production.
 */
export function createMemoryStoryStore(options: Omit<StoryStoreOptions, 'prefix'>): StoryStore {
  const windowMs = options.windowDays * 86_400_000;
  const entries = new Map<string, Entry>();

  return {
    attach(item: Item, classification, now): Promise<AttachResult> {
      const keys = storyKeys(item);
      const nowMs = now.getTime();
      const live = [...entries.values()].filter((e) => nowMs - e.lastSeenMs <= windowMs);
      const ownId = storyIdFor(item);
      let entry = entries.get(ownId);
      let matchedBy: AttachResult['matchedBy'] = entry ? 'item' : undefined;
      if (!entry && keys.urlKey !== undefined) {
        entry = live.find((e) => e.urlKeys.has(keys.urlKey ?? ''));
        if (entry) matchedBy = 'url';
      }
      if (!entry && keys.titleKey !== undefined) {
        entry = live.find((e) => e.titleKeys.has(keys.titleKey ?? ''));
        if (entry) matchedBy = 'title';
      }
      if (!entry && keys.bands.length > 0) {
        let best = SIMHASH_MAX_DISTANCE + 1;
        for (const e of live) {
          for (const h of e.hashes) {
            const d = hammingDistance(h, keys.simhash);
            if (d < best) {
              best = d;
              entry = e;
            }
          }
        }
        if (entry) matchedBy = 'simhash';
      }
      const reporter = item.publisher?.trim() || item.sourceId;
      const iso = now.toISOString();
      const url = item.canonicalUrl ?? item.url;
      const isNew = entry === undefined;
      if (!entry) {
        const story: Story = {
          id: ownId,
          firstItem: { sourceId: item.sourceId, itemId: item.id },
          title: item.title,
          reporters: [reporter],
          decision: classification.decision,
          severity: classification.severity,
          createdAt: iso,
          updatedAt: iso,
        };
        if (url !== undefined) story.url = url;
        entry = { story, lastSeenMs: nowMs, urlKeys: new Set(), titleKeys: new Set(), hashes: [] };
        entries.set(ownId, entry);
      } else {
        const s = entry.story;
        if (!s.reporters.some((r) => r.toLowerCase() === reporter.toLowerCase())) s.reporters.push(reporter);
        if (DECISION_RANK[classification.decision] > DECISION_RANK[s.decision]) s.decision = classification.decision;
        if (SEVERITY_RANK[classification.severity] > SEVERITY_RANK[s.severity]) s.severity = classification.severity;
        if (s.url === undefined && url !== undefined) s.url = url;
        s.updatedAt = iso;
        entry.lastSeenMs = Math.max(entry.lastSeenMs, nowMs);
      }
      if (keys.urlKey !== undefined) entry.urlKeys.add(keys.urlKey);
      if (keys.titleKey !== undefined) entry.titleKeys.add(keys.titleKey);
      if (keys.bands.length > 0 && !entry.hashes.includes(keys.simhash)) entry.hashes.push(keys.simhash);
      const result: AttachResult = { story: structuredClone(entry.story), isNew };
      if (matchedBy !== undefined) result.matchedBy = matchedBy;
      return Promise.resolve(result);
    },
    get(id) {
      const entry = entries.get(id);
      return Promise.resolve(entry ? structuredClone(entry.story) : undefined);
    },
  };
}
