import type { Redis } from 'ioredis';
import type { Alert, Match } from '../domain/index.js';

/** Redis keys owned by triage (all under REFWATCH_PREFIX). */
export function triageKeys(prefix: string) {
  return {
    alert: (id: string) => `${prefix}:alert:${id}`,
    audit: () => `${prefix}:audit`,
    labels: () => `${prefix}:labels`,
    mutes: () => `${prefix}:mutes`,
  };
}

/** One line of the audit stream `{prefix}:audit`. */
export interface AuditEntry {
  at: string;
  actor: string;
  actorId: string;
  platform: string;
  /** confirm, dismiss, escalate, claim, refused, source-add, source-remove, mute … */
  action: string;
  alertId: string;
  reason: string;
  detail: string;
}

/** A moderator's verdict on one alert, stored in `{prefix}:labels` (alert id → JSON) for export-labels. */
export interface LabelRecord {
  id: string;
  title: string;
  /** The matched snippets: the only article text an alert keeps. */
  text: string;
  url?: string;
  sourceId: string;
  /** What the rules decided before the moderator acted. */
  decision: Alert['decision'];
  score: number;
  /** Rule ids that scored. */
  rules: string[];
  matches: Match[];
  /** confirm → true, dismiss → false. */
  label: boolean;
  reason?: string;
  by: string;
  at: string;
}

// Audit history is for humans and export; a cap keeps a runaway loop from filling Redis.
const AUDIT_MAXLEN = 100_000;

/** Appends one audit entry (XADD with an approximate cap); returns the stream id. */
export async function appendAudit(redis: Redis, prefix: string, entry: AuditEntry): Promise<string> {
  const fields = Object.entries(entry).flat();
  const id = await redis.xadd(triageKeys(prefix).audit(), 'MAXLEN', '~', AUDIT_MAXLEN, '*', ...fields);
  return id ?? '';
}

/** Reads the newest `count` audit entries (at or after `sinceMs`, stream time), newest first. */
export async function readAudit(
  redis: Redis,
  prefix: string,
  count = 100,
  sinceMs?: number,
): Promise<(AuditEntry & { streamId: string })[]> {
  const low = sinceMs === undefined ? '-' : String(sinceMs);
  const rows = await redis.xrevrange(triageKeys(prefix).audit(), '+', low, 'COUNT', count);
  return rows.map(([streamId, flat]) => {
    const h: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) h[flat[i] as string] = flat[i + 1] as string;
    return {
      streamId,
      at: h.at ?? '',
      actor: h.actor ?? '',
      actorId: h.actorId ?? '',
      platform: h.platform ?? '',
      action: h.action ?? '',
      alertId: h.alertId ?? '',
      reason: h.reason ?? '',
      detail: h.detail ?? '',
    };
  });
}

/** Builds the label record for a confirm (true) or dismiss (false). */
export function labelFor(alert: Alert, label: boolean, by: string, at: string, reason?: string): LabelRecord {
  const record: LabelRecord = {
    id: alert.id,
    title: alert.title,
    text: alert.matches
      .map((m) => m.snippet)
      .filter(Boolean)
      .join('\n'),
    sourceId: alert.sourceId,
    decision: alert.decision,
    score: alert.score,
    rules: alert.rules.filter((r) => r.score > 0).map((r) => r.rule),
    matches: alert.matches,
    label,
    by,
    at,
  };
  if (alert.url !== undefined) record.url = alert.url;
  if (reason !== undefined) record.reason = reason;
  return record;
}

/** Every stored label; entries that are not JSON are skipped (the hash can be edited by hand). */
export async function readLabels(redis: Redis, prefix: string): Promise<LabelRecord[]> {
  const h = await redis.hgetall(triageKeys(prefix).labels());
  const out: LabelRecord[] = [];
  for (const json of Object.values(h)) {
    try {
      const v = JSON.parse(json) as LabelRecord;
      if (v && typeof v.id === 'string' && typeof v.label === 'boolean') out.push(v);
    } catch {
      // skipped: one bad entry must not hide the rest from stats
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Compare-and-set of the alert JSON: only the moderator whose read is still current wins.
 * The JSON is built in TypeScript (Lua's cjson would turn empty arrays into objects).
 */
const ALERT_CAS = `
local cur = redis.call('GET', KEYS[1])
if cur ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
`;

/** Returns true when `next` replaced exactly `expected`. */
export async function casAlert(redis: Redis, prefix: string, id: string, expected: string, next: string): Promise<boolean> {
  return (await redis.eval(ALERT_CAS, 1, triageKeys(prefix).alert(id), expected, next)) === 1;
}

/** Mutes: terms whose items analyze ignores until they expire. */
export interface MuteStore {
  /** Mutes `term` (trimmed, lower-cased) until `untilMs`; a later call replaces the expiry. */
  add(term: string, untilMs: number): Promise<string>;
  remove(term: string): Promise<boolean>;
  /** Terms still muted at `nowMs`; expired ones are deleted on the way. */
  active(nowMs: number): Promise<string[]>;
  /** Active mutes with their expiry, sorted by term. */
  list(nowMs: number): Promise<{ term: string; until: number }[]>;
}

/** Normalises a mute term the way it is stored and matched. */
export function normalizeMuteTerm(term: string): string {
  return term.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** Redis MuteStore: hash `{prefix}:mutes`, term → expiry epoch ms. */
export function createMuteStore(redis: Redis, options: { prefix: string }): MuteStore {
  const key = triageKeys(options.prefix).mutes();
  const list = async (nowMs: number): Promise<{ term: string; until: number }[]> => {
    const h = await redis.hgetall(key);
    const live: { term: string; until: number }[] = [];
    const expired: string[] = [];
    for (const [term, v] of Object.entries(h)) {
      const until = Number(v);
      if (Number.isFinite(until) && until > nowMs) live.push({ term, until });
      else expired.push(term);
    }
    if (expired.length > 0) await redis.hdel(key, ...expired);
    return live.sort((a, b) => a.term.localeCompare(b.term));
  };
  return {
    async add(term, untilMs) {
      const t = normalizeMuteTerm(term);
      await redis.hset(key, t, String(untilMs));
      return t;
    },
    async remove(term) {
      return (await redis.hdel(key, normalizeMuteTerm(term))) === 1;
    },
    async active(nowMs) {
      return (await list(nowMs)).map((m) => m.term);
    },
    list,
  };
}
