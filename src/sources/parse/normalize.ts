import { createHash } from 'node:crypto';
import type { Item, Source } from '../../domain/index.js';
import { parseFeedDate } from './date.js';
import type { RawFeed, RawItem } from './rss.js';
import { splitPublisherSuffix, toPlainText } from './text.js';
import { canonicalizeUrl, resolveHttpUrl } from './url.js';

/** Items beyond this are cut: no real feed has more, and every item costs a rules pass. */
export const MAX_ITEMS = 1000;
/** Longest summary kept; article text, when needed, is fetched separately. */
export const MAX_SUMMARY_CHARS = 5000;
/** Dates further ahead than this are typos or wrong zones, not news (RELIABILITY.md #26). */
export const FUTURE_TOLERANCE_MS = 2 * 24 * 60 * 60 * 1000;
/** GUIDs longer than this are hashed: they end up in Redis keys and job ids. */
const MAX_ID_CHARS = 512;
const MAX_TITLE_CHARS = 1000;
const MAX_AUTHOR_CHARS = 200;

/** What normalisation needs besides the raw items. */
export interface NormalizeContext {
  source: Source;
  /** URL the text was fetched from (after redirects); relative links resolve against it. */
  baseUrl?: string;
  /** Clock for the future-date check (ms since epoch). */
  now: number;
  /** Valid IANA zone for zone-less dates, or undefined for UTC. */
  zone?: string;
}

/** Per-feed facts decided once rather than per item. */
interface FeedFacts {
  /** Google News titles end in " - Publisher" even when an item has no <source>. */
  googleNews: boolean;
}

/** Normalised items plus per-feed warnings (counts, with a few examples). */
export interface Normalized {
  items: Item[];
  warnings: string[];
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function isGoogleNews(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    return new URL(url).hostname === 'news.google.com';
  } catch {
    return false;
  }
}

/** Counts of per-item problems, reported once per parse instead of once per item. */
interface Tally {
  badLinks: number;
  badDates: string[];
  futureDates: string[];
  empty: number;
  droppedDuplicates: string[];
  suffixedDuplicates: string[];
}

function sample(list: string[]): string {
  const shown = list
    .slice(0, 3)
    .map((s) => JSON.stringify(truncate(s, 80)))
    .join(', ');
  return list.length > 3 ? `${shown}, …` : shown;
}

function pickDate(raw: RawItem, ctx: NormalizeContext, tally: Tally): string | undefined {
  for (const candidate of raw.dates) {
    const iso = parseFeedDate(candidate, ctx.zone);
    if (iso === undefined) continue;
    if (Date.parse(iso) > ctx.now + FUTURE_TOLERANCE_MS) {
      tally.futureDates.push(candidate);
      return undefined;
    }
    return iso;
  }
  const first = raw.dates[0];
  if (first !== undefined) tally.badDates.push(first);
  return undefined;
}

function normalizeOne(raw: RawItem, feed: RawFeed & FeedFacts, ctx: NormalizeContext, tally: Tally): Item | undefined {
  const base = ctx.baseUrl ?? ctx.source.url;
  let url = raw.link === undefined ? undefined : resolveHttpUrl(raw.link, base);
  if (raw.link !== undefined && url === undefined) tally.badLinks++;
  // RSS 2.0: a GUID is a permalink unless it says otherwise; use it when <link> is missing.
  if (url === undefined && raw.link === undefined && raw.guid !== undefined && /^https?:\/\//i.test(raw.guid)) {
    url = resolveHttpUrl(raw.guid);
  }
  const canonicalUrl = url === undefined ? undefined : canonicalizeUrl(url);

  let title = toPlainText(raw.title ?? '');
  const googleNews = feed.googleNews || isGoogleNews(url);
  const named = raw.publisher ?? (googleNews ? raw.sourceName : undefined);
  let publisher = named === undefined ? undefined : toPlainText(named) || undefined;
  if (publisher !== undefined || googleNews) {
    const split = splitPublisherSuffix(title, publisher);
    title = split.title;
    publisher = split.publisher;
  }
  const summary = truncate(toPlainText(raw.summary ?? ''), MAX_SUMMARY_CHARS);
  if (title === '' && summary === '' && url === undefined) {
    tally.empty++;
    return undefined;
  }
  if (title === '') title = summary !== '' ? truncate(summary, 140) : (url ?? '');
  title = truncate(title, MAX_TITLE_CHARS);

  const published = pickDate(raw, ctx, tally);
  const guid = raw.guid?.trim();
  let id: string;
  if (guid !== undefined && guid !== '') id = guid.length > MAX_ID_CHARS ? `g_${sha1(guid)}` : guid;
  else if (canonicalUrl !== undefined) id = canonicalUrl.length > MAX_ID_CHARS ? `u_${sha1(canonicalUrl)}` : canonicalUrl;
  // The raw date text, not the parsed one: the id must not depend on the clock or the zone setting.
  else id = `h_${sha1(`${title}\n${raw.dates[0] ?? ''}`)}`;

  const item: Item = { sourceId: ctx.source.id, id, title, summary };
  if (url !== undefined) item.url = url;
  if (canonicalUrl !== undefined) item.canonicalUrl = canonicalUrl;
  if (published !== undefined) item.published = published;
  const lang = ctx.source.lang ?? raw.lang ?? feed.lang;
  if (lang !== undefined && lang.trim() !== '') item.lang = lang.trim().replace(/_/g, '-');
  const author = raw.author === undefined ? '' : truncate(toPlainText(raw.author), MAX_AUTHOR_CHARS);
  if (author !== '') item.author = author;
  if (publisher !== undefined) item.publisher = publisher;
  return item;
}

/**
 * Normalises raw feed items into `Item`s: plain-text title and summary, resolved and canonical
 * URLs, ISO UTC dates, and ids unique within the feed. An id that repeats with the same URL and
 * title is a duplicate and dropped; with different content it gets a stable `~<hash>` suffix.
 */
export function normalizeItems(feed: RawFeed, ctx: NormalizeContext): Normalized {
  const warnings = [...(feed.warnings ?? [])];
  const tally: Tally = { badLinks: 0, badDates: [], futureDates: [], empty: 0, droppedDuplicates: [], suffixedDuplicates: [] };
  let raws = feed.items;
  if (raws.length > MAX_ITEMS) {
    warnings.push(`feed has ${raws.length} items; only the first ${MAX_ITEMS} were read`);
    raws = raws.slice(0, MAX_ITEMS);
  }
  const facts = { ...feed, googleNews: isGoogleNews(feed.link) || isGoogleNews(ctx.source.url) };
  const items: Item[] = [];
  const seen = new Map<string, string>();
  for (const raw of raws) {
    const item = normalizeOne(raw, facts, ctx, tally);
    if (!item) continue;
    const content = `${item.canonicalUrl ?? ''}\n${item.title}`;
    const previous = seen.get(item.id);
    if (previous !== undefined) {
      if (previous === content) {
        tally.droppedDuplicates.push(item.id);
        continue;
      }
      const suffixed = `${item.id}~${sha1(content).slice(0, 8)}`;
      if (seen.has(suffixed)) {
        tally.droppedDuplicates.push(item.id);
        continue;
      }
      tally.suffixedDuplicates.push(item.id);
      item.id = suffixed;
    }
    seen.set(item.id, content);
    items.push(item);
  }
  if (tally.empty > 0) warnings.push(`${tally.empty} item(s) had no title, summary or link and were skipped`);
  if (tally.badLinks > 0) warnings.push(`${tally.badLinks} item link(s) were not http(s) URLs and were left out`);
  if (tally.badDates.length > 0) {
    warnings.push(`${tally.badDates.length} item date(s) could not be read and were left empty: ${sample(tally.badDates)}`);
  }
  if (tally.futureDates.length > 0) {
    warnings.push(`${tally.futureDates.length} item date(s) more than 2 days in the future were dropped: ${sample(tally.futureDates)}`);
  }
  if (tally.droppedDuplicates.length > 0) {
    warnings.push(
      `${tally.droppedDuplicates.length} duplicate item(s) (same id, URL and title) were dropped: ${sample(tally.droppedDuplicates)}`,
    );
  }
  if (tally.suffixedDuplicates.length > 0) {
    warnings.push(
      `${tally.suffixedDuplicates.length} item(s) reuse an id with different content and got a "~hash" suffix: ${sample(tally.suffixedDuplicates)}`,
    );
  }
  return { items, warnings };
}
