import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Source } from '../domain/index.js';
import { storeKeys, type StoreOptions } from './keys.js';

/** Port for sources added from chat (config-file sources are read-only and live elsewhere). */
export interface ChatSourceStore {
  /** Valid stored sources, sorted by id; unreadable entries are reported in `invalid`, not thrown. */
  list(): Promise<{ sources: Source[]; invalid: { id: string; error: string }[] }>;
  /** Adds the source unless its id is taken; returns false when it was. */
  add(source: Source): Promise<boolean>;
  /** Returns false when there was no such source. */
  remove(id: string): Promise<boolean>;
  /** Returns false when there was no such source. */
  setEnabled(id: string, enabled: boolean): Promise<boolean>;
}

const selectors = z.object({
  item: z.string(),
  title: z.string(),
  link: z.string(),
  date: z.string().optional(),
  summary: z.string().optional(),
});
/** What a stored chat source must look like; checked on read because the hash is writable by hand. */
const sourceSchema = z.object({
  id: z.string().min(1),
  type: z.enum(['rss', 'html']),
  url: z.string().min(1),
  everyMs: z.number().positive(),
  name: z.string().optional(),
  lang: z.string().optional(),
  timezone: z.string().optional(),
  backfill: z.boolean().optional(),
  fetchArticle: z.boolean().optional(),
  select: selectors.optional(),
  tags: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
  origin: z.enum(['config', 'chat']).optional(),
});

/** Parses one stored entry; shared with the in-memory store. */
export function parseChatSource(id: string, json: string): { ok: true; source: Source } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, error: `chat source ${id}: not JSON` };
  }
  const parsed = sourceSchema.safeParse(value);
  if (!parsed.success)
    return { ok: false, error: `chat source ${id}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  // zod output carries `undefined` for absent optionals; rebuild without them (exactOptionalPropertyTypes).
  const source = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as unknown as Source;
  return { ok: true, source };
}

/** Compare-and-set on one hash field: the JSON is edited in TypeScript, never re-encoded by Lua. */
const CAS_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

/** Redis ChatSourceStore: hash `{p}:sources:chat` (id → source JSON). */
export function createChatSourceStore(redis: Redis, options: StoreOptions): ChatSourceStore {
  const key = storeKeys(options.prefix).chatSources();
  return {
    async list() {
      const h = await redis.hgetall(key);
      const sources: Source[] = [];
      const invalid: { id: string; error: string }[] = [];
      for (const [id, json] of Object.entries(h)) {
        const r = parseChatSource(id, json);
        if (r.ok) sources.push(r.source);
        else invalid.push({ id, error: r.error });
      }
      sources.sort((a, b) => a.id.localeCompare(b.id));
      return { sources, invalid };
    },
    async add(source) {
      return (await redis.hsetnx(key, source.id, JSON.stringify({ ...source, origin: 'chat' }))) === 1;
    },
    async remove(id) {
      return (await redis.hdel(key, id)) === 1;
    },
    async setEnabled(id, enabled) {
      // Retry on a concurrent edit; a handful of tries is plenty for chat-speed changes.
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const current = await redis.hget(key, id);
        if (current === null) return false;
        const parsed = parseChatSource(id, current);
        if (!parsed.ok) throw new Error(`${parsed.error}; remove and re-add the source`);
        const next = JSON.stringify({ ...parsed.source, enabled });
        if ((await redis.eval(CAS_SCRIPT, 1, key, id, current, next)) === 1) return true;
      }
      throw new Error(`chat source ${id}: changed concurrently 5 times; try again`);
    },
  };
}
