import { formatDuration, parseDuration } from '../config/index.js';
import type { Classification, Item, Source, SourceType } from '../domain/index.js';
import type { ClassifierPort } from '../pipeline/index.js';
import { extractArticleText, fetchUrl, parseFeed, type FetchOptions, type FetchResult } from '../sources/index.js';
import type { ChatSourceStore, FetchState } from '../store/index.js';

/** One source as `sources list` shows it. */
export interface SourceListEntry {
  source: Source;
  origin: 'config' | 'chat';
  health: 'healthy' | 'failing' | 'paused' | 'disabled' | 'never-polled';
  state?: FetchState;
}

/** An item a test fetch would have flagged. */
export interface FlaggedItem {
  title: string;
  url?: string;
  decision: Classification['decision'];
  score: number;
}

export type SourceAddResult =
  { ok: true; source: Source; itemCount: number; flagged: FlaggedItem[]; warnings: string[] } | { ok: false; message: string };

export type SourceChangeResult = { ok: true; message: string } | { ok: false; message: string };

/** Options of `sources add`. `every` is a duration ("30m"). */
export interface SourceAddOptions {
  type?: SourceType;
  id?: string;
  every?: string;
}

/** What the source commands need. */
export interface SourcesAdminDeps {
  configSources: readonly Source[];
  chatSources: ChatSourceStore;
  fetchState: { list(): Promise<FetchState[]> };
  classifier: ClassifierPort;
  fetchOptions: Omit<FetchOptions, 'etag' | 'lastModified'>;
  /** Defaults to the real fetchUrl (tests may inject). */
  fetchUrl?: (url: string, options: FetchOptions) => Promise<FetchResult>;
  /** Starts polling a source now (composition root: upsertJobScheduler via syncSchedulers). */
  scheduleSource(source: Source): Promise<void>;
  /** Stops polling a source (removeJobScheduler). */
  unscheduleSource(sourceId: string): Promise<void>;
  now: () => Date;
}

/** Chat-added sources poll at most this often: feeds are polite targets, not streams. */
export const MIN_CHAT_EVERY_MS = 5 * 60_000;
export const DEFAULT_CHAT_EVERY_MS = 15 * 60_000;
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Classifies a state: paused (until later), failing (failures since last success), healthy, or never polled. */
export function healthOf(source: Source, state: FetchState | undefined, nowMs: number): SourceListEntry['health'] {
  if (source.enabled === false) return 'disabled';
  if (!state) return 'never-polled';
  if (state.pausedUntil !== undefined && state.pausedUntil > nowMs) return 'paused';
  return state.failures > 0 ? 'failing' : 'healthy';
}

function classifyItem(classifier: ClassifierPort, item: Item): Classification {
  return classifier.classify({
    title: item.title,
    text: [item.summary, item.text].filter(Boolean).join('\n\n'),
    ...(item.lang ? { lang: item.lang } : {}),
  });
}

function deriveId(url: URL, taken: Set<string>): string {
  const base =
    url.hostname
      .replace(/^www\./u, '')
      .replace(/[^a-z0-9]+/gu, '-')
      .replace(/^-+|-+$/gu, '')
      .slice(0, 50) || 'source';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

function fetchFailure(result: Extract<FetchResult, { kind: 'error' }>): string {
  if (result.code === 'blocked') return `Refused: ${result.message}. Sources must be on the public internet.`;
  return `The test fetch failed (${result.code}): ${result.message}.`;
}

/** Source management from chat: list, add (validated by a test fetch), remove, pause, resume. */
export function createSourcesAdmin(deps: SourcesAdminDeps) {
  const doFetch = deps.fetchUrl ?? fetchUrl;
  const configIds = new Set(deps.configSources.map((s) => s.id));
  const readOnly = (id: string): SourceChangeResult => ({
    ok: false,
    message: `Source "${id}" comes from the config file and is read-only from chat; change it in the config file.`,
  });

  async function findChat(id: string): Promise<Source | undefined> {
    return (await deps.chatSources.list()).sources.find((s) => s.id === id);
  }

  async function setEnabled(id: string, enabled: boolean): Promise<SourceChangeResult> {
    if (configIds.has(id)) return readOnly(id);
    const source = await findChat(id);
    if (!source) return { ok: false, message: `No chat source "${id}"; see \`/refwatch sources list\`.` };
    await deps.chatSources.setEnabled(id, enabled);
    if (enabled) await deps.scheduleSource({ ...source, enabled: true });
    else await deps.unscheduleSource(id);
    return { ok: true, message: `Source "${id}" ${enabled ? 'resumed: polling again' : 'paused: not polled until resumed'}.` };
  }

  return {
    async list(): Promise<SourceListEntry[]> {
      const [chat, states] = await Promise.all([deps.chatSources.list(), deps.fetchState.list()]);
      const byId = new Map(states.map((s) => [s.sourceId, s]));
      const nowMs = deps.now().getTime();
      const entry = (source: Source, origin: 'config' | 'chat'): SourceListEntry => {
        const state = byId.get(source.id);
        return { source, origin, health: healthOf(source, state, nowMs), ...(state ? { state } : {}) };
      };
      return [...deps.configSources.map((s) => entry(s, 'config')), ...chat.sources.map((s) => entry(s, 'chat'))];
    },

    async add(rawUrl: string, options: SourceAddOptions = {}): Promise<SourceAddResult> {
      let url: URL;
      try {
        url = new URL(rawUrl.trim());
      } catch {
        return { ok: false, message: `"${rawUrl}" is not a URL; give the full address, e.g. https://example.org/feed.xml.` };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { ok: false, message: `Only http and https sources are allowed (got ${url.protocol}).` };
      }
      let everyMs = DEFAULT_CHAT_EVERY_MS;
      if (options.every !== undefined) {
        const parsed = parseDuration(options.every);
        if (parsed === undefined) return { ok: false, message: `"${options.every}" is not a duration; use e.g. 15m, 1h.` };
        if (parsed < MIN_CHAT_EVERY_MS)
          return { ok: false, message: `Poll at most every ${formatDuration(MIN_CHAT_EVERY_MS)} (got ${options.every}).` };
        everyMs = parsed;
      }
      const chat = await deps.chatSources.list();
      const taken = new Set([...configIds, ...chat.sources.map((s) => s.id), ...chat.invalid.map((s) => s.id)]);
      if (options.id !== undefined && !ID.test(options.id)) {
        return { ok: false, message: `Source id "${options.id}" must be lower-case letters, digits and dashes (≤ 63).` };
      }
      if (options.id !== undefined && taken.has(options.id))
        return { ok: false, message: `Source id "${options.id}" is taken; pick another.` };
      const id = options.id ?? deriveId(url, taken);
      const source: Source = { id, type: options.type ?? 'rss', url: url.toString(), everyMs, origin: 'chat', enabled: true };

      // The fetch runs the private-network guard (DNS, every redirect hop) before any socket opens.
      const fetched = await doFetch(source.url, { ...deps.fetchOptions });
      if (fetched.kind === 'error') return { ok: false, message: fetchFailure(fetched) };
      if (fetched.kind === 'not-modified')
        return { ok: false, message: 'The server answered 304 to a first fetch; it cannot be polled reliably.' };
      const parsed = await parseFeed(fetched.text, source, fetched.url);
      if (parsed.kind === 'error') {
        return {
          ok: false,
          message: `Fetched ${fetched.url} but it does not parse as ${source.type === 'rss' ? 'an RSS/Atom feed' : 'an HTML listing'}: ${parsed.message}.`,
        };
      }
      if (parsed.title) source.name = parsed.title.slice(0, 100);
      const flagged = parsed.items
        .map((item) => ({ item, c: classifyItem(deps.classifier, item) }))
        .filter(({ c }) => c.decision !== 'ignore')
        .map(({ item, c }) => ({ title: item.title, ...(item.url ? { url: item.url } : {}), decision: c.decision, score: c.score }));
      if (!(await deps.chatSources.add(source))) return { ok: false, message: `Source id "${id}" was taken meanwhile; try again.` };
      await deps.scheduleSource(source);
      return { ok: true, source, itemCount: parsed.items.length, flagged, warnings: parsed.warnings };
    },

    async remove(id: string): Promise<SourceChangeResult> {
      if (configIds.has(id)) return readOnly(id);
      if (!(await deps.chatSources.remove(id))) return { ok: false, message: `No chat source "${id}"; see \`/refwatch sources list\`.` };
      await deps.unscheduleSource(id);
      return { ok: true, message: `Source "${id}" removed; its history stays in Redis until it expires.` };
    },

    pause: (id: string) => setEnabled(id, false),
    resume: (id: string) => setEnabled(id, true),

    /** Fetch + extract + classify + explain one URL (a feed or an article), as text. */
    async check(rawUrl: string): Promise<string> {
      let url: URL;
      try {
        url = new URL(rawUrl.trim());
      } catch {
        return `"${rawUrl}" is not a URL.`;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Only http and https URLs can be checked (got ${url.protocol}).`;
      const fetched = await doFetch(url.toString(), { ...deps.fetchOptions });
      if (fetched.kind === 'error') return fetchFailure(fetched);
      if (fetched.kind === 'not-modified') return 'The server answered 304 Not Modified; nothing to check.';
      const probe: Source = { id: 'check', type: 'rss', url: fetched.url, everyMs: DEFAULT_CHAT_EVERY_MS };
      const feed = await parseFeed(fetched.text, probe, fetched.url);
      if (feed.kind === 'ok' && feed.items.length > 0) {
        const lines = feed.items
          .map((item) => ({ item, c: classifyItem(deps.classifier, item) }))
          .sort((a, b) => b.c.score - a.c.score)
          .map(({ item, c }) => `• [${c.decision} ${c.score.toFixed(1)}] ${item.title}${explainShort(c)}`);
        return `Feed ${feed.title ?? fetched.url}: ${feed.items.length} items\n${lines.join('\n')}`;
      }
      const article = extractArticleText(fetched.text, fetched.url);
      if (!article) return `Fetched ${fetched.url} but found neither feed items nor article text.`;
      const c = deps.classifier.classify({ title: article.title ?? '', text: article.text });
      return explainLong(article.title ?? fetched.url, c);
    },
  };
}

/** The createSourcesAdmin return type. */
export type SourcesAdmin = ReturnType<typeof createSourcesAdmin>;

function explainShort(c: Classification): string {
  const why = c.rules
    .filter((r) => r.score !== 0)
    .flatMap((r) => r.why)
    .slice(0, 3);
  return why.length > 0 ? ` — ${why.join('; ')}` : '';
}

function explainLong(title: string, c: Classification): string {
  const lines = [`${title}`, `Decision: ${c.decision} · score ${c.score.toFixed(1)} · severity ${c.severity}`];
  for (const r of c.rules.filter((x) => x.score !== 0)) lines.push(`${r.rule} (${r.score > 0 ? '+' : ''}${r.score}): ${r.why.join('; ')}`);
  if (c.matches.length > 0) lines.push(`Matched: ${[...new Set(c.matches.map((m) => m.term))].join(', ')}`);
  if (c.entities.places.length > 0) lines.push(`Places: ${c.entities.places.join(', ')}`);
  if (c.entities.people.length > 0) lines.push(`People: ${c.entities.people.map((p) => p.text).join(', ')}`);
  return lines.join('\n');
}
