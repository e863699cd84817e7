import type { Item, Source } from '../domain/index.js';
import type { FetchOptions, FetchResult, ParseResult } from '../sources/index.js';
import type { FetchStatePort, PipelineEvents, SeenPort, SourceLookup, WarnOps } from './ports.js';

export interface PollDeps {
  sources: SourceLookup;
  fetchState: FetchStatePort;
  seen: SeenPort;
  fetch(url: string, options: FetchOptions): Promise<FetchResult>;
  parse(text: string, source: Source, baseUrl?: string): Promise<ParseResult>;
  /** Hands new items to the analyze stage (idempotent per source + item id). */
  enqueueAnalyze(items: Array<{ item: Item; discoveredAt: string }>): Promise<void>;
  fetchOptions: Omit<FetchOptions, 'etag' | 'lastModified'>;
  /** robots.txt check for scraped HTML pages (feeds are meant to be polled); absent → allowed. */
  allowedByRobots?(url: string): Promise<boolean>;
  failuresBeforePause: number;
  pausedRetryMs: number;
  /** How long seen ids are remembered after they leave the feed. */
  seenRetentionMs: number;
  warnOps: WarnOps;
  events?: PipelineEvents;
  now?: () => Date;
}

export type PollOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'not-modified' }
  | { kind: 'ok'; items: number; fresh: number; baseline: boolean; warnings: string[] }
  | { kind: 'failed'; code: string; message: string; failures: number; paused: boolean };

/** Longest wait between retries of a failing source before it is paused outright. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * Polls one source: conditional fetch, parse, and hands never-seen items to analyze.
 * The first successful poll is a baseline: items are recorded as seen, not alerted
 * (unless the source sets `backfill`), so a fresh or wiped Redis never floods channels.
 * Failures are recorded and backed off; after `failuresBeforePause` in a row the source
 * is paused and the operators are told why.
 */
export async function pollSource(deps: PollDeps, sourceId: string): Promise<PollOutcome> {
  const now = deps.now ?? (() => new Date());
  const source = await deps.sources.get(sourceId);
  if (!source) return { kind: 'skipped', reason: `source ${sourceId} no longer exists` };
  if (source.enabled === false) return { kind: 'skipped', reason: 'source is disabled' };

  const state = (await deps.fetchState.get(sourceId)) ?? { failures: 0, baselineDone: false };
  const startedAt = now().getTime();
  if (state.pausedUntil && state.pausedUntil > startedAt) {
    return { kind: 'skipped', reason: `paused until ${new Date(state.pausedUntil).toISOString()}: ${state.pauseReason ?? ''}` };
  }
  if (state.nextAllowedAt && state.nextAllowedAt > startedAt) {
    return { kind: 'skipped', reason: `backing off until ${new Date(state.nextAllowedAt).toISOString()}` };
  }

  const options: FetchOptions = { ...deps.fetchOptions };
  if (state.etag) options.etag = state.etag;
  if (state.lastModified) options.lastModified = state.lastModified;
  if (source.type === 'html' && deps.allowedByRobots && !(await deps.allowedByRobots(source.url))) {
    const message = `${source.url}: the site's robots.txt disallows this page for our User-Agent; remove the source or ask the site for a feed`;
    return recordFailure(deps, source, state.failures, 'robots', message, startedAt);
  }
  const fetched = await deps.fetch(source.url, options);

  if (fetched.kind === 'not-modified') {
    await deps.fetchState.recordSuccess(sourceId, withValidators(fetched, startedAt));
    deps.events?.polled?.(sourceId, 'not-modified');
    return { kind: 'not-modified' };
  }
  if (fetched.kind === 'error') {
    return recordFailure(deps, source, state.failures, fetched.code, fetched.message, startedAt, fetched.retryAfterMs);
  }

  const parsed = await deps.parse(fetched.text, source, fetched.url);
  if (parsed.kind === 'error') {
    return recordFailure(deps, source, state.failures, 'unparseable', `${source.url}: ${parsed.message}`, startedAt);
  }

  const ids = parsed.items.map((item) => item.id);
  const freshIds = new Set(await deps.seen.filterNew(sourceId, ids, startedAt));
  const baseline = !state.baselineDone && source.backfill !== true;
  // A feed can list one id twice (duplicate GUIDs); analyze it once.
  const taken = new Set<string>();
  const fresh = parsed.items.filter((item) => freshIds.has(item.id) && !taken.has(item.id) && taken.add(item.id));

  if (!baseline && fresh.length > 0) {
    const discoveredAt = new Date(startedAt).toISOString();
    // Enqueue before marking seen: a crash in between re-enqueues (deduplicated downstream)
    // instead of losing the item.
    await deps.enqueueAnalyze(fresh.map((item) => ({ item, discoveredAt })));
  }
  await deps.seen.markSeen(sourceId, [...freshIds], startedAt);
  await deps.seen.prune(sourceId, startedAt - deps.seenRetentionMs, { keep: ids });
  if (!state.baselineDone) await deps.fetchState.markBaselineDone(sourceId);
  await deps.fetchState.recordSuccess(sourceId, withValidators(fetched, startedAt));

  deps.events?.polled?.(sourceId, baseline ? 'baseline' : 'ok');
  if (!baseline) deps.events?.newItems?.(sourceId, fresh.length);
  return { kind: 'ok', items: parsed.items.length, fresh: fresh.length, baseline, warnings: parsed.warnings };
}

function withValidators(
  result: { etag?: string; lastModified?: string },
  at: number,
): { etag?: string; lastModified?: string; at: number } {
  const update: { etag?: string; lastModified?: string; at: number } = { at };
  if (result.etag) update.etag = result.etag;
  if (result.lastModified) update.lastModified = result.lastModified;
  return update;
}

async function recordFailure(
  deps: PollDeps,
  source: Source,
  previousFailures: number,
  code: string,
  message: string,
  at: number,
  retryAfterMs?: number,
): Promise<PollOutcome> {
  const failures = await deps.fetchState.recordFailure(source.id, {
    error: message,
    code,
    at,
    // Back off exponentially (1, 2, 4 … minutes, at most an hour), or longer when the server asks.
    retryAfterMs: Math.max(retryAfterMs ?? 0, Math.min(MAX_BACKOFF_MS, Math.min(source.everyMs, 60_000) * 2 ** previousFailures)),
  });
  deps.events?.pollError?.(source.id, code);
  deps.events?.polled?.(source.id, 'error');
  const paused = failures >= deps.failuresBeforePause;
  if (paused) {
    const until = at + deps.pausedRetryMs;
    const reason = `${failures} failures in a row; last: ${message}`;
    await deps.fetchState.pause(source.id, until, reason);
    await deps.warnOps(
      `Source ${source.id} (${source.url}) is paused until ${new Date(until).toISOString()} after ${reason}. ` +
        `It will be retried then; fix or remove it with \`refwatch sources\` or /refwatch sources.`,
    );
  }
  return { kind: 'failed', code, message, failures, paused };
}
