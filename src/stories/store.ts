import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Classification, Decision, Item, Severity, Story } from '../domain/index.js';
import { ATTACH_SCRIPT } from './attach-script.js';
import { SIMHASH_MAX_DISTANCE, storyKeys } from './keys.js';
import { simhashHex } from './simhash.js';

/** How an item joined an existing story; 'item' = the same item attached again (a retried job). */
export type MatchedBy = 'url' | 'title' | 'simhash' | 'item';

/** The result of {@link StoryStore.attach}. */
export interface AttachResult {
  story: Story;
  isNew: boolean;
  matchedBy?: MatchedBy;
}

/** Groups items from many outlets into stories (see docs/architecture.md, "Redis keys"). */
export interface StoryStore {
  /** Finds the item's story within the window (URL, title, then SimHash) or creates one; atomic. */
  attach(item: Item, classification: Pick<Classification, 'decision' | 'severity'>, now: Date): Promise<AttachResult>;
  get(id: string): Promise<Story | undefined>;
}

export interface StoryStoreOptions {
  /** REFWATCH_PREFIX. */
  prefix: string;
  /** How long a story stays open to new copies after its last copy (config pipeline.storyWindowDays). */
  windowDays: number;
}

const DAY_MS = 86_400_000;
const DECISIONS = new Set<string>(['alert', 'review', 'ignore']);
const SEVERITY_SET = new Set<string>(['low', 'medium', 'high', 'critical']);

/** Thrown when Redis holds something that is not a story hash (another tool wrote under our prefix?). */
export class StoryStoreError extends Error {
  override readonly name = 'StoryStoreError';
}

/** Story ids derive from the first item so a retried attach of that item finds its own story. */
export function storyIdFor(item: Pick<Item, 'sourceId' | 'id'>): string {
  return `st_${createHash('sha1').update(`${item.sourceId}\u0000${item.id}`).digest('hex').slice(0, 20)}`;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Builds a Story from the flat HGETALL reply; throws {@link StoryStoreError} on a malformed hash. */
export function storyFromHash(fields: Record<string, string>): Story {
  const { id, title, firstSourceId, firstItemId, reporters, decision, severity, createdAt, updatedAt } = fields;
  if (
    id === undefined ||
    title === undefined ||
    firstSourceId === undefined ||
    firstItemId === undefined ||
    reporters === undefined ||
    decision === undefined ||
    !DECISIONS.has(decision) ||
    severity === undefined ||
    !SEVERITY_SET.has(severity) ||
    createdAt === undefined ||
    updatedAt === undefined
  ) {
    throw new StoryStoreError(`story hash ${id ?? '(no id)'} is missing fields; delete the key or check REFWATCH_PREFIX`);
  }
  const list: unknown = JSON.parse(reporters);
  const story: Story = {
    id,
    firstItem: { sourceId: firstSourceId, itemId: firstItemId },
    title,
    reporters: Array.isArray(list) ? list.filter((r): r is string => typeof r === 'string') : [],
    decision: decision as Decision,
    severity: severity as Severity,
    createdAt,
    updatedAt,
  };
  if (fields.url !== undefined) story.url = fields.url;
  return story;
}

function pairs(flat: unknown[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

/** The outlet name shown in "also reported by": the feed's publisher, else the source id. */
function reporterOf(item: Item): string {
  return item.publisher?.trim() || item.sourceId;
}

/** Redis StoryStore: one Lua script per attach (lookup + create/merge + index, atomically). */
export function createStoryStore(redis: Redis, options: StoryStoreOptions): StoryStore {
  const { prefix } = options;
  const windowMs = Math.max(1, Math.round(options.windowDays * DAY_MS));
  // Stories outlive their lookup window so alerts can still show them; 30 days is plenty for edits and digests.
  const storyTtlMs = windowMs + 30 * DAY_MS;
  let sha: string | undefined;

  async function run(keys: string[], args: (string | number)[]): Promise<unknown> {
    sha ??= (await redis.script('LOAD', ATTACH_SCRIPT)) as string;
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      // Script cache flushed (Redis restarted): load again once.
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      sha = (await redis.script('LOAD', ATTACH_SCRIPT)) as string;
      return redis.evalsha(sha, keys.length, ...keys, ...args);
    }
  }

  return {
    async attach(item, classification, now) {
      const keys = storyKeys(item);
      const url = item.canonicalUrl ?? item.url ?? '';
      const redisKeys = [
        `${prefix}:story:url:${sha1(keys.urlKey ?? '')}`,
        `${prefix}:story:title:${sha1(keys.titleKey ?? '')}`,
        `${prefix}:story:${storyIdFor(item)}`,
        ...keys.bands.map((band) => {
          const [i, hex] = band.split(':');
          return `${prefix}:story:band:${i}:${hex}`;
        }),
      ];
      const reply = (await run(redisKeys, [
        prefix,
        storyIdFor(item),
        keys.bands.length > 0 ? simhashHex(keys.simhash) : '',
        windowMs,
        now.getTime(),
        now.toISOString(),
        SIMHASH_MAX_DISTANCE,
        item.title,
        url,
        item.sourceId,
        item.id,
        reporterOf(item),
        classification.decision,
        classification.severity,
        keys.urlKey === undefined ? '0' : '1',
        keys.titleKey === undefined ? '0' : '1',
        storyTtlMs,
      ])) as [number, string, string, unknown[]];
      const [isNew, by, , flat] = reply;
      const result: AttachResult = { story: storyFromHash(pairs(flat)), isNew: isNew === 1 };
      if (by !== '') result.matchedBy = by as MatchedBy;
      return result;
    },

    async get(id) {
      const fields = await redis.hgetall(`${prefix}:story:${id}`);
      return Object.keys(fields).length === 0 ? undefined : storyFromHash(fields);
    },
  };
}
